"""Sine and cosine (``tf.math.sin``, ``tf.math.cos``), used by the autodiff guides.

Their derivatives are each other (``sin' = cos``, ``cos' = -sin``), so the rules for
higher-order and forward mode are one line each and any derivative order works.
"""

import numpy as np

from ..autodiff import Function
from ..autodiff.forward_mode import jvp_from_vjp
from ..autodiff.higher_order import vjp_rule
from .activation import floating


class Sin(Function):
    """``sin(x)``; keeps ``x`` for the derivative ``cos(x)``."""

    def forward(self, x):
        self.x = x
        return np.sin(x)

    def backward(self, grad):
        return grad * np.cos(self.x)


class Cos(Function):
    """``cos(x)``; keeps ``x`` for the derivative ``-sin(x)``."""

    def forward(self, x):
        self.x = x
        return np.cos(x)

    def backward(self, grad):
        return -grad * np.sin(self.x)


@vjp_rule(Sin)
def _sin(fn, out, grad):
    return grad * cos(fn.inputs[0])


@vjp_rule(Cos)
def _cos(fn, out, grad):
    return -grad * sin(fn.inputs[0])


jvp_from_vjp(Sin, Cos)


def sin(x, name=None):
    """Elementwise sine of a float tensor (radians).

    Args:
        x: a float tensor.

    Returns:
        ``sin(x)``, differentiable to any order.

    Example:
        >>> sin(constant([0.0])).numpy()
        array([0.], dtype=float32)
    """
    return Sin.apply(floating(x, "sin"))


def cos(x, name=None):
    """Elementwise cosine of a float tensor (radians).

    Args:
        x: a float tensor.

    Returns:
        ``cos(x)``, differentiable to any order.

    Example:
        >>> cos(constant([0.0])).numpy()
        array([1.], dtype=float32)
    """
    return Cos.apply(floating(x, "cos"))
