"""Running a graph: the nodes an output needs, in order, each computed once.

``Plan(outputs)`` orders the nodes once (an iterative depth-first walk, so deep
graphs cannot hit the recursion limit); ``plan.run(feeds)`` computes them from the
values fed to the input nodes. A functional ``Model`` keeps one plan per model; a
TF-1 ``Session`` one per set of fetches.
"""

from .structure import flatten
from .tensor import SymbolicTensor


def ordered_nodes(outputs, stop=()):
    """Every node that ``outputs`` depend on, each after the nodes it reads.

    ``stop`` holds ids of tensors given from outside (fed): their producers and what
    only those need are left out.
    """
    order, expanded = [], set()
    stack = [(t.node, False) for t in reversed(outputs) if id(t) not in stop]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in expanded:
            continue
        expanded.add(id(node))
        stack.append((node, True))
        stack.extend((t.node, False) for t in reversed(node.inputs)
                     if id(t.node) not in expanded and id(t) not in stop)
    return order


class Context:
    """What one run knows: the values computed so far, masks, and the training flag."""

    def __init__(self, values, training=None, masks=None):
        self.values, self.training = values, training
        self.masks = masks or {}

    def missing_input_message(self, tensor):
        return (f"The graph needs a value for the input '{tensor.name}' (shape "
                f"{tuple(tensor.shape)}, {tensor.dtype.name}) but none was given. Feed it: "
                f"pass it to the model, or add it to feed_dict in sess.run.")

    def mask_of(self, struct):
        masks = [self.masks.get(id(t)) for t in flatten(struct)]
        if all(m is None for m in masks):
            return None
        return masks if isinstance(struct, (list, tuple)) else masks[0]

    def set_masks(self, node, mask):
        if mask is None:
            return
        masks = mask if isinstance(mask, (list, tuple)) else [mask] * len(node.outputs)
        for tensor, m in zip(node.outputs, masks, strict=False):
            if m is not None:
                self.masks[id(tensor)] = m


class Plan:
    """The ordered nodes behind ``outputs``; ``run`` computes them from ``feeds``."""

    def __init__(self, outputs):
        self.outputs = list(outputs)
        self.nodes = ordered_nodes(self.outputs)

    @property
    def input_nodes(self):
        return [node for node in self.nodes if node.kind == "input"]

    def run(self, feeds, training=None, masks=None, context=None):
        """Values of ``outputs`` given ``feeds`` (``{id(symbolic input): Tensor}``).

        Returns the list of output values (Tensors) and the run's ``Context``.
        """
        values = dict(feeds)
        context = context or Context(values, training, masks)
        context.values = values
        read = self._reader(values)
        for node in self.nodes:
            if node.outputs and id(node.outputs[0]) in values:
                continue  # fed (an input, or any tensor fed directly)
            result = node.run(read, context)
            leaves = flatten(result) if len(node.outputs) != 1 else [result]
            for tensor, value in zip(node.outputs, leaves, strict=True):
                values[id(tensor)] = value
        return [values[id(t)] for t in self.outputs], context

    @staticmethod
    def _reader(values):
        def read(leaf):
            return values.get(id(leaf), leaf) if isinstance(leaf, SymbolicTensor) else leaf
        return read
