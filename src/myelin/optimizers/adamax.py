"""Adamax: Adam with the infinity norm in place of the second moment."""

import numpy as np

from .optimizer import Optimizer, check_hyper


class Adamax(Optimizer):
    """Adamax with Keras 3's update rule.

    At step ``t`` (1-based): ``m += (g - m) * (1 - beta_1)``,
    ``u = max(beta_2 * u, |g|)``,
    ``w -= lr * m / ((1 - beta_1**t) * (u + epsilon))``.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the infinity norm (default 0.999).
        epsilon: added to the norm (default 1e-7).
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Adamax(learning_rate=0.002)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 **kwargs):
        self.beta_1 = check_hyper("Adamax", "beta_1", beta_1, 0.0, 1.0, below_high=True)
        self.beta_2 = check_hyper("Adamax", "beta_2", beta_2, 0.0, 1.0)
        self.epsilon = check_hyper("Adamax", "epsilon", epsilon)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("momentum", "norm")

    def update_step(self, grad, var, lr):
        t = int(self.iterations._data) + 1
        m, u, tmp = self.slot(var, "momentum"), self.slot(var, "norm"), self.scratch(var)
        np.subtract(grad, m, out=tmp)
        tmp *= 1 - self.beta_1
        m += tmp
        u *= self.beta_2
        np.abs(grad, out=tmp)
        np.maximum(u, tmp, out=u)
        np.add(u, self.epsilon, out=tmp)
        np.divide(m, tmp, out=tmp)
        tmp *= lr / (1 - self.beta_1 ** t)
        var._data -= tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
