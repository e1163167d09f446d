"""GradientTape (TensorFlow 2's API) and the backward walk behind it.

``gradient`` has two paths. With no other tape recording (the trainer, a single
tape) it runs ``backward`` below: each op's array ``backward``, nothing recorded.
While another tape or a forward accumulator records, it runs the same walk with
differentiable ops instead (``higher_order``), so the gradient can be
differentiated again. Jacobians live in ``jacobian``.
"""

import warnings

import numpy as np

from . import higher_order, recording
from .tensor import Tensor, Variable, convert_to_tensor


def unbroadcast(grad, shape):
    """Sum a gradient back to the shape of an input that NumPy broadcast."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    return grad


def _topological_order(target):
    """Nodes reachable from ``target``, each before every node that feeds it.

    An iterative depth-first post-order: a tensor is marked when it is expanded, not
    when it is pushed, so one reached by paths of different lengths is still placed
    after all of its consumers.
    """
    order, expanded_ids = [], set()
    stack = [(target, False)]
    while stack:
        t, done = stack.pop()
        if done:
            order.append(t)
            continue
        if id(t) in expanded_ids:
            continue
        expanded_ids.add(id(t))
        stack.append((t, True))
        for parent in t._node.inputs:
            if parent._node is not None and id(parent) not in expanded_ids:
                stack.append((parent, False))
    order.reverse()
    return order


def backward(target, seed, keep=(), free=False):
    """Gradients of ``target`` (seeded with ``seed``) for every tensor it depends on.

    Returns a dict from ``id(tensor)`` to gradient array. Gradients of tensors in
    ``keep`` survive even when they are intermediate results. With ``free``, each
    node is unlinked once its backward ran, so the graph is released in the same walk.
    """
    grads = {id(target): seed}
    if target._node is None:
        return grads
    for t in _topological_order(target):
        fn = t._node
        if free:
            t._node = None
        key = id(t)
        grad = grads[key] if key in keep else grads.pop(key, None)
        if grad is None:
            continue
        in_grads = fn.backward(grad)
        if not isinstance(in_grads, tuple):
            in_grads = (in_grads,)
        for x, need, g in zip(fn.inputs, fn.needs, in_grads, strict=True):
            if g is None or not need:
                continue
            g = unbroadcast(np.asarray(g), x.shape)
            if g.shape != x.shape:
                raise RuntimeError(
                    f"{fn.name}: backward produced a gradient of shape {g.shape} for an "
                    f"input of shape {x.shape}. This is a bug in the op's backward."
                )
            if g.dtype != x.dtype:
                g = g.astype(x.dtype)
            xid = id(x)
            grads[xid] = grads[xid] + g if xid in grads else g
    return grads


class GradientTape(recording.Recorder):
    """Records operations so that gradients can be computed, as in TensorFlow 2.

    Args:
        persistent: allow more than one ``gradient`` call (the graph is kept).
        watch_accessed_variables: watch every trainable Variable used inside.

    Example:
        >>> w = myelin.Variable(3.0)
        >>> with myelin.GradientTape() as tape:
        ...     y = w * w
        >>> float(tape.gradient(y, w))
        6.0
    """

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed_variables = watch_accessed_variables
        self._watched = set()
        self._keepalive = []
        self._used = False

    def watch(self, tensor):
        """Track ``tensor`` (or a list of tensors) so gradients with respect to it exist."""
        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"GradientTape.watch: expected a Tensor or Variable, received "
                    f"{type(t).__name__}. Wrap values with myelin.constant(...) first."
                )
            if not _is_float(t, "watch", "watched"):
                continue
            self._watched.add(id(t))
            self._keepalive.append(t)

    def _watches(self, t):
        """Whether this tape tracks ``t``: watched, a recorded result, or an accessed
        trainable variable."""
        return t._node is not None or id(t) in self._watched or (
            self._watch_accessed_variables and isinstance(t, Variable) and t.trainable)

    def stop_recording(self):
        """A context in which operations are not recorded."""
        return recording.paused()

    def reset(self):
        """Forget what was watched and allow a new ``gradient`` call.

        Unlike TF, operations recorded before the reset stay in the graph (tapes share
        one graph), so a result computed before it still passes gradients.
        """
        self._watched.clear()
        self._keepalive.clear()
        self._used = False

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """Gradient of ``target`` with respect to each of ``sources``.

        Called while another tape (or a ``ForwardAccumulator``) is recording, the
        gradient is computed with differentiable ops, so that tape can differentiate
        it again (second and higher derivatives).

        Args:
            target: a Tensor, or a list/tuple/dict of them (their gradients add up); a
                non-scalar target is treated as its sum.
            sources: a Tensor/Variable, or a list/tuple/dict of them.
            output_gradients: optional seed gradient with ``target``'s shape (a list
                of them for several targets).
            unconnected_gradients: ``"none"`` (default) or ``"zero"`` (or a
                ``myelin.UnconnectedGradients`` member) for sources the target does not
                depend on.

        Returns:
            Tensors shaped like ``sources`` (``None`` where unconnected, and for
            integer or bool sources, with a warning naming the dtype).

        Example:
            >>> x = myelin.Variable(1.0)
            >>> with myelin.GradientTape() as t2:
            ...     with myelin.GradientTape() as t1:
            ...         y = x * x * x
            ...     dy = t1.gradient(y, x)
            >>> float(t2.gradient(dy, x))
            6.0
        """
        if self._used and not self._persistent:
            raise RuntimeError(
                "GradientTape.gradient can only be called once on a non-persistent tape. "
                "Create the tape with GradientTape(persistent=True) to call it again."
            )
        if unconnected_gradients != "none":
            unconnected_gradients = unconnected_mode(unconnected_gradients,
                                                     "GradientTape.gradient")
        if output_gradients is None and isinstance(target, Tensor):  # the trainer's case
            targets, seeds = [target], [np.ones_like(target._data)]
        else:
            targets, seeds = _targets(target, output_gradients)
        flat = flatten_sources(sources, "GradientTape.gradient")
        if not self._persistent:  # as TF: a non-persistent tape stops recording here
            recording.pop(self)
        floats, keep = [], set()
        for s in flat:  # a loop, not a comprehension: the warning points at the caller
            ok = s._data.dtype.kind == "f" or _is_float(s, "gradient", "source")
            floats.append(ok)
            # Overlapping tapes share one graph: a leaf only this tape's companions
            # watched is unconnected for this tape, as in TF.
            if ok and (not self._shared or self._watches(s)):
                keep.add(id(s))
        higher = recording.active()
        totals = {}
        for t, seed in zip(targets, seeds, strict=True):
            if t._data.dtype.kind != "f" and not _is_float(t, "gradient", "target"):
                continue
            if higher:
                seed = seed if isinstance(seed, Tensor) else Tensor(seed)
                order = _topological_order(t) if t._node is not None else []
                grads = higher_order.differentiable_backward(t, seed, keep, order)
            else:
                seed = seed._data if isinstance(seed, Tensor) else seed
                free = not self._persistent and not self._shared and len(targets) == 1
                grads = backward(t, seed, keep=keep, free=free)
            if len(targets) == 1:
                totals = grads
                break
            for key in keep:
                g = grads.get(key)
                if g is not None:
                    totals[key] = totals[key] + g if key in totals else g
        self._used = True
        results = []
        for s, ok in zip(flat, floats, strict=True):
            g = totals.get(id(s)) if id(s) in keep else None
            if g is None and ok and unconnected_gradients == "zero":
                g = np.zeros_like(s._data)
            results.append(g if g is None or isinstance(g, Tensor) else Tensor(g))
        return pack_like(sources, results)

    def jacobian(self, target, sources, unconnected_gradients="none",
                 parallel_iterations=None, experimental_use_pfor=True):
        """The Jacobian of ``target`` with respect to each source, as TF's ``jacobian``.

        Args:
            target: a Tensor.
            sources: a Tensor/Variable, or a list/tuple/dict of them.
            unconnected_gradients: ``"none"`` or ``"zero"`` for unconnected sources.
            parallel_iterations: how many output elements are differentiated in one
                vectorised backward walk (default: all that fit in memory).
            experimental_use_pfor: ``False`` walks once per output element.

        Returns:
            For each source a Tensor of shape ``target.shape + source.shape``.

        Example:
            >>> x = myelin.constant([1.0, 2.0])
            >>> with myelin.GradientTape() as tape:
            ...     tape.watch(x)
            ...     y = x * x
            >>> tape.jacobian(y, x).numpy()
            array([[2., 0.],
                   [0., 4.]], dtype=float32)
        """
        from .jacobian import jacobian

        return jacobian(self, target, sources, unconnected_gradients, parallel_iterations,
                        experimental_use_pfor)

    def batch_jacobian(self, target, source, unconnected_gradients="none",
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example Jacobians: ``result[i] = d target[i] / d source[i]``.

        Assumes example ``i`` of ``target`` depends only on example ``i`` of
        ``source`` (as TF does); one walk per non-batch element of ``target``.

        Args:
            target: a Tensor of shape ``(batch, y1, ...)``.
            source: a Tensor of shape ``(batch, x1, ...)``.
            unconnected_gradients, parallel_iterations, experimental_use_pfor: as in
                ``jacobian``.

        Returns:
            A Tensor of shape ``(batch, y1, ..., x1, ...)``.

        Example:
            >>> x = myelin.constant([[1.0, 2.0], [3.0, 4.0]])
            >>> with myelin.GradientTape() as tape:
            ...     tape.watch(x)
            ...     y = x * x
            >>> tape.batch_jacobian(y, x).shape
            (2, 2, 2)
        """
        from .jacobian import batch_jacobian

        return batch_jacobian(self, target, source, unconnected_gradients,
                              parallel_iterations, experimental_use_pfor)

    def mark_used(self):
        """Count one use (gradient or jacobian): a non-persistent tape allows one, and
        stops recording then, as in TF.

        Raises:
            RuntimeError: on a second use of a non-persistent tape.
        """
        if self._used and not self._persistent:
            raise RuntimeError(
                "A non-persistent GradientTape can only be used to compute one set of "
                "gradients (or jacobians). Create it with GradientTape(persistent=True)."
            )
        self._used = True
        if not self._persistent:
            recording.pop(self)


