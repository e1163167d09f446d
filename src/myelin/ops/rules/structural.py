"""VJP and JVP rules of the ops that move or reduce elements (shape ops, indexing,
reductions).

Most are linear in their input: the JVP applies the op again to the tangent, and
the VJP is the op's own array ``backward`` made an op (``adjoint``), whose gradient
is the op again.
"""

import numpy as np

from ...autodiff import Tensor
from ...autodiff.forward_mode import jvp_rule
from ...autodiff.higher_order import adjoint, vjp_rule
from .. import elementwise as ew
from ..operators import GetItem
from ..reduce import ReduceExtreme, ReduceLogSumExp, ReduceMean, ReduceSum
from ..shape import Concat, Gather, Identity, Reshape, Stack, Transpose
from .elementwise import const


def _zeros_like(x):
    return Tensor(np.zeros(x.shape, dtype=x.dtype))


@vjp_rule(Reshape)
def _reshape(fn, out, g):
    return Reshape.apply(g, shape=fn.in_shape, copy=False)


@jvp_rule(Reshape)
def _reshape_jvp(fn, out, tangents):
    return Reshape.apply(tangents[0], shape=fn.shape, copy=False)


@vjp_rule(Transpose)
def _transpose(fn, out, g):
    return Transpose.apply(g, perm=tuple(np.argsort(fn.perm)), copy=False)


@jvp_rule(Transpose)
def _transpose_jvp(fn, out, tangents):
    return Transpose.apply(tangents[0], perm=fn.perm, copy=False)


@vjp_rule(Identity)
def _identity(fn, out, g):
    return g


@jvp_rule(Identity)
def _identity_jvp(fn, out, tangents):
    return tangents[0]


def _part(g, axis, index):
    return GetItem.apply(g, key=(slice(None),) * axis + (index,), scatter=False, copy=False)


@vjp_rule(Concat)
def _concat(fn, out, g):
    bounds = [0, *fn.offsets.tolist(), g.shape[fn.axis]]
    pairs = zip(bounds[:-1], bounds[1:], strict=True)
    return tuple(_part(g, fn.axis, slice(lo, hi)) for lo, hi in pairs)


@vjp_rule(Stack)
def _stack(fn, out, g):
    return tuple(_part(g, fn.axis, i) for i in range(len(fn.inputs)))


@jvp_rule(Concat, Stack)
def _join_jvp(fn, out, tangents):
    parts = [_zeros_like(x) if t is None else t for x, t in zip(fn.inputs, tangents,
                                                                  strict=True)]
    return type(fn).apply(*parts, axis=fn.axis)


@vjp_rule(GetItem)
def _getitem(fn, out, g):
    return adjoint(fn, g, lambda h: GetItem.apply(h, key=fn.key, scatter=fn.scatter,
                                                  copy=False))


@jvp_rule(GetItem)
def _getitem_jvp(fn, out, tangents):
    return GetItem.apply(tangents[0], key=fn.key, scatter=fn.scatter, copy=False)


@vjp_rule(Gather)
def _gather(fn, out, g):
    return adjoint(fn, g, lambda h: Gather.apply(h, ids=fn.ids, axis=fn.axis))


@jvp_rule(Gather)
def _gather_jvp(fn, out, tangents):
    return Gather.apply(tangents[0], ids=fn.ids, axis=fn.axis)


@vjp_rule(ReduceSum, ReduceMean)
def _reduce_linear(fn, out, g):
    return adjoint(fn, g, lambda h: type(fn).apply(h, axes=fn.axes, keepdims=fn.keepdims))


@jvp_rule(ReduceSum, ReduceMean)
def _reduce_linear_jvp(fn, out, tangents):
    return type(fn).apply(tangents[0], axes=fn.axes, keepdims=fn.keepdims)


def _kept(fn, t):
    """A reduction's output (or its gradient) with the reduced axes kept as size 1."""
    return Reshape.apply(t, shape=fn.out.shape, copy=False)


def _share(fn):
    """Each element's share of a max/min: 1/ties where it is extreme, else 0."""
    mask = fn.x == fn.out
    return mask / mask.sum(axis=fn.axes, keepdims=True)


@vjp_rule(ReduceExtreme)
def _reduce_extreme(fn, out, g):
    return _kept(fn, g) * const(_share(fn), g)


@jvp_rule(ReduceExtreme)
def _reduce_extreme_jvp(fn, out, tangents):
    t = tangents[0]
    return ReduceSum.apply(t * const(_share(fn), t), axes=fn.axes, keepdims=fn.keepdims)


def _softmax_weights(fn, out):
    return ew.exp(fn.inputs[0] - _kept(fn, out))


@vjp_rule(ReduceLogSumExp)
def _reduce_logsumexp(fn, out, g):
    return _kept(fn, g) * _softmax_weights(fn, out)


@jvp_rule(ReduceLogSumExp)
def _reduce_logsumexp_jvp(fn, out, tangents):
    weighted = tangents[0] * _softmax_weights(fn, out)
    return ReduceSum.apply(weighted, axes=fn.axes, keepdims=fn.keepdims)
