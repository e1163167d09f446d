"""Jacobians (``tape.jacobian``, ``tape.batch_jacobian``) and ``hessians``.

A Jacobian needs one vector-Jacobian product per output element. Instead of one
backward walk per element, the seeds are stacked on a new leading axis and walked
together: ops whose array backward broadcasts over leading axes (elementwise ops,
activations, matmul) handle the whole stack in one call; the others are called
once per seed inside the same walk. ``parallel_iterations`` bounds the stack (and
so the memory); ``experimental_use_pfor=False`` walks one seed at a time.

While another tape records, the Jacobian must itself be differentiable: it is
then built from one differentiable gradient per element (``higher_order``).
"""

import math

import numpy as np

from . import higher_order, recording
from .tensor import Tensor, convert_to_tensor

_ELEMENT_BUDGET = 1 << 24  # stacked gradient elements per walk (~128 MB in float64)


def _row_safe():
    """Ops whose array ``backward`` works unchanged on a stack of seeds."""
    from ..ops import activation as act
    from ..ops import elementwise as ew
    from ..ops.linalg import MatMul

    return {ew.Add, ew.Subtract, ew.Multiply, ew.Divide, ew.Pow, ew.Maximum, ew.Minimum,
            ew.Negative, ew.Exp, ew.Log, ew.Sqrt, ew.Square, ew.Abs, ew.Where,
            ew.ClipByValue, ew.Cast, MatMul, act.Relu, act.Relu6, act.LeakyRelu, act.Elu,
            act.Sigmoid, act.Tanh, act.Softplus, act.Softsign, act.Silu}


def _sum_rows_to(g, shape):
    """Like ``tape.unbroadcast`` for a stack ``(k, *broadcast shape)`` of gradients."""
    extra = g.ndim - 1 - len(shape)
    if extra > 0:
        g = g.sum(axis=tuple(range(1, 1 + extra)))
    axes = tuple(1 + i for i, n in enumerate(shape) if n == 1 and g.shape[1 + i] != 1)
    return g.sum(axis=axes, keepdims=True) if axes else g


def stacked_gradients(order, target, seeds, sources):
    """Gradients of ``target`` for each seed in ``seeds``, in one walk.

    Args:
        order: ``tape._topological_order(target)``.
        target: the Tensor differentiated.
        seeds: an array ``(k, *target.shape)``.
        sources: the Tensors to differentiate with respect to.

    Returns:
        A list with, per source, an array ``(k, *source.shape)`` or None.
    """
    safe = _row_safe()

    def node_grads(fn, out, grads):
        if type(fn) in safe:
            got = fn.backward(grads)
            return got if isinstance(got, tuple) else (got,)
        rows = [fn.backward(g) for g in grads]
        rows = [r if isinstance(r, tuple) else (r,) for r in rows]
        return tuple(None if col[0] is None else np.stack(col)
                     for col in zip(*rows, strict=True))

    def fit(fn, x, g):
        g = np.asarray(g)
        if g.ndim <= x.ndim:  # a gradient that does not vary with the seed
            g = np.broadcast_to(g, seeds.shape[:1] + g.shape)
        return _sum_rows_to(g, x.shape).astype(x.dtype, copy=False)

    keep = {id(s) for s in sources}
    grads = higher_order.reverse_walk(order, {id(target): seeds}, keep, node_grads, fit)
    return [grads.get(id(s)) for s in sources]


