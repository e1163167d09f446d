"""Python operators for Tensor: arithmetic, comparisons, indexing and ``.T``.

Importing this module attaches them (``myelin.ops`` does so on import). Comparisons
are elementwise and return bool Tensors, as in TensorFlow 2; ``__hash__`` stays
identity-based so tensors can still key dicts and sets.
"""

import numpy as np

from ..autodiff import Function, Tensor, Variable
from ..autodiff.static_value import graph_capable
from . import compare, elementwise, linalg, shape


class GetItem(Function):
    """``x[key]`` for NumPy basic and advanced keys."""

    def __init__(self, key, scatter, copy):
        self.key, self.scatter, self.copy = key, scatter, copy

    def forward(self, x):
        self.in_shape = x.shape
        out = np.asarray(x[self.key])
        return out.copy() if self.copy and out.base is not None else out

    def backward(self, grad):
        out = np.zeros(self.in_shape, dtype=grad.dtype)
        if self.scatter:  # integer arrays may repeat an element: accumulate
            np.add.at(out, self.key, grad)
        else:
            out[self.key] = grad
        return out


def _index_part(k):
    if isinstance(k, Tensor):
        return k._data
    return np.asarray(k) if isinstance(k, list) else k


def getitem(x, key):
    """``x[key]`` with NumPy semantics (ints, slices, None, ..., integer/bool arrays)."""
    key = tuple(map(_index_part, key)) if isinstance(key, tuple) else _index_part(key)
    parts = key if isinstance(key, tuple) else (key,)
    scatter = any(isinstance(k, np.ndarray) and k.dtype.kind in "iu" for k in parts)
    try:
        return GetItem.apply(x, key=key, scatter=scatter, copy=isinstance(x, Variable))
    except IndexError as e:
        raise IndexError(f"Tensor index {key!r} on a tensor of shape {x.shape}: {e}") from None


def _equality(op, incomparable):
    """``==`` or ``!=``: elementwise, but TF 2 answers ``incomparable`` (a Python bool)
    for None, values that do not convert and shapes that do not broadcast."""
    def method(self, other):
        if other is None:
            return incomparable
        try:
            return op(self, other)
        except (TypeError, ValueError):
            return incomparable
    return method


def _attach(name, fn, reflected=None):
    setattr(Tensor, f"__{name}__", lambda self, other: fn(self, other))
    if reflected:
        setattr(Tensor, f"__{reflected}__", lambda self, other: fn(other, self))


# Comparisons read raw values outside any op: graph_capable records them on graph tensors.
for _name, _fn in [("add", elementwise.add), ("sub", elementwise.subtract),
                   ("mul", elementwise.multiply), ("truediv", elementwise.divide),
                   ("pow", elementwise.pow), ("matmul", linalg.matmul),
                   ("and", graph_capable(compare.logical_and)),
                   ("or", graph_capable(compare.logical_or)),
                   ("xor", graph_capable(compare.logical_xor))]:
    _attach(_name, _fn, reflected=f"r{_name}")
for _name, _fn in [("lt", compare.less), ("le", compare.less_equal),
                   ("gt", compare.greater), ("ge", compare.greater_equal)]:
    _attach(_name, graph_capable(_fn))

Tensor.__neg__ = lambda self: elementwise.negative(self)
Tensor.__abs__ = lambda self: elementwise.abs(self)
Tensor.__invert__ = lambda self: graph_capable(compare.logical_not)(self)
Tensor.__eq__ = _equality(graph_capable(compare.equal), incomparable=False)
Tensor.__ne__ = _equality(graph_capable(compare.not_equal), incomparable=True)
Tensor.__getitem__ = getitem
Tensor.T = property(lambda self: shape.transpose(self), doc="The transpose (axes reversed).")
