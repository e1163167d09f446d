"""Forward mode: ``ForwardAccumulator`` and the JVP rules behind it (TF's
``tf.autodiff.ForwardAccumulator``).

The accumulator records like a tape that watches only its primals; ``jvp(y)`` then
walks the recorded graph from the primals towards ``y`` in forward order, pushing
each tangent through the op's *JVP rule* (a function of Tensors, like the VJP rules
of ``higher_order``). Because the rules use differentiable ops, a tape recording
around ``jvp`` can differentiate the result, and an accumulator around a tape's
``gradient`` gives Hessian-vector products (forward-over-backward).

Rules are registered per Function class; ops whose Jacobian is diagonal
(elementwise ops, with broadcasting) take theirs from their VJP rule
(``jvp_from_vjp``). An op a tangent must cross without a rule raises an error
naming it.
"""

import warnings

import numpy as np

from . import higher_order, recording
from .tensor import Tensor, convert_to_tensor

JVP_RULES = {}


def jvp_rule(*classes):
    """Register ``rule(fn, out, tangents) -> output tangent`` for each of ``classes``.

    ``tangents`` has one entry per input of ``fn``: a Tensor, or ``None`` for an input
    with no tangent (zero).

    Args:
        *classes: Function subclasses the rule differentiates.

    Returns:
        A decorator that registers the rule and returns it unchanged.

    Example:
        >>> @jvp_rule(Negative)
        ... def _negative(fn, out, tangents):
        ...     return -tangents[0]
    """
    return higher_order.registrar(JVP_RULES, classes)


def jvp_from_vjp(*classes):
    """Give elementwise ops (diagonal Jacobian per input) the JVP ``sum_i d_i * t_i``,
    read off their VJP rule: the VJP seeded with ``t_i`` has ``d_i * t_i`` in slot i.

    Args:
        *classes: Function subclasses with a VJP rule and an elementwise Jacobian.

    Example:
        >>> jvp_from_vjp(Exp, Log)
    """
    def rule(fn, out, tangents):
        vjp = higher_order.VJP_RULES[type(fn)]
        total = None
        for i, t in enumerate(tangents):
            if t is None:
                continue
            term = vjp(fn, out, t)
            term = term[i] if isinstance(term, tuple) else term
            total = term if total is None else total + term
        return total
    for cls in classes:
        JVP_RULES[cls] = rule


def jvp_by_double_vjp(fn, out, tangents):
    """A JVP from the VJP rule alone (TF's trick for custom gradients): the VJP
    ``u -> J^T u`` is linear in ``u``, and the gradient of ``<J^T u, t>`` with respect
    to ``u`` is ``J t``.

    Args:
        fn: the recorded Function; out: its output; tangents: one per input (or None).

    Returns:
        The output tangent, or None when no tangent is given.
    """
    u = Tensor(np.zeros(out.shape, dtype=out.dtype))
    with higher_order.watching([u]):
        vjps = higher_order.VJP_RULES[type(fn)](fn, out, u)
        vjps = vjps if isinstance(vjps, tuple) else (vjps,)
        total = None
        for x, g, t in zip(fn.inputs, vjps, tangents, strict=True):
            if g is None or t is None:
                continue
            term = _reduce_all(higher_order.sum_to_shape(g, x.shape) * t)
            total = term if total is None else total + term
        if total is None:
            return None
        return higher_order.gradient_of(total, [u])[0]


def _reduce_all(t):
    from ..ops.reduce import reduce_sum

    return reduce_sum(t)


def _broadcast_to(t, shape):
    if t.shape == shape:
        return t
    return t + Tensor(np.zeros(shape, dtype=t.dtype))


