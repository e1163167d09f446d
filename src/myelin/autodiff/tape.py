"""GradientTape (TensorFlow 2's API) and the backward walk behind it."""

import numpy as np

from . import recording
from .tensor import Tensor, convert_to_tensor


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


class GradientTape:
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

    def __enter__(self):
        recording.push(self)
        return self

    def __exit__(self, *exc):
        recording.pop(self)
        return False

    def watch(self, tensor):
        """Track ``tensor`` (or a list of tensors) so gradients with respect to it exist."""
        for t in tensor if isinstance(tensor, (list, tuple)) else [tensor]:
            if not isinstance(t, Tensor):
                raise TypeError(
                    f"GradientTape.watch: expected a Tensor or Variable, received "
                    f"{type(t).__name__}. Wrap values with myelin.constant(...) first."
                )
            self._watched.add(id(t))
            self._keepalive.append(t)

    def stop_recording(self):
        """A context in which operations are not recorded."""
        return recording.paused()

    def reset(self):
        self._watched.clear()
        self._keepalive.clear()
        self._used = False

    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients="none"):
        """Gradient of ``target`` with respect to each of ``sources``.

        Args:
            target: a Tensor (a non-scalar target is treated as its sum).
            sources: a Tensor/Variable, or a list/tuple/dict of them.
            output_gradients: optional seed gradient with ``target``'s shape.
            unconnected_gradients: ``"none"`` (default) or ``"zero"`` for sources the
                target does not depend on.

        Returns:
            Tensors shaped like ``sources`` (``None`` where unconnected).
        """
        if self._used and not self._persistent:
            raise RuntimeError(
                "GradientTape.gradient can only be called once on a non-persistent tape. "
                "Create the tape with GradientTape(persistent=True) to call it again."
            )
        if unconnected_gradients not in ("none", "zero"):
            raise ValueError(
                f"GradientTape.gradient: unconnected_gradients must be 'none' or 'zero', "
                f"received {unconnected_gradients!r}."
            )
        target = convert_to_tensor(target)
        if output_gradients is None:
            seed = np.ones_like(target._data)
        else:
            seed = np.asarray(output_gradients, dtype=target.dtype)
            if seed.shape != target.shape:
                raise ValueError(
                    f"GradientTape.gradient: output_gradients has shape {seed.shape}, "
                    f"expected the target's shape {target.shape}."
                )
        flat = list(sources.values()) if isinstance(sources, dict) else (
            list(sources) if isinstance(sources, (list, tuple)) else [sources])
        for s in flat:
            if not isinstance(s, Tensor):
                raise TypeError(
                    f"GradientTape.gradient: sources must be Tensors or Variables, "
                    f"received {type(s).__name__}."
                )
        grads = backward(target, seed, keep={id(s) for s in flat}, free=not self._persistent)
        self._used = True
        results = []
        for s in flat:
            g = grads.get(id(s))
            if g is None and unconnected_gradients == "zero":
                g = np.zeros_like(s._data)
            results.append(None if g is None else Tensor(g))
        if isinstance(sources, dict):
            return dict(zip(sources.keys(), results, strict=True))
        if isinstance(sources, (list, tuple)):
            return type(sources)(results)
        return results[0]


def stop_gradient(x):
    """The same value, cut off from the graph: no gradient flows through it."""
    return Tensor(convert_to_tensor(x)._data)


def no_grad():
    """A context in which no operation is recorded (faster inference)."""
    return recording.paused()
