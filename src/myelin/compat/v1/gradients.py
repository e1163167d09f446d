"""``tf.gradients``: symbolic gradients, computed by the tape that records a graph run.

A ``GradientNode`` stands for the gradients of ``ys`` with respect to ``xs``. A
``Session.run`` whose plan holds one records the whole run on a ``GradientTape``
(the ops run eagerly, so the tape sees them), and the node asks the tape for the
gradients of the already computed ``ys``: no second graph is ever built.
"""

from ...autodiff import Variable
from ...graph import get_default_graph
from ...graph.execute import ordered_nodes
from ...graph.nodes import Node
from ...graph.tensor import SymbolicTensor
from ...ops.elementwise import add
from ...ops.reduce import reduce_sum
from .operation import variables_read


class GradientNode(Node):
    """The gradients of ``sum(ys)`` with respect to each of ``xs`` (one output each)."""

    kind = "gradient"

    def __init__(self, ys, xs, grad_ys=None, name="gradients"):
        symbolic_xs = [x for x in xs if isinstance(x, SymbolicTensor)]
        seeds = [g for g in grad_ys or () if g is not None]
        super().__init__([*ys, *symbolic_xs, *seeds], get_default_graph().unique_name(name))
        self.ys, self.xs, self.grad_ys = list(ys), list(xs), grad_ys
        self.variables = [x for x in xs if isinstance(x, Variable)]
        self.outputs = tuple(SymbolicTensor(x._data._shape if isinstance(x, SymbolicTensor)
                                            else x.shape, x.dtype, self, i)
                             for i, x in enumerate(xs))

    def run(self, read, context):
        ys = [read(y) for y in self.ys]
        sources = [read(x) for x in self.xs]
        seeds = [None if g is None else read(g) for g in self.grad_ys or [None] * len(ys)]
        if len(ys) == 1:
            target, seed = ys[0], seeds[0]
        else:  # d(sum of ys): one backward walk; explicit seeds weight each y
            target, seed = None, None
            for y, g in zip(ys, seeds, strict=True):
                part = reduce_sum(y if g is None else y * g)
                target = part if target is None else add(target, part)
        grads = context.tape.gradient(target, sources, output_gradients=seed,
                                      unconnected_gradients="zero")
        return grads[0] if len(grads) == 1 else grads


def connected(ys, xs):
    """For each of ``xs``: does some of ``ys`` depend on it (statically, in the graph)?"""
    nodes = ordered_nodes([y for y in ys if isinstance(y, SymbolicTensor)])
    tensors = {id(t) for node in nodes for t in node.outputs}
    variables = {id(v) for v in variables_read(nodes)}
    return [id(x) in (tensors if isinstance(x, SymbolicTensor) else variables) for x in xs]


def gradients(ys, xs, grad_ys=None, name="gradients", stop_gradients=None, **kwargs):
    """Symbolic gradients of ``sum(ys)`` with respect to each of ``xs`` (TF 1).

    Args:
        ys: a tensor or list of tensors (their sum is differentiated).
        xs: a tensor/Variable or list of them.
        grad_ys: optional seed gradients, one per ``ys``.

    Returns:
        A list with one symbolic tensor per ``xs`` (run it with ``sess.run``), or
        ``None`` where ``ys`` does not depend on that ``x``.

    Example:
        >>> dW, db = tf.gradients(loss, [W, b])
        >>> sess.run(dW, feed_dict={X: X_batch, y: y_batch})
    """
    if stop_gradients is not None:
        raise NotImplementedError("gradients: stop_gradients is not supported; wrap the "
                                  "tensors in tf.stop_gradient where they are made.")
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    xs = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    if grad_ys is not None:
        grad_ys = list(grad_ys) if isinstance(grad_ys, (list, tuple)) else [grad_ys]
        if len(grad_ys) != len(ys):
            raise ValueError(f"gradients: {len(grad_ys)} grad_ys for {len(ys)} ys; give one "
                             f"per ys (or None).")
    if not any(isinstance(y, SymbolicTensor) for y in ys):  # eager code, as TF 2 says
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    for value in [*ys, *xs]:
        if not isinstance(value, (SymbolicTensor, Variable)):
            raise TypeError(f"gradients: ys and xs must be graph tensors or Variables, "
                            f"received {type(value).__name__}. In eager code use "
                            f"tf.GradientTape.")
    reached = connected(ys, xs)
    wanted = [x for x, r in zip(xs, reached, strict=True) if r]
    if not wanted:
        return [None] * len(xs)
    node = GradientNode(ys, wanted, grad_ys, name)
    found = iter(node.outputs)
    return [next(found) if r else None for r in reached]
