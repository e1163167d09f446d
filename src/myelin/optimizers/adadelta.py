"""Adadelta: steps scaled by the ratio of running RMS of updates and of gradients."""

import numpy as np

from .optimizer import Optimizer, check_hyper


class Adadelta(Optimizer):
    """Adadelta with Keras 3's update rule (the learning rate still scales the step).

    ``G = rho * G + (1 - rho) * g**2``,
    ``d = -sqrt(D + epsilon) * g / sqrt(G + epsilon)``,
    ``D = rho * D + (1 - rho) * d**2``, ``w += lr * d``.

    Args:
        learning_rate: float or schedule (default 0.001).
        rho: decay of both running averages (default 0.95).
        epsilon: keeps the square roots positive (default 1e-7).
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Adadelta(learning_rate=1.0, rho=0.95)
    """

    scratch_buffers = 2

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-7, **kwargs):
        self.rho = check_hyper("Adadelta", "rho", rho, 0.0, 1.0)
        self.epsilon = check_hyper("Adadelta", "epsilon", epsilon)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("accumulated_grad", "accumulated_delta_var")

    def update_step(self, grad, var, lr):
        acc_grad, acc_delta = (self.slot(var, "accumulated_grad"),
                               self.slot(var, "accumulated_delta_var"))
        delta, tmp = self.scratch(var, 0), self.scratch(var, 1)
        acc_grad *= self.rho
        np.square(grad, out=tmp)
        tmp *= 1 - self.rho
        acc_grad += tmp
        np.add(acc_delta, self.epsilon, out=delta)
        np.sqrt(delta, out=delta)
        delta *= grad
        np.add(acc_grad, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        delta /= tmp
        np.negative(delta, out=delta)
        acc_delta *= self.rho
        np.square(delta, out=tmp)
        tmp *= 1 - self.rho
        acc_delta += tmp
        delta *= lr
        var._data += delta

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
