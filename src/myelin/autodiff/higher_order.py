"""Higher-order gradients: the backward walk run with differentiable ops.

The first-order walk (``tape.backward``) calls each op's ``backward`` on raw arrays:
fast, but its result is a constant that no tape can differentiate again. When a
tape's ``gradient`` is asked for while another tape (or a forward accumulator) is
recording, ``gradient`` takes this walk instead: the same topological order, but
each node's gradient comes from its *VJP rule*, a function of Tensors written with
ordinary differentiable ops, so the gradient computation is itself recorded and
``t2.gradient(t1.gradient(y, x), x)`` is the second derivative.

A rule is registered per Function class (exact class, not subclasses: a batch-mean
loss derived from a per-sample kernel computes something else)::

    @vjp_rule(Exp)
    def _exp(fn, out, grad):          # fn: the recorded Function, out: its output
        return grad * out             # one gradient per input (a tuple for several)

Fused kernels get their rule from a composition of primitive ops
(``composite_vjp``), so their own backward stays the fast array code. An op without
a rule still yields the right first derivative, wrapped so that differentiating it
again raises an error naming the op (never a silent None or zero).
"""

import numpy as np

from . import recording
from .function import Function
from .tensor import Tensor

VJP_RULES = {}
_loaded = []


def vjp_rule(*classes):
    """Register ``rule(fn, out, grad) -> gradients`` as the VJP of each of ``classes``.

    Args:
        *classes: Function subclasses the rule differentiates.

    Returns:
        A decorator that registers the rule and returns it unchanged.

    Example:
        >>> @vjp_rule(Square)
        ... def _square(fn, out, grad):
        ...     return grad * fn.inputs[0] * 2.0
    """
    return registrar(VJP_RULES, classes)


def registrar(table, classes):
    """A decorator entering its function in ``table`` under each of ``classes``.

    Args:
        table: a dict from Function class to rule (``VJP_RULES``, ``JVP_RULES``).
        classes: the Function subclasses to register the rule for.

    Returns:
        The decorator; it returns the rule unchanged.
    """
    def register(rule):
        for cls in classes:
            table[cls] = rule
        return rule
    return register


def load_rules():
    """Import the built-in rules once (lazily: the first-order path never needs them)."""
    if not _loaded:
        from ..ops import rules  # noqa: F401  (registers the rules of the built-in ops)
        _loaded.append(True)


def _no_rule_message(op):
    return (
        f"{op}: this op has no higher-order gradient (VJP) rule, so a gradient computed "
        f"through it cannot be differentiated again (nested GradientTape, jacobian of a gradient, "
        f"ForwardAccumulator over a gradient). Its first derivative is available; for "
        f"more, register a rule with myelin.autodiff.higher_order.vjp_rule."
    )


class NoHigherOrderRule(Function):
    """A first derivative computed by an op without a VJP rule: a constant value whose
    own gradient raises, naming the op, if anything asks for it.

    Args:
        value: the gradient array the op's ``backward`` computed.
        op: the op's name, for the error.
    """

    def __init__(self, value, op):
        self.value, self.op = value, op

    def forward(self, *arrays):
        return self.value

    def backward(self, grad):
        raise NotImplementedError(_no_rule_message(self.op))


@vjp_rule(NoHigherOrderRule)
def _no_rule(fn, out, grad):
    raise NotImplementedError(_no_rule_message(fn.op))


def _without_rule(fn, grad):
    with recording.paused():
        arrays = fn.backward(grad._data)
    if not isinstance(arrays, tuple):
        arrays = (arrays,)
    return tuple(None if a is None else NoHigherOrderRule.apply(
        *fn.inputs, grad, value=np.asarray(a), op=fn.name) for a in arrays)


def sum_to_shape(grad, shape):
    """Differentiable ``unbroadcast``: sum a gradient back to an input's shape.

    Args:
        grad: a Tensor in the broadcast shape of an op's output.
        shape: the shape of the input it belongs to.

    Returns:
        A Tensor of ``shape`` (recorded ops: a ReduceSum and a Reshape at most).
    """
    if grad.shape == shape:
        return grad
    from ..ops.reduce import ReduceSum
    from ..ops.shape import Reshape

    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(
        extra + i for i, n in enumerate(shape) if n == 1 and grad.shape[extra + i] != 1)
    if axes:
        grad = ReduceSum.apply(grad, axes=axes, keepdims=True)
    return Reshape.apply(grad, shape=shape, copy=False) if grad.shape != shape else grad


def reverse_walk(order, grads, keep, node_grads, fit):
    """The reverse walk shared by the differentiable and the stacked (Jacobian) paths.

    Args:
        order: the nodes, consumers first (``tape._topological_order``).
        grads: a dict ``id(tensor) -> gradient`` holding the seed; filled in place.
        keep: ids whose gradients stay in ``grads`` even when intermediate.
        node_grads: ``(fn, out, grad) -> one gradient per input``.
        fit: ``(fn, x, g) -> g`` summed to ``x``'s shape and cast to its dtype.

    Returns:
        ``grads``.
    """
    for t in order:
        fn = t._node
        key = id(t)
        grad = grads[key] if key in keep else grads.pop(key, None)
        if grad is None:
            continue
        for x, need, g in zip(fn.inputs, fn.needs, node_grads(fn, t, grad), strict=True):
            if g is None or not need:
                continue
            g = fit(fn, x, g)
            xid = id(x)
            grads[xid] = grads[xid] + g if xid in grads else g
    return grads


