"""Elementwise binary arithmetic (add ... pow, maximum, minimum), where, clip and cast,
with NumPy broadcasting. The unary math (exp, log, sqrt ...) lives in ``unary_math``
and is re-exported here.

Binary ops accept Tensors, arrays and Python numbers. Raw values are cast to the
dtype of the Tensor they meet (a float64 NumPy array times a float32 weight stays
float32); two Tensors of different dtypes are refused rather than silently upcast.
"""

import numpy as np

from ..autodiff import Function, Tensor, as_array, convert_to_tensor
from ..dtypes import as_dtype
from .unary_math import (  # noqa: F401  (re-exported: their home was this module)
    Abs,
    Exp,
    Log,
    Negative,
    Sqrt,
    Square,
    abs,
    exp,
    log,
    negative,
    sign,
    sqrt,
    square,
    unary,
)


def operands(a, b, op):
    """Two Tensors of one dtype from any mix of Tensors and raw values."""
    a_is, b_is = isinstance(a, Tensor), isinstance(b, Tensor)
    if a_is and b_is:
        if a.dtype != b.dtype:
            raise TypeError(
                f"{op}: both inputs must have the same dtype, received {a.dtype.name} and "
                f"{b.dtype.name}. Cast one with myelin.cast(x, '{a.dtype.name}')."
            )
        return a, b
    if a_is:
        return a, _raw_like(b, a, op)
    if b_is:
        return _raw_like(a, b, op), b
    a = convert_to_tensor(a)
    return a, _raw_like(b, a, op)


def _raw_like(value, tensor, op):
    """A raw value as a Tensor of ``tensor``'s dtype, refusing float -> int truncation."""
    array = as_array(value, where=op)
    if array.dtype.kind == "f" and tensor.dtype.kind != "f":
        raise TypeError(
            f"{op}: cannot combine a {tensor.dtype.name} tensor with the float value "
            f"{value!r} without truncating it. Cast the tensor first: "
            f"myelin.cast(x, 'float32')."
        )
    return Tensor(array if array.dtype == tensor.dtype else array.astype(tensor.dtype))


class Add(Function):
    def forward(self, a, b):
        return a + b

    def backward(self, grad):
        return grad, grad


class Subtract(Function):
    def forward(self, a, b):
        return a - b

    def backward(self, grad):
        return grad, -grad


