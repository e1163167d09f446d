"""Adagrad: per-parameter rates that shrink with the sum of squared gradients."""

import numpy as np

from .optimizer import Optimizer, check_hyper


class Adagrad(Optimizer):
    """Adagrad with Keras 3's update rule.

    ``acc += g**2``, then ``w -= lr * g / sqrt(acc + epsilon)``.

    Args:
        learning_rate: float or schedule (default 0.001).
        initial_accumulator_value: starting value of ``acc`` (default 0.1).
        epsilon: added inside the square root (default 1e-7).
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Adagrad(learning_rate=0.01)
    """

    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 **kwargs):
        self.initial_accumulator_value = check_hyper(
            "Adagrad", "initial_accumulator_value", initial_accumulator_value)
        self.epsilon = check_hyper("Adagrad", "epsilon", epsilon)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("accumulator",)

    def slot_initial_value(self, name):
        return self.initial_accumulator_value

    def update_step(self, grad, var, lr):
        acc, tmp = self.slot(var, "accumulator"), self.scratch(var)
        np.square(grad, out=tmp)
        acc += tmp
        np.add(acc, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= lr
        var._data -= tmp

    def get_config(self):
        return {**super().get_config(),
                "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