def _rule_grads(fn, out, grad):
    rule = VJP_RULES.get(type(fn))
    in_grads = rule(fn, out, grad) if rule is not None else _without_rule(fn, grad)
    return in_grads if isinstance(in_grads, tuple) else (in_grads,)


def _fit(fn, x, g):
    from ..ops.elementwise import cast

    g = sum_to_shape(g, x.shape)
    if g.shape != x.shape:
        raise RuntimeError(
            f"{fn.name}: its VJP rule produced a gradient of shape {g.shape} for an input "
            f"of shape {x.shape}. This is a bug in the rule."
        )
    return g if g.dtype == x.dtype else cast(g, x.dtype)


def differentiable_backward(target, seed, keep, order):
    """Gradients of ``target`` (seeded with the Tensor ``seed``) as recorded Tensors.

    Args:
        target: the Tensor differentiated.
        seed: a Tensor of ``target``'s shape.
        keep: ids of tensors whose gradients are returned even when intermediate.
        order: ``tape._topological_order(target)`` (computed by the caller).

    Returns:
        A dict from ``id(tensor)`` to gradient Tensor.
    """
    load_rules()
    return reverse_walk(order, {id(target): seed}, keep, _rule_grads, _fit)


def gradient_of(y, sources, seed=None):
    """``d sum(y * seed) / d source`` for each source, as recorded Tensors.

    Used by composite rules, forward mode and ``hessians``.

    Args:
        y: the Tensor differentiated.
        sources: Tensors to differentiate with respect to.
        seed: a Tensor of ``y``'s shape (ones when None).

    Returns:
        A list with one gradient Tensor per source, ``None`` where ``y`` does not
        depend on it.
    """
    from .tape import _topological_order

    seed = Tensor(np.ones_like(y._data)) if seed is None else seed
    keep = {id(s) for s in sources}
    order = _topological_order(y) if y._node is not None else []
    grads = differentiable_backward(y, seed, keep, order)
    return [grads.get(id(s)) for s in sources]


class _Watcher(recording.Recorder):
    """A minimal recording context that watches given tensors (no variables)."""

    def __init__(self, tensors):
        self._watched = {id(t) for t in tensors}


def watching(tensors):
    """A context in which ops on ``tensors`` are recorded (for composite rules).

    Args:
        tensors: the Tensors to watch (Variables are not watched automatically).

    Returns:
        A context manager.

    Example:
        >>> with watching([x]):
        ...     y = x * x   # recorded even when no user tape watches x
    """
    return _Watcher(tensors)


def composite_vjp(compose):
    """A VJP rule from ``compose(fn, *inputs) -> Tensor``, the op written with primitive
    differentiable ops (the fallback of fused kernels in higher-order mode).

    Args:
        compose: recomputes the op's output from its input Tensors.

    Returns:
        A rule ``(fn, out, grad) -> gradients`` for ``vjp_rule``.

    Example:
        >>> vjp_rule(Dense)(composite_vjp(lambda fn, x, k: matmul(x, k)))
    """
    def rule(fn, out, grad):
        wanted = [x for x, need in zip(fn.inputs, fn.needs, strict=True) if need]
        with watching(wanted):
            y = compose(fn, *fn.inputs)
            grads = gradient_of(y, wanted, seed=grad)
        it = iter(grads)
        return tuple(next(it) if need else None for need in fn.needs)
    return rule


class Adjoint(Function):
    """``L^T g`` for a linear op ``L`` as an op of its own, so that it can be
    differentiated again: its gradient is ``L`` itself.

    Args:
        transpose: array function ``g -> L^T g`` (usually the op's own ``backward``).
        linear: Tensor function ``h -> L h`` (the op applied again).
    """

    def __init__(self, transpose, linear):
        self.transpose, self.linear = transpose, linear

    def forward(self, g):
        return np.asarray(self.transpose(g))

    def backward(self, h):
        with recording.paused():
            return self.linear(Tensor(h))._data


@vjp_rule(Adjoint)
def _adjoint(fn, out, grad):
    return fn.linear(grad)


def adjoint(fn, grad, linear):
    """The VJP of a linear single-input op ``fn`` at ``grad``: ``fn.backward`` as an op.

    Args:
        fn: the recorded Function (linear in its one differentiable input).
        grad: the incoming gradient Tensor.
        linear: ``h -> fn's op applied to h`` (a Tensor function), the adjoint's gradient.

    Returns:
        The input gradient as a recorded Tensor.
    """
    return Adjoint.apply(grad, transpose=fn.backward, linear=linear)
