"""Ops that move elements around without changing them: reshape, transpose, concat ...

Each backward is the inverse move of the gradient. Results that NumPy returns as
views of a Variable's buffer are copied, so a later ``assign`` cannot change them
(a Tensor is a snapshot, as in TensorFlow).
"""

import math

import numpy as np

from ..autodiff import Function, Tensor, Variable, as_array, convert_to_tensor


def as_shape(shape, op):
    """A shape (int, list, tuple or 1-D integer Tensor) as a tuple of Python ints."""
    if isinstance(shape, Tensor):
        shape = shape._data.tolist()
    if not isinstance(shape, (list, tuple)) and np.ndim(shape) == 0:
        shape = [shape]
    try:
        return tuple(int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: expected a shape of integers, received {shape!r}.") from None


def normalize_axis(axis, rank, op, shape, extra=0):
    """``axis`` as an index in ``[0, rank + extra)``; ``extra=1`` for a new axis."""
    a = int(axis._data if isinstance(axis, Tensor) else axis)
    size = rank + extra
    if not -size <= a < size:
        raise ValueError(
            f"{op}: axis {a} is out of range for a tensor of shape {shape} (rank {rank}); "
            f"expected an axis in [{-size}, {size})."
        )
    return a % size


def same_dtype(values, op):
    """Tensors of one dtype from a non-empty list of Tensors and raw values."""
    values = list(values)
    if not values:
        raise ValueError(f"{op}: expected a non-empty list of tensors, received [].")
    ref = next((v for v in values if isinstance(v, Tensor)), None)
    dtype = (ref if ref is not None else convert_to_tensor(values[0])).dtype
    out = []
    for v in values:
        if not isinstance(v, Tensor):
            v = Tensor(as_array(v, dtype, where=op))
        elif v.dtype != dtype:
            raise TypeError(
                f"{op}: all inputs must have the same dtype, received {dtype.name} and "
                f"{v.dtype.name}. Cast one with myelin.cast(x, '{dtype.name}')."
            )
        out.append(v)
    return out


class Reshape(Function):
    """Reshape, expand_dims and squeeze: same elements, new shape."""

    def __init__(self, shape, copy):
        self.shape, self.copy = shape, copy

    def forward(self, x):
        self.in_shape = x.shape
        out = x.reshape(self.shape)
        return out.copy() if self.copy else out

    def backward(self, grad):
        return grad.reshape(self.in_shape)


class Transpose(Function):
    def __init__(self, perm, copy):
        self.perm, self.copy = perm, copy

    def forward(self, x):
        out = np.transpose(x, self.perm)
        return out.copy() if self.copy else out

    def backward(self, grad):
        return np.transpose(grad, np.argsort(self.perm))


class Identity(Function):
    def __init__(self, copy):
        self.copy = copy

    def forward(self, x):
        # np.asarray: the same array, but a graph tensor's stand-in signals SymbolicAccess
        return x.copy() if self.copy else np.asarray(x)

    def backward(self, grad):
        return grad


class Concat(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, *arrays):
        self.offsets = np.cumsum([a.shape[self.axis] for a in arrays[:-1]])
        return np.concatenate(arrays, axis=self.axis)

    def backward(self, grad):
        return tuple(np.split(grad, self.offsets, axis=self.axis))


class Stack(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, *arrays):
        return np.stack(arrays, axis=self.axis)

    def backward(self, grad):
        return tuple(np.moveaxis(grad, self.axis, 0))


class Gather(Function):
    """Slices of ``params`` along ``axis`` picked by ``ids``; backward scatter-adds."""

    def __init__(self, ids, axis):
        self.ids, self.axis = ids, axis

    def forward(self, params):
        self.in_shape = params.shape
        return np.take(params, self.ids, axis=self.axis)

    def backward(self, grad):
        out = np.zeros(self.in_shape, dtype=grad.dtype)
        # Bring the gathered axis of ``out`` and the index axes of ``grad`` to the
        # front, so one add.at (which sums repeated ids) does the scatter.
        front = np.moveaxis(out, self.axis, 0)
        index_axes = range(self.axis, self.axis + self.ids.ndim)
        g = np.moveaxis(grad, tuple(index_axes), tuple(range(self.ids.ndim)))
        np.add.at(front, self.ids.reshape(-1), g.reshape((-1,) + front.shape[1:]))
        return out


def _reshaped(x, shape):
    return Reshape.apply(x, shape=shape, copy=isinstance(x, Variable))


def reshape(tensor, shape, name=None):
    """Same elements in a new shape; one dimension may be -1 (inferred).

    Raises:
        ValueError: naming both shapes and element counts when they differ.

    Example:
        >>> reshape(constant([[1, 2, 3], [4, 5, 6]]), [3, -1]).shape
        (3, 2)
    """
    x = convert_to_tensor(tensor)
    target = as_shape(shape, "reshape")
    unknown = [i for i, d in enumerate(target) if d == -1]
    if len(unknown) > 1 or any(d < -1 for d in target):
        raise ValueError(
            f"reshape: the target shape {target} may contain one -1 and no other negative "
            f"size."
        )
    known, count = math.prod(d for d in target if d != -1), x._data.size
    if unknown and known and count % known == 0:
        target = tuple(count // known if d == -1 else d for d in target)
    elif unknown or known != count:
        counted = f"a multiple of {known} elements" if unknown else f"{known} elements"
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {x.shape} ({count} elements) into "
            f"shape {target} ({counted}). The number of elements must stay the same."
        )
    return _reshaped(x, target)


def transpose(a, perm=None, conjugate=False, name=None):
    """Permute the axes (reverse them when ``perm`` is None)."""
    x = convert_to_tensor(a)
    perm = tuple(range(x.ndim))[::-1] if perm is None else as_shape(perm, "transpose")
    if sorted(perm) != list(range(x.ndim)):
        raise ValueError(
            f"transpose: perm {perm} is not a permutation of the axes of a tensor of shape "
            f"{x.shape}; expected an ordering of {tuple(range(x.ndim))}."
        )
    return Transpose.apply(x, perm=perm, copy=isinstance(x, Variable))


def expand_dims(input, axis, name=None):
    """Insert an axis of size 1 at ``axis`` (``-1`` appends)."""
    x = convert_to_tensor(input)
    a = normalize_axis(axis, x.ndim, "expand_dims", x.shape, extra=1)
    return _reshaped(x, x.shape[:a] + (1,) + x.shape[a:])


def squeeze(input, axis=None, name=None):
    """Remove axes of size 1 (all of them, or those listed in ``axis``)."""
    x = convert_to_tensor(input)
    if axis is None:
        axes = {i for i, n in enumerate(x.shape) if n == 1}
    else:
        axes = {normalize_axis(a, x.ndim, "squeeze", x.shape) for a in np.ravel(axis)}
        for a in sorted(axes):
            if x.shape[a] != 1:
                raise ValueError(
                    f"squeeze: cannot squeeze axis {a} of a tensor of shape {x.shape}: its "
                    f"size is {x.shape[a]}, not 1."
                )
    return _reshaped(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def concat(values, axis, name=None):
    """Join tensors along an existing axis; all other dimensions must match."""
    tensors = same_dtype(values, "concat")
    first = tensors[0]
    if first.ndim == 0:
        raise ValueError("concat: cannot concatenate scalars (shape ()); use stack instead.")
    a = normalize_axis(axis, first.ndim, "concat", first.shape)
    for i, t in enumerate(tensors[1:], 1):
        if t.ndim != first.ndim or t.shape[:a] + t.shape[a + 1:] != (
                first.shape[:a] + first.shape[a + 1:]):
            raise ValueError(
                f"concat: input {i} has shape {t.shape} but input 0 has shape {first.shape}; "
                f"all dimensions except axis {a} must match."
            )
    return Concat.apply(*tensors, axis=a)


def stack(values, axis=0, name=None):
    """Join same-shaped tensors along a new axis."""
    tensors = same_dtype(values, "stack")
    first = tensors[0]
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != first.shape:
            raise ValueError(
                f"stack: input {i} has shape {t.shape} but input 0 has shape {first.shape}; "
                f"all inputs must have the same shape."
            )
    a = normalize_axis(axis, first.ndim, "stack", first.shape, extra=1)
    return Stack.apply(*tensors, axis=a)


def identity(input, name=None):
    """The same value as a new Tensor (a snapshot when ``input`` is a Variable)."""
    x = convert_to_tensor(input)
    return Identity.apply(x, copy=isinstance(x, Variable))


def shape(input, out_type=np.int32, name=None):
    """The shape as a 1-D int32 Tensor."""
    return Tensor(np.array(convert_to_tensor(input).shape, dtype=out_type))


def size(input, out_type=np.int32, name=None):
    """The number of elements as a scalar int32 Tensor."""
    return Tensor(np.array(convert_to_tensor(input)._data.size, dtype=out_type))


def rank(input, name=None):
    """The number of dimensions as a scalar int32 Tensor."""
    return Tensor(np.array(convert_to_tensor(input).ndim, dtype=np.int32))


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """Slices of ``params`` along ``axis`` (default 0) at integer ``indices``.

    The gradient is dense (shaped like ``params``); repeated indices add up.

    Raises:
        ValueError: for an index outside ``[0, params.shape[axis])``.

    Example:
        >>> gather(constant([[1, 2], [3, 4], [5, 6]]), [2, 0]).numpy()
        array([[5, 6],
               [1, 2]], dtype=int32)
    """
    params = convert_to_tensor(params)
    if batch_dims:
        raise NotImplementedError("gather: batch_dims other than 0 is not supported.")
    a = normalize_axis(0 if axis is None else axis, params.ndim, "gather", params.shape)
    ids = np.asarray(indices._data if isinstance(indices, Tensor) else indices)
    if ids.dtype.kind not in "iu":
        raise TypeError(f"gather: indices must be integers, received dtype {ids.dtype.name}.")
    n = params.shape[a]
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        bad = ids.min() if ids.min() < 0 else ids.max()
        raise ValueError(
            f"gather: index {bad} is outside [0, {n}) for axis {a} of params with shape "
            f"{params.shape} (indices shape {ids.shape})."
        )
    return Gather.apply(params, ids=ids, axis=a)