def push_forward(target, tangents):
    """Push tangents forward through the graph that produced ``target``.

    Args:
        target: a Tensor.
        tangents: a dict ``id(tensor) -> tangent Tensor`` for the watched tensors.

    Returns:
        The tangent of ``target``, or None when no tangent reaches it.

    Raises:
        NotImplementedError: naming an op a tangent must cross that has no JVP rule.
    """
    higher_order.load_rules()
    from ..ops.elementwise import cast
    from .tape import _topological_order

    if id(target) in tangents:
        return tangents[id(target)]
    if target._node is None:
        return None
    tangents = dict(tangents)
    for t in reversed(_topological_order(target)):  # inputs before the ops using them
        fn = t._node
        ins = [tangents.get(id(x)) for x in fn.inputs]
        if all(v is None for v in ins):
            continue
        rule = JVP_RULES.get(type(fn))
        if rule is None:
            raise NotImplementedError(
                f"{fn.name}: this op has no forward-mode (JVP) rule, so "
                f"ForwardAccumulator cannot push a tangent through it. Compute this "
                f"derivative with GradientTape, or register a rule with "
                f"myelin.autodiff.forward_mode.jvp_rule."
            )
        out = rule(fn, t, ins)
        if out is not None:
            out = _broadcast_to(out, t.shape)
            tangents[id(t)] = out if out.dtype == t.dtype else cast(out, t.dtype)
    return tangents.get(id(target))


def _flat(value):
    if isinstance(value, dict):
        return list(value.values())
    return list(value) if isinstance(value, (list, tuple)) else [value]


class ForwardAccumulator(recording.Recorder):
    """Computes Jacobian-vector products with forward-mode autodiff, as TF's
    ``tf.autodiff.ForwardAccumulator``.

    Operations run inside the context on the primals (or on results of them) are
    recorded; ``jvp(y)`` is the directional derivative of ``y`` along ``tangents``.

    Args:
        primals: a Tensor/Variable or a list of them (floating point).
        tangents: a matching structure of tangents (same shapes).

    Example:
        >>> x = myelin.constant([1.0, 2.0])
        >>> with myelin.autodiff.ForwardAccumulator(x, myelin.constant([1.0, 0.0])) as acc:
        ...     y = x * x
        >>> acc.jvp(y).numpy()
        array([2., 0.], dtype=float32)
    """

    def __init__(self, primals, tangents):
        flat_p, flat_t = _flat(primals), _flat(tangents)
        if len(flat_p) != len(flat_t):
            raise ValueError(
                f"ForwardAccumulator: received {len(flat_p)} primals but {len(flat_t)} "
                f"tangents; give one tangent per primal."
            )
        self._watched, self._keepalive, self._tangents = set(), [], {}
        for p, t in zip(flat_p, flat_t, strict=True):
            if not isinstance(p, Tensor):
                raise TypeError(
                    f"ForwardAccumulator: primals must be Tensors or Variables, received "
                    f"{type(p).__name__}. Wrap values with myelin.constant(...) first."
                )
            if p.dtype.kind != "f":  # TF warns and the primal never gets a tangent
                warnings.warn(
                    f"ForwardAccumulator: the dtype of the watched primal must be floating "
                    f"(e.g. float32), got {p.dtype.name}; its tangent is ignored. Cast it "
                    f"first: myelin.cast(x, 'float32').", stacklevel=2)
                continue
            t = convert_to_tensor(t, dtype=p.dtype)
            if t.shape != p.shape:
                raise ValueError(
                    f"ForwardAccumulator: a tangent of shape {t.shape} does not match its "
                    f"primal of shape {p.shape}; each tangent must have its primal's shape."
                )
            self._watched.add(id(p))
            self._keepalive.append(p)
            self._tangents[id(p)] = t

    def jvp(self, primals, unconnected_gradients="none"):
        """The tangent (Jacobian-vector product) of each of ``primals``.

        Args:
            primals: a Tensor, or a list/tuple/dict of them, computed inside the context.
            unconnected_gradients: ``"none"`` (default) or ``"zero"`` for tensors the
                watched primals do not reach.

        Returns:
            The same structure of Tensors (``None`` where unconnected).

        Example:
            >>> with ForwardAccumulator(x, v) as acc:
            ...     with myelin.GradientTape() as tape:
            ...         y = f(x)
            ...     g = tape.gradient(y, x)
            >>> acc.jvp(g)   # a Hessian-vector product
        """
        from .tape import flatten_sources, pack_like, unconnected_mode

        mode = unconnected_mode(unconnected_gradients, "ForwardAccumulator.jvp")
        results = []
        for y in flatten_sources(primals, "ForwardAccumulator.jvp"):
            t = push_forward(y, self._tangents)
            if t is None and mode == "zero":
                t = Tensor(np.zeros_like(y._data))
            results.append(t)
        return pack_like(primals, results)
