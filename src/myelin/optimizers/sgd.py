"""Stochastic gradient descent, with optional (Nesterov) momentum."""

import sys

import numpy as np

from .. import backend
from .optimizer import Optimizer, check_hyper

# Below this size the ctypes call into BLAS costs more than NumPy's two passes.
_AXPY_MIN_SIZE = 8192


def descend(optimizer, grad, var, lr):
    """Plain gradient descent, ``w -= lr * g``, in place: one BLAS ``axpy`` pass on a
    variable of ``_AXPY_MIN_SIZE`` elements or more, two NumPy passes below.

    Shared by ``SGD`` without momentum and TF 1's ``GradientDescentOptimizer``; an
    optimizer using it updates each variable whole (``plain_descent_settings``).
    """
    if var._data.size >= _AXPY_MIN_SIZE and backend.axpy(-lr, grad, var._data):
        return
    var._data -= np.multiply(grad, lr, out=optimizer.scratch(var))


def plain_descent_settings(optimizer):
    """Update every variable whole and alone: one BLAS pass a variable, where slices
    would only add calls and gathering small ones would cost more than their two
    NumPy passes (and a group past the axpy size would round differently)."""
    optimizer.chunk_size = sys.maxsize
    optimizer.group_small = False


class SGD(Optimizer):
    """Gradient descent with momentum, Keras 3's update rule.

    Without momentum: ``w -= learning_rate * g``. With momentum:
    ``v = momentum * v - learning_rate * g``, then ``w += v`` (or, with Nesterov,
    ``w += momentum * v - learning_rate * g``).

    Args:
        learning_rate: float or schedule (default 0.01).
        momentum: float in [0, 1] (default 0.0).
        nesterov: use Nesterov momentum.
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = SGD(learning_rate=0.1, momentum=0.9)
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, **kwargs):
        self.momentum = check_hyper("SGD", "momentum", momentum, 0.0, 1.0)
        self.nesterov = bool(nesterov)
        super().__init__(learning_rate, **kwargs)
        if not self.momentum:
            plain_descent_settings(self)

    def slot_names(self):
        return ("momentum",) if self.momentum else ()

    def update_step(self, grad, var, lr):
        if not self.momentum:
            descend(self, grad, var, lr)
            return
        step = np.multiply(grad, lr, out=self.scratch(var))
        velocity = self.slot(var, "momentum")
        velocity *= self.momentum
        velocity -= step
        if self.nesterov:
            var._data -= step
            np.multiply(velocity, self.momentum, out=step)
            var._data += step
        else:
            var._data += velocity

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