class UnconnectedGradients:
    """What ``gradient`` returns for a source the target does not depend on.

    Example:
        >>> tape.gradient(y, x, unconnected_gradients=UnconnectedGradients.ZERO)
    """

    NONE = "none"
    ZERO = "zero"


def unconnected_mode(value, where):
    """``"none"`` or ``"zero"`` from a string or an ``UnconnectedGradients`` member.

    Args:
        value: what the caller passed as ``unconnected_gradients``.
        where: the calling function's name, for the error message.

    Returns:
        ``"none"`` or ``"zero"``.

    Raises:
        ValueError: for anything else.
    """
    if value == "none" or value == "zero":  # checked first: the common case stays cheap
        return value
    value = getattr(value, "value", value)  # an enum member of TF's own UnconnectedGradients
    if value not in ("none", "zero"):
        raise ValueError(
            f"{where}: unconnected_gradients must be 'none' or 'zero', received {value!r}."
        )
    return value


_CONSEQUENCE = {"watched": "it is not watched", "source": "its gradient is None",
                "target": "no gradient flows from it"}


def _is_float(t, where, role):
    """TF's rule: only float tensors are differentiable; others warn, naming the dtype."""
    if t.dtype.kind == "f":
        return True
    when = " when calling GradientTape.gradient" if where == "gradient" else ""
    warnings.warn(
        f"GradientTape.{where}: the dtype of the {role} tensor must be floating (e.g. "
        f"float32){when}, got {t.dtype.name}; {_CONSEQUENCE[role]}. Create it as a float, "
        f"e.g. myelin.Variable(2.0), or cast it: myelin.cast(x, 'float32').",
        stacklevel=3,
    )
    return False


