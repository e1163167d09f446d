"""FTRL-Proximal: follow the regularized leader (McMahan et al., 2013)."""

import numpy as np

from .optimizer import Optimizer, check_hyper


def _non_positive(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value > 0:
        raise ValueError(f"Ftrl: learning_rate_power must be a number <= 0, received "
                         f"{value!r}.")
    return value


class Ftrl(Optimizer):
    """FTRL-Proximal with Keras 3's update rule (online L1/L2 regularization).

    With ``p = -learning_rate_power`` and ``l2 = l2_regularization_strength +
    beta / (2 lr)``: ``n' = n + g**2``,
    ``z += g + 2 * l2_shrinkage * w - (n'**p - n**p) / lr * w``,
    ``w = (clip(z, -l1, l1) - z) / (n'**p / lr + 2 * l2)``, ``n = n'``.

    Args:
        learning_rate: float or schedule (default 0.001).
        learning_rate_power: how the rate falls with the accumulated squared
            gradient, ``<= 0`` (default -0.5).
        initial_accumulator_value: start of ``n``, ``>= 0`` (default 0.1).
        l1_regularization_strength: ``>= 0`` (default 0.0).
        l2_regularization_strength: ``>= 0`` (default 0.0).
        l2_shrinkage_regularization_strength: magnitude penalty added to the
            gradient, ``>= 0`` (default 0.0).
        beta: added to the L2 term as ``beta / (2 lr)`` (default 0.0).
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Ftrl(learning_rate=0.1, l1_regularization_strength=0.01)
    """

    scratch_buffers = 2

    def __init__(self, learning_rate=0.001, learning_rate_power=-0.5,
                 initial_accumulator_value=0.1, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, l2_shrinkage_regularization_strength=0.0,
                 beta=0.0, **kwargs):
        self.learning_rate_power = _non_positive(learning_rate_power)
        self.initial_accumulator_value = check_hyper(
            "Ftrl", "initial_accumulator_value", initial_accumulator_value)
        self.l1_regularization_strength = check_hyper(
            "Ftrl", "l1_regularization_strength", l1_regularization_strength)
        self.l2_regularization_strength = check_hyper(
            "Ftrl", "l2_regularization_strength", l2_regularization_strength)
        self.l2_shrinkage_regularization_strength = check_hyper(
            "Ftrl", "l2_shrinkage_regularization_strength",
            l2_shrinkage_regularization_strength)
        self.beta = check_hyper("Ftrl", "beta", beta)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("accumulator", "linear")

    def slot_initial_value(self, name):
        return self.initial_accumulator_value if name == "accumulator" else 0.0

    def update_step(self, grad, var, lr):
        if lr == 0:  # beta / (2 lr) would divide by zero; a zero rate takes no step
            return
        power = -self.learning_rate_power
        l2 = self.l2_regularization_strength + self.beta / (2.0 * lr)
        accum, linear = self.slot(var, "accumulator"), self.slot(var, "linear")
        new_accum, tmp = self.scratch(var, 0), self.scratch(var, 1)
        np.square(grad, out=new_accum)
        new_accum += accum
        np.power(new_accum, power, out=tmp)
        np.power(accum, power, out=accum)  # overwritten by new_accum below
        tmp -= accum
        tmp /= lr
        tmp *= var._data
        linear -= tmp
        linear += grad
        if self.l2_shrinkage_regularization_strength:
            np.multiply(var._data, 2 * self.l2_shrinkage_regularization_strength, out=tmp)
            linear += tmp
        np.copyto(accum, new_accum)
        np.power(new_accum, power, out=tmp)
        tmp /= lr
        tmp += 2 * l2
        l1 = self.l1_regularization_strength
        np.clip(linear, -l1, l1, out=new_accum)
        new_accum -= linear
        np.divide(new_accum, tmp, out=var._data)

    def get_config(self):
        return {**super().get_config(),
                "learning_rate_power": self.learning_rate_power,
                "initial_accumulator_value": self.initial_accumulator_value,
                "l1_regularization_strength": self.l1_regularization_strength,
                "l2_regularization_strength": self.l2_regularization_strength,
                "l2_shrinkage_regularization_strength":
                    self.l2_shrinkage_regularization_strength,
                "beta": self.beta}
