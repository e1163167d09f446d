"""Operations: graph steps run for their effect (initialise, apply gradients, group).

An ``Operation`` is a node whose ``effect`` reads its inputs' values and queues the
change it makes on ``context.pending``; ``Session.run`` applies the queue only after
every step of the run succeeded, so a failed run changes no variable. Fetching an
operation gives ``None``.
"""

import numpy as np

from ...autodiff import Variable
from ...graph import get_default_graph
from ...graph.nodes import Node
from ...graph.structure import flatten
from ...graph.tensor import SymbolicTensor


class Operation(Node):
    """A TF-1 operation (``training_op``, ``init``): run it with ``sess.run(op)``.

    Args:
        inputs: the symbolic tensors whose values ``effect`` needs.
        name: the operation's name (made unique under the open name scopes).
        effect: ``effect(values, context)``, queuing its change on ``context.pending``.
        variables: the Variables it reads or writes (they must be initialised).

    Example:
        >>> init = tf.global_variables_initializer()
        >>> init.run()  # in a `with tf.Session() as sess:` block
    """

    kind = "action"

    def __init__(self, inputs, name, effect=None, variables=()):
        super().__init__(inputs, get_default_graph().unique_name(name))
        self.effect, self.variables = effect, tuple(variables)
        # One control output, so operations sit in plans like any tensor's producer.
        self.outputs = (SymbolicTensor((), np.bool_, self),)

    @property
    def type(self):
        """The operation's kind, its class name (TF: the op type, e.g. ``"NoOp"``)."""
        return type(self).__name__

    def run(self, read=None, context=None, feed_dict=None, session=None):
        """``op.run(feed_dict=None, session=None)``: run it in ``session`` (default: the
        default session). Inside a graph run it applies its effect instead."""
        if context is None:  # a user's op.run(feed_dict) or op.run(feed_dict=...)
            from .session import default_session

            feeds = feed_dict if feed_dict is not None else read
            return default_session("Operation.run", session).run(self, feed_dict=feeds)
        if self.effect is not None:
            self.effect([read(t) for t in self.inputs], context)
        return None


def group(*inputs, name=None):
    """One operation that runs all of ``inputs`` (operations or tensors).

    Example:
        >>> step = tf.group(train_a, train_b)
    """
    leaves = [t.outputs[0] if isinstance(t, Operation) else t for t in flatten(list(inputs))]
    return Operation(leaves, name or "group_deps")


def no_op(name=None):
    """An operation that does nothing (a placeholder for control flow)."""
    return Operation((), name or "NoOp")


def variables_read(nodes):
    """The Variables that ``nodes`` read or write, each once, in order of first use."""
    found, seen = [], set()

    def add(value):
        if isinstance(value, Variable) and id(value) not in seen:
            seen.add(id(value))
            found.append(value)

    for node in nodes:
        if node.kind == "op":
            for leaf in node.args:
                add(leaf)
        elif node.kind == "call":
            for leaf in flatten((node.args, node.kwargs)):
                add(leaf)
        elif node.kind == "layer":
            for leaf in [*flatten((node.args, node.kwargs)), *node.layer.weights]:
                add(leaf)
        for leaf in getattr(node, "variables", ()):
            add(leaf)
    return found
