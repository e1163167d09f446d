"""Elementwise unary math: negation, exp, log, sqrt, square, abs and sign.

Each takes a Tensor, array or number (converted with ``convert_to_tensor``) and
returns a Tensor of the same shape; ``myelin.ops.elementwise`` re-exports them.
"""

import numpy as np

from ..autodiff import Function, Tensor, convert_to_tensor


def unary(value):
    """``value`` as a Tensor (the one input of a unary op)."""
    return convert_to_tensor(value)


class Negative(Function):
    def forward(self, x):
        return -x

    def backward(self, grad):
        return -grad


class Exp(Function):
    def forward(self, x):
        self.out = np.exp(x)
        return self.out

    def backward(self, grad):
        return grad * self.out


class Log(Function):
    def forward(self, x):
        self.x = x
        return np.log(x)

    def backward(self, grad):
        return grad / self.x


class Sqrt(Function):
    def forward(self, x):
        self.out = np.sqrt(x)
        return self.out

    def backward(self, grad):
        return grad / (2 * self.out)


class Square(Function):
    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad):
        return 2 * self.x * grad


class Abs(Function):
    def forward(self, x):
        self.x = x
        return np.abs(x)

    def backward(self, grad):
        return grad * np.sign(self.x)


def negative(x, name=None):
    """Elementwise ``-x`` (``tf.math.negative``).

    Args:
        x: a Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``x``.
    """
    return Negative.apply(unary(x))


def exp(x, name=None):
    """Elementwise natural exponential ``e ** x`` (``tf.math.exp``).

    Args:
        x: a float Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``x``.

    Example:
        >>> print(tf.exp(0.0).numpy())
        1.0
    """
    return Exp.apply(unary(x))


def log(x, name=None):
    """Elementwise natural logarithm (``tf.math.log``); ``log(0)`` is ``-inf``.

    Args:
        x: a float Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``x``.
    """
    return Log.apply(unary(x))


def sqrt(x, name=None):
    """Elementwise square root (``tf.math.sqrt``).

    Args:
        x: a float Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``x``.
    """
    return Sqrt.apply(unary(x))


def square(x, name=None):
    """Elementwise ``x * x`` (``tf.math.square``).

    Args:
        x: a Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``x``.

    Example:
        >>> tf.square([2.0, -3.0]).numpy()
        array([4., 9.], dtype=float32)
    """
    return Square.apply(unary(x))


def abs(x, name=None):
    """Elementwise absolute value (``tf.math.abs``); its gradient at 0 is 0.

    Args:
        x: a Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``x``.
    """
    return Abs.apply(unary(x))


def sign(x, name=None):
    """Elementwise sign: -1, 0 or 1 (``tf.math.sign``); not differentiable.

    Args:
        x: a Tensor, array or number.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape and dtype of ``x``.
    """
    return Tensor(np.sign(unary(x)._data))