def _targets(target, output_gradients):
    """Targets as a list of Tensors and their seeds (arrays, or Tensors if given so)."""
    several = isinstance(target, (list, tuple, dict))
    targets = list(target.values()) if isinstance(target, dict) else (
        list(target) if several else [target])
    targets = [convert_to_tensor(t) for t in targets]
    if output_gradients is None:
        return targets, [np.ones_like(t._data) for t in targets]
    given = output_gradients if several else [output_gradients]
    if isinstance(given, dict):
        given = list(given.values())
    seeds = []
    for t, g in zip(targets, given, strict=True):
        seed = g if isinstance(g, Tensor) and g.dtype == t.dtype else np.asarray(
            g._data if isinstance(g, Tensor) else g, dtype=t.dtype)
        if seed.shape != t.shape:
            raise ValueError(
                f"GradientTape.gradient: output_gradients has shape {seed.shape}, "
                f"expected the target's shape {t.shape}."
            )
        seeds.append(seed)
    return targets, seeds


def flatten_sources(sources, where):
    """``sources`` (a Tensor, or a nested list, tuple or dict of them) as a flat list.

    Raises:
        TypeError: naming ``where`` for a source that is not a Tensor.
    """
    if isinstance(sources, Tensor):
        return [sources]
    if isinstance(sources, dict):
        sources = list(sources.values())
    if not isinstance(sources, (list, tuple)):
        raise TypeError(
            f"{where}: sources must be Tensors or Variables, received {type(sources).__name__}."
        )
    flat = []
    for s in sources:
        if isinstance(s, Tensor):
            flat.append(s)
        else:
            flat.extend(flatten_sources(s, where))
    return flat


def pack_like(sources, results):
    """``results`` (a flat list) in the nested structure of ``sources``."""
    return _pack(sources, iter(results))


def _pack(sources, it):
    if isinstance(sources, Tensor):
        return next(it)
    if isinstance(sources, dict):
        return {key: _pack(value, it) for key, value in sources.items()}
    return type(sources)([next(it) if isinstance(s, Tensor) else _pack(s, it)
                          for s in sources])


def stop_gradient(x):
    """The same value, cut off from the graph: no gradient flows through it."""
    return Tensor(convert_to_tensor(x)._data)


def no_grad():
    """A context in which no operation is recorded (faster inference)."""
    return recording.paused()
