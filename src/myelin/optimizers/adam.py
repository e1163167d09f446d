"""Adam: adaptive moment estimation."""

import math

import numpy as np

from .. import backend
from .optimizer import Optimizer, check_hyper


def update_moments(grad, m, v, tmp, beta_1, beta_2):
    """Adam's moment estimates in place: ``m = beta_1 * m + (1 - beta_1) * g``,
    ``v = beta_2 * v + (1 - beta_2) * g**2`` (``tmp`` is scratch space shaped like ``g``).

    Keras writes ``m += (g - m) * (1 - beta_1)``: the same value up to float rounding.
    The form here is one BLAS ``axpby`` pass per moment where NumPy's OpenBLAS has it
    (three and four NumPy passes otherwise). ``grad`` is made C-contiguous first, so a
    small variable updated whole takes the same path (and rounding) as the slices of
    a large one.
    """
    if not grad.flags.c_contiguous:  # (ascontiguousarray would also make a 0-d grad 1-d)
        grad = np.ascontiguousarray(grad)
    if backend.axpby(1 - beta_1, grad, beta_1, m):
        np.square(grad, out=tmp)
        backend.axpby(1 - beta_2, tmp, beta_2, v)
        return
    np.subtract(grad, m, out=tmp)
    tmp *= 1 - beta_1
    m += tmp
    np.square(grad, out=tmp)
    tmp -= v
    tmp *= 1 - beta_2
    v += tmp


class Adam(Optimizer):
    """Adam with Keras 3's update rule (bias correction folded into the step size).

    At step ``t`` (1-based): ``m += (g - m) * (1 - beta_1)``,
    ``v += (g**2 - v) * (1 - beta_2)`` (computed as ``beta * m + (1 - beta) * g``: one
    BLAS pass, equal up to float rounding),
    ``w -= lr * sqrt(1 - beta_2**t) / (1 - beta_1**t) * m / (sqrt(v) + epsilon)``;
    with ``amsgrad`` the running maximum of ``v`` replaces ``v`` in the last step.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: added to the denominator (default 1e-7).
        amsgrad: use the AMSGrad variant.
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Adam(learning_rate=1e-3)
    """

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 amsgrad=False, **kwargs):
        where = type(self).__name__  # AdamW reuses these checks under its own name
        self.beta_1 = check_hyper(where, "beta_1", beta_1, 0.0, 1.0, below_high=True)
        self.beta_2 = check_hyper(where, "beta_2", beta_2, 0.0, 1.0, below_high=True)
        self.epsilon = check_hyper(where, "epsilon", epsilon)
        self.amsgrad = bool(amsgrad)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("momentum", "velocity", "velocity_hat") if self.amsgrad else (
            "momentum", "velocity")

    def update_step(self, grad, var, lr):
        t = int(self.iterations._data) + 1
        alpha = lr * math.sqrt(1 - self.beta_2 ** t) / (1 - self.beta_1 ** t)
        m, v, tmp = self.slot(var, "momentum"), self.slot(var, "velocity"), self.scratch(var)
        update_moments(grad, m, v, tmp, self.beta_1, self.beta_2)
        if self.amsgrad:
            v = np.maximum(self.slot(var, "velocity_hat"), v,
                           out=self.slot(var, "velocity_hat"))
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        if not backend.axpy(-alpha, tmp, var._data):  # w -= alpha * tmp in one pass
            tmp *= alpha
            var._data -= tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