def _chunks(total, tape_order, parallel_iterations, use_pfor):
    if not use_pfor:
        return 1
    if parallel_iterations is not None:
        return max(1, int(parallel_iterations))
    biggest = max([t._data.size for t in tape_order] + [1])
    return max(1, min(total, _ELEMENT_BUDGET // biggest))


def _walk(target, flat, seeds_for, count, parallel_iterations, use_pfor):
    """Stacked gradients for seeds ``seeds_for(lo, hi)``, concatenated over chunks."""
    from .tape import _topological_order

    order = _topological_order(target) if target._node is not None else []
    step = _chunks(count, order, parallel_iterations, use_pfor)
    parts = [[] for _ in flat]
    for lo in range(0, count, step):
        hi = min(lo + step, count)
        seeds = seeds_for(lo, hi)
        if target._node is None:  # the target is (at most) one of the sources
            got = [seeds if s is target else None for s in flat]
        else:
            got = stacked_gradients(order, target, seeds, flat)
        for part, g in zip(parts, got, strict=True):
            part.append(g)
    return [None if part[0] is None else np.concatenate(part) for part in parts]


def _differentiable_rows(target, flat, seeds):
    """One differentiable gradient per seed, stacked (when an outer tape records)."""
    from ..ops.shape import stack
    from .tape import _topological_order

    order = _topological_order(target) if target._node is not None else []
    keep = {id(s) for s in flat}
    rows = [higher_order.differentiable_backward(target, Tensor(seed), keep, order)
            for seed in seeds]
    out = []
    for s in flat:
        got = [r.get(id(s)) for r in rows]
        if all(g is None for g in got):
            out.append(None)
            continue
        zero = Tensor(np.zeros(s.shape, dtype=s.dtype))
        out.append(stack([zero if g is None else g for g in got]))
    return out


def _finish(grads, flat, lead_shape, mode):
    from ..ops.shape import reshape

    results = []
    for s, g in zip(flat, grads, strict=True):
        shape = lead_shape + s.shape
        if g is None:
            results.append(Tensor(np.zeros(shape, dtype=s.dtype)) if mode == "zero" else None)
        else:
            results.append(reshape(g, shape) if isinstance(g, Tensor)
                           else Tensor(g.reshape(shape)))
    return results


def jacobian(tape, target, sources, unconnected_gradients, parallel_iterations, use_pfor):
    """``GradientTape.jacobian`` (see there); ``tape`` is the tape it was called on."""
    from .tape import flatten_sources, pack_like, unconnected_mode

    mode = unconnected_mode(unconnected_gradients, "GradientTape.jacobian")
    target = convert_to_tensor(target)
    flat = flatten_sources(sources, "GradientTape.jacobian")
    tape.mark_used()
    count = target._data.size
    eye = np.eye(count, dtype=target.dtype)
    if recording.active():
        grads = _differentiable_rows(target, flat, eye.reshape((count,) + target.shape))
    else:
        grads = _walk(target, flat, lambda lo, hi: eye[lo:hi].reshape(
            (hi - lo,) + target.shape), count, parallel_iterations, use_pfor)
    grads = [g if _watched_by(tape, s) else None for s, g in zip(flat, grads, strict=True)]
    return pack_like(sources, _finish(grads, flat, target.shape, mode))


def _watched_by(tape, source):
    """Overlapping tapes share one graph; each answers only for what it watched."""
    return not tape._shared or tape._watches(source)


def batch_jacobian(tape, target, source, unconnected_gradients, parallel_iterations,
                   use_pfor):
    """``GradientTape.batch_jacobian`` (see there); ``tape`` is the tape it was called on."""
    from ..ops.shape import reshape, transpose
    from .tape import unconnected_mode

    mode = unconnected_mode(unconnected_gradients, "GradientTape.batch_jacobian")
    target, source = convert_to_tensor(target), convert_to_tensor(source)
    if target.ndim < 1 or source.ndim < 1 or target.shape[0] != source.shape[0]:
        raise ValueError(
            f"GradientTape.batch_jacobian: need first dimension of target shape "
            f"{target.shape} and source shape {source.shape} to match (the batch size)."
        )
    tape.mark_used()
    batch, inner = target.shape[0], math.prod(target.shape[1:])
    eye = np.eye(inner, dtype=target.dtype)

    def seeds_for(lo, hi):  # seed j: 1 at element j of every example
        rows = np.broadcast_to(eye[lo:hi, None, :], (hi - lo, batch, inner))
        return np.ascontiguousarray(rows).reshape((hi - lo,) + target.shape)

    if recording.active():
        (g,) = _differentiable_rows(target, [source], seeds_for(0, inner))
    else:
        (g,) = _walk(target, [source], seeds_for, inner, parallel_iterations, use_pfor)
    shape = target.shape + source.shape[1:]
    if g is None or not _watched_by(tape, source):
        return Tensor(np.zeros(shape, dtype=source.dtype)) if mode == "zero" else None
    perm = (1, 0) + tuple(range(2, g.ndim))  # (inner, batch, ...) -> (batch, inner, ...)
    if isinstance(g, Tensor):
        return reshape(transpose(g, perm), shape)
    return Tensor(np.ascontiguousarray(np.transpose(g, perm)).reshape(shape))


def hessians(ys, xs, gate_gradients=False, aggregation_method=None, name="hessians"):
    """Hessians of ``sum(ys)`` with respect to each of ``xs`` (TF's ``tf.hessians``).

    Works in eager code when ``ys`` was computed while a GradientTape recorded
    (the graph then exists), or when ``ys`` is a function of no arguments
    computing it: the gradient is taken with differentiable ops and its Jacobian
    with a second, nested tape.

    Args:
        ys: a Tensor (or list of Tensors, summed), or a callable returning one.
        xs: a Tensor/Variable or a list of them.

    Returns:
        A list with, per ``x``, a Tensor of shape ``x.shape + x.shape``.

    Raises:
        ValueError: when ``ys`` was computed with no tape recording.

    Example:
        >>> x = myelin.Variable([1.0, 2.0])
        >>> hessians(lambda: myelin.reduce_sum(x ** 3.0), x)[0].numpy()
        array([[ 6.,  0.],
               [ 0., 12.]], dtype=float32)
    """
    from ..ops.reduce import reduce_sum
    from .tape import GradientTape

    flat = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    with GradientTape(persistent=True, watch_accessed_variables=False) as outer:
        outer.watch(flat)
        if callable(ys):
            ys = ys()
        parts = list(ys) if isinstance(ys, (list, tuple)) else [ys]
        if all(convert_to_tensor(y)._node is None for y in parts):
            raise ValueError(
                "hessians: ys was computed while no GradientTape was recording, so in eager "
                "code there is nothing to differentiate. Compute ys inside "
                "`with tf.GradientTape():`, or pass a function computing it: "
                "tf.hessians(lambda: loss(x), x)."
            )
        total = reduce_sum(parts[0])
        for y in parts[1:]:
            total = total + reduce_sum(y)
        grads = higher_order.gradient_of(total, flat)
    out = []
    for x, g in zip(flat, grads, strict=True):
        if g is None:
            out.append(None)
            continue
        out.append(outer.jacobian(g, x, unconnected_gradients="zero"))
    return out