class Multiply(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a * b

    def backward(self, grad):
        return grad * self.b, grad * self.a


class Divide(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        return a / b

    def backward(self, grad):
        ga = grad / self.b
        return ga, -ga * self.a / self.b


class Pow(Function):
    def forward(self, a, b):
        self.a, self.b = a, b
        self.out = np.power(a, b)
        return self.out

    def backward(self, grad):
        ga = grad * self.b * np.power(self.a, self.b - 1)
        gb = None
        if self.needs[1]:
            with np.errstate(divide="ignore", invalid="ignore"):
                log_a = np.where(self.a > 0, np.log(np.where(self.a > 0, self.a, 1)), 0)
                gb = grad * self.out * log_a
        return ga, gb


class Maximum(Function):
    def forward(self, a, b):
        self.mask = a >= b
        return np.where(self.mask, a, b)

    def backward(self, grad):
        return grad * self.mask, grad * ~self.mask


class Minimum(Function):
    def forward(self, a, b):
        self.mask = a <= b
        return np.where(self.mask, a, b)

    def backward(self, grad):
        return grad * self.mask, grad * ~self.mask


class Where(Function):
    def __init__(self, condition):
        self.condition = condition

    def forward(self, a, b):
        return np.where(self.condition, a, b)

    def backward(self, grad):
        return np.where(self.condition, grad, 0), np.where(self.condition, 0, grad)


class ClipByValue(Function):
    def __init__(self, low, high):
        self.low, self.high = low, high

    def forward(self, x):
        self.inside = (x >= self.low) & (x <= self.high)
        return np.clip(x, self.low, self.high)

    def backward(self, grad):
        return grad * self.inside


class Cast(Function):
    """A float-to-float cast; the tape casts the gradient back to the input's dtype."""

    def __init__(self, dtype):
        self.dtype = dtype

    def forward(self, x):
        return x.astype(self.dtype)

    def backward(self, grad):
        return grad


def cast(x, dtype, name=None):
    """``x`` converted to ``dtype``; differentiable between float dtypes.

    Floats cast to integers are truncated toward zero and to bool are ``x != 0``;
    casting to the same dtype returns ``x`` itself, as in TensorFlow.

    Example:
        >>> cast(constant([1.7, -1.7]), "int32").numpy()
        array([ 1, -1], dtype=int32)
    """
    x = convert_to_tensor(x)
    dtype = as_dtype(dtype)
    if dtype == x.dtype:
        return x
    if x.dtype.kind == "f" and dtype.kind == "f":
        return Cast.apply(x, dtype=dtype)
    return Tensor(x._data.astype(dtype))


def add(x, y, name=None):
    """Elementwise ``x + y`` with NumPy broadcasting (``tf.math.add``).

    Args:
        x: a Tensor, array or number.
        y: a Tensor, array or number, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> tf.add([1.0, 2.0], 10.0).numpy()
        array([11., 12.], dtype=float32)
    """
    return Add.apply(*operands(x, y, "add"))


def subtract(x, y, name=None):
    """Elementwise ``x - y`` with broadcasting (``tf.math.subtract``).

    Args:
        x: a Tensor, array or number.
        y: a Tensor, array or number, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the broadcast shape.
    """
    return Subtract.apply(*operands(x, y, "subtract"))


def multiply(x, y, name=None):
    """Elementwise ``x * y`` with broadcasting (``tf.math.multiply``).

    Args:
        x: a Tensor, array or number.
        y: a Tensor, array or number, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the broadcast shape.
    """
    return Multiply.apply(*operands(x, y, "multiply"))


def divide(x, y, name=None):
    """Elementwise true division ``x / y`` (``tf.math.divide``).

    Integers are divided as float64, as TensorFlow's ``truediv`` does.

    Args:
        x: a Tensor, array or number.
        y: a Tensor, array or number, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A float Tensor of the broadcast shape.

    Example:
        >>> print(tf.divide(7, 2).numpy())
        3.5
    """
    a, b = operands(x, y, "divide")
    if a.dtype.kind != "f":  # TensorFlow's truediv of integers gives floats
        a, b = Tensor(a._data.astype(np.float64)), Tensor(b._data.astype(np.float64))
    return Divide.apply(a, b)


def pow(x, y, name=None):
    """Elementwise ``x ** y`` (``tf.math.pow``).

    Args:
        x: the base: a Tensor, array or number.
        y: the exponent, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the broadcast shape.
    """
    return Pow.apply(*operands(x, y, "pow"))


def maximum(x, y, name=None):
    """Elementwise maximum of ``x`` and ``y`` (``tf.math.maximum``).

    At ties the gradient goes to ``x``, as in TensorFlow.

    Args:
        x: a Tensor, array or number.
        y: a Tensor, array or number, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the broadcast shape.

    Example:
        >>> tf.maximum([1.0, 5.0], 3.0).numpy()
        array([3., 5.], dtype=float32)
    """
    return Maximum.apply(*operands(x, y, "maximum"))


def minimum(x, y, name=None):
    """Elementwise minimum of ``x`` and ``y`` (``tf.math.minimum``).

    Args:
        x: a Tensor, array or number.
        y: a Tensor, array or number, broadcastable against ``x``.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the broadcast shape.
    """
    return Minimum.apply(*operands(x, y, "minimum"))


def where(condition, x=None, y=None, name=None):
    """Elements of ``x`` where ``condition`` holds, else of ``y``; with one argument,
    the indices (as int64 ``(n, rank)``) where it holds."""
    cond = np.asarray(convert_to_tensor(condition)._data, dtype=bool)
    if x is None and y is None:
        return Tensor(np.argwhere(cond).astype(np.int64))
    if x is None or y is None:
        raise ValueError("where: pass both x and y, or neither.")
    return Where.apply(*operands(x, y, "where"), condition=cond)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    """Clip every element of ``t`` into ``[clip_value_min, clip_value_max]``.

    The gradient is 1 inside the range and 0 where an element was clipped.

    Args:
        t: a Tensor, array or number.
        clip_value_min: the lower bound (number or broadcastable array).
        clip_value_max: the upper bound.
        name: accepted for TensorFlow compatibility; unused.

    Returns:
        A Tensor of the shape of ``t``.

    Example:
        >>> tf.clip_by_value([-2.0, 0.5, 3.0], 0.0, 1.0).numpy()
        array([0. , 0.5, 1. ], dtype=float32)
    """
    return ClipByValue.apply(unary(t), low=clip_value_min, high=clip_value_max)
