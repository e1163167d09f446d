"""Elementwise comparisons and logical ops: bool results, never differentiable.

Python numbers are compared exactly (``int_tensor > 0.5`` is not rounded to the
tensor's dtype first); two Tensors of different dtypes are refused, as in TF.
"""

import numpy as np

from ..autodiff import Tensor, as_array


def _raw(value, op):
    if isinstance(value, Tensor):
        return value._data
    if isinstance(value, (bool, int, float)):
        return value  # NumPy compares a Python number with any dtype exactly
    return as_array(value, where=op)


def _compare(fn, x, y, op):
    if isinstance(x, Tensor) and isinstance(y, Tensor) and x.dtype != y.dtype:
        raise TypeError(
            f"{op}: both inputs must have the same dtype, received {x.dtype.name} and "
            f"{y.dtype.name}. Cast one with myelin.cast(x, '{x.dtype.name}')."
        )
    a, b = _raw(x, op), _raw(y, op)
    try:
        return Tensor(np.asarray(fn(a, b)))
    except ValueError:
        raise ValueError(
            f"{op}: shapes {np.shape(a)} and {np.shape(b)} cannot be broadcast together."
        ) from None


def equal(x, y, name=None):
    """``x == y`` elementwise, as a bool Tensor."""
    return _compare(np.equal, x, y, "equal")


def not_equal(x, y, name=None):
    """``x != y`` elementwise, as a bool Tensor."""
    return _compare(np.not_equal, x, y, "not_equal")


def less(x, y, name=None):
    """``x < y`` elementwise, as a bool Tensor."""
    return _compare(np.less, x, y, "less")


def less_equal(x, y, name=None):
    """``x <= y`` elementwise, as a bool Tensor."""
    return _compare(np.less_equal, x, y, "less_equal")


def greater(x, y, name=None):
    """``x > y`` elementwise, as a bool Tensor."""
    return _compare(np.greater, x, y, "greater")


def greater_equal(x, y, name=None):
    """``x >= y`` elementwise, as a bool Tensor."""
    return _compare(np.greater_equal, x, y, "greater_equal")


def logical_and(x, y, name=None):
    """Elementwise and of two bool tensors (the ``&`` operator)."""
    return _compare(np.logical_and, x, y, "logical_and")


def logical_or(x, y, name=None):
    """Elementwise or of two bool tensors (the ``|`` operator)."""
    return _compare(np.logical_or, x, y, "logical_or")


def logical_xor(x, y, name=None):
    """Elementwise exclusive or of two bool tensors (the ``^`` operator)."""
    return _compare(np.logical_xor, x, y, "logical_xor")


def logical_not(x, name=None):
    """Elementwise not of a bool tensor (the ``~`` operator)."""
    return Tensor(np.asarray(np.logical_not(_raw(x, "logical_not"))))
