"""Lion: the sign of an interpolated momentum (Chen et al., 2023)."""

import numpy as np

from .optimizer import Optimizer, check_hyper


class Lion(Optimizer):
    """Lion with Keras 3's update rule: every coordinate moves by exactly ``lr``.

    ``w -= lr * sign(beta_1 * m + (1 - beta_1) * g)``, then
    ``m = beta_2 * m + (1 - beta_2) * g``.

    Args:
        learning_rate: float or schedule (default 0.001; Lion wants 3-10x less
            than Adam).
        beta_1: interpolation used for the step's sign (default 0.9), in (0, 1].
        beta_2: decay of the momentum (default 0.99).
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Lion(learning_rate=1e-4, weight_decay=0.01)
    """

    scratch_buffers = 2

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.99, **kwargs):
        if isinstance(beta_1, bool) or not isinstance(beta_1, (int, float)) or not (
                0 < beta_1 <= 1):
            raise ValueError(f"Lion: beta_1 must be a number in (0, 1] (otherwise Lion "
                             f"degenerates to sign SGD), received {beta_1!r}.")
        self.beta_1 = beta_1
        self.beta_2 = check_hyper("Lion", "beta_2", beta_2, 0.0, 1.0)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("momentum",)

    def update_step(self, grad, var, lr):
        m, tmp, part = self.slot(var, "momentum"), self.scratch(var, 0), self.scratch(var, 1)
        np.multiply(m, self.beta_1, out=tmp)
        np.multiply(grad, 1 - self.beta_1, out=part)
        tmp += part
        np.sign(tmp, out=tmp)
        tmp *= lr
        var._data -= tmp
        m *= self.beta_2
        np.multiply(grad, 1 - self.beta_2, out=part)
        m += part

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2}
