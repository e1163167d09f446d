"""Tensors made from a shape or a value: zeros, ones, fill, range, one_hot.

None of them is differentiable (their values do not depend on a tracked input).
"""

import numpy as np

from .. import backend
from ..autodiff import Tensor, as_array, convert_to_tensor
from .shape import as_shape

# TensorFlow picks range's dtype as the widest of its arguments in this order
# (NumPy would promote int32 with float32 to float64).
_RANGE_ORDER = [np.dtype(n) for n in ("int32", "int64", "float32", "float64")]


def _dims(shape, op):
    dims = as_shape(shape, op)
    if any(d < 0 for d in dims):
        raise ValueError(f"{op}: dimensions must be >= 0, received shape {dims}.")
    return dims


def zeros(shape, dtype=None, name=None):
    """A tensor of zeros (default dtype float32).

    Example:
        >>> zeros([2, 3]).shape
        (2, 3)
    """
    return Tensor(np.zeros(_dims(shape, "zeros"), dtype=dtype or backend.floatx()))


def ones(shape, dtype=None, name=None):
    """A tensor of ones (default dtype float32)."""
    return Tensor(np.ones(_dims(shape, "ones"), dtype=dtype or backend.floatx()))


def zeros_like(input, dtype=None, name=None):
    """Zeros with the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    return Tensor(np.zeros_like(convert_to_tensor(input)._data, dtype=dtype))


def ones_like(input, dtype=None, name=None):
    """Ones with the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    return Tensor(np.ones_like(convert_to_tensor(input)._data, dtype=dtype))


def fill(dims, value, name=None):
    """A tensor of shape ``dims`` filled with ``value`` (whose dtype it takes)."""
    value = as_array(value, where="fill")
    if value.ndim:
        raise ValueError(f"fill: value must be a scalar, received shape {value.shape}.")
    return Tensor(np.full(_dims(dims, "fill"), value, dtype=value.dtype))


def range(start, limit=None, delta=1, dtype=None, name="range"):  # TF's name; shadows builtin
    """Numbers from ``start`` up to (not including) ``limit`` in steps of ``delta``.

    With one argument it counts from 0: ``range(5)`` is ``[0, 1, 2, 3, 4]``. The dtype
    is the widest of the arguments' (int32 for Python ints, float32 for floats).

    Raises:
        ValueError: when ``delta`` is 0 or points away from ``limit``.

    Example:
        >>> range(1, 2, 0.25).numpy()
        array([1.  , 1.25, 1.5 , 1.75], dtype=float32)
    """
    if limit is None:
        start, limit = 0, start
    values = [as_array(v, where="range") for v in (start, limit, delta)]
    if dtype is None:
        dtype = max((v.dtype for v in values), key=_rank_in_range_order)
    start, limit, delta = (v.item() for v in values)
    if delta == 0:
        raise ValueError("range: delta must not be 0.")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        raise ValueError(
            f"range: start {start} is past limit {limit} for delta {delta}; swap them or "
            f"change the sign of delta."
        )
    return Tensor(np.arange(start, limit, delta, dtype=dtype))


def linspace(start, stop, num, name=None, axis=0):
    """``num`` evenly spaced values from ``start`` to ``stop`` (both included).

    Args:
        start, stop: the first and last values (float32 for Python floats).
        num: how many values (>= 0).
        axis: where the new axis goes when ``start`` and ``stop`` are arrays.

    Returns:
        A Tensor of ``start``'s float dtype (float32 for integer inputs).

    Raises:
        ValueError: for a negative ``num``.

    Example:
        >>> linspace(-1.0, 1.0, 5).numpy()
        array([-1. , -0.5,  0. ,  0.5,  1. ], dtype=float32)
    """
    start_array = as_array(start, where="linspace")
    dtype = start_array.dtype if start_array.dtype.kind == "f" else backend.floatx()
    num = int(num)
    if num < 0:
        raise ValueError(f"linspace: num must be >= 0, received {num}.")
    stop_array = as_array(stop, where="linspace")
    # computed in float64, then rounded once to the dtype (no accumulated float32 error)
    return Tensor(np.linspace(start_array.astype(np.float64), stop_array.astype(np.float64),
                              num, axis=axis).astype(dtype))


def _rank_in_range_order(dtype):
    return _RANGE_ORDER.index(dtype) if dtype in _RANGE_ORDER else 0


def one_hot(indices, depth, on_value=None, off_value=None, axis=-1, dtype=None, name=None):
    """``on_value`` where the last axis equals ``indices``, else ``off_value``.

    Out-of-range indices (including -1) give a row of ``off_value``, as in TF.

    Example:
        >>> one_hot([0, 2], 3).numpy()
        array([[1., 0., 0.],
               [0., 0., 1.]], dtype=float32)
    """
    ids = as_array(indices, where="one_hot")
    if ids.dtype.kind not in "iu":
        raise TypeError(f"one_hot: indices must be integers, received dtype {ids.dtype.name}.")
    if dtype is None:  # TF: the dtype of on_value / off_value if given, else float32
        given = [v for v in (on_value, off_value) if v is not None]
        dtype = as_array(given[0]).dtype if given else backend.floatx()
    hot = ids[..., None] == np.arange(int(depth))
    out = np.where(hot, 1 if on_value is None else on_value,
                   0 if off_value is None else off_value).astype(dtype)
    if axis != -1:
        out = np.moveaxis(out, -1, axis)
    return Tensor(out)
