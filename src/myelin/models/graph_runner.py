"""Running a functional model's nodes on data, as fast as a Sequential runs its stack.

A layer node that reads one tensor, has no extra arguments and needs no mask becomes
one direct ``layer.call`` (data is validated once per fit, as Sequential's tight
loop assumes); every other node (ops between layers, layers of several inputs,
layers with masks or activity regularizers) runs through its own ``node.run``,
which handles all of that. An output whose layer ends in softmax/sigmoid can be
computed as logits, so the trainer fuses the activation into the loss.
"""

from ..graph import Context, SymbolicTensor
from ..graph.structure import flatten
from ..layers.layer import Layer
from ..layers.tracking import TRAINING


def _may_mask(layers):
    """Whether some layer can make a mask (Embedding(mask_zero=True), Masking, ...)."""
    return any(type(layer).compute_mask is not Layer.compute_mask for layer in layers)


def is_direct(node, masks):
    """Whether ``node`` can run as ``layer.call(x)`` without its ``__call__``."""
    if node.kind != "layer" or masks or node.kwargs or len(node.args) != 1:
        return False
    source, layer = node.args[0], node.layer
    return (isinstance(source, SymbolicTensor) and len(node.outputs) == 1
            and layer.activity_regularizer is None
            and (not layer._autocast or source.dtype == layer._dtype))


def logits_head(node, masks):
    """``"softmax"``/``"sigmoid"`` when ``node``'s output can be computed as logits."""
    if not is_direct(node, masks) or not hasattr(node.layer, "logits_activation"):
        return None
    return node.layer.logits_activation()


class GraphRunner:
    """``runner(values) -> outputs``: the model's outputs for values of its inputs.

    Args:
        nodes: the model's nodes in execution order.
        inputs, outputs: the model's flat lists of symbolic inputs and outputs.
        layers: the model's layers (to decide whether masks can flow).
        training: the training flag given to every layer.
        logits: indices of outputs to compute before their softmax/sigmoid.
    """

    def __init__(self, nodes, inputs, outputs, layers, training, logits=()):
        masks = _may_mask(layers)
        as_logits = {id(outputs[i].node) for i in logits}
        self.steps = []
        for node in nodes:
            if node.kind == "input":
                continue
            if is_direct(node, masks):
                layer = node.layer
                if id(node) in as_logits:
                    call, takes_training = layer.call_logits, False
                else:
                    call, takes_training = layer.call, layer._call_has_training
                self.steps.append((call, id(node.args[0]), id(node.outputs[0]),
                                   takes_training, None))
            else:
                self.steps.append((None, None, None, None, node))
        self.input_ids = [id(t) for t in inputs]
        self.output_ids = [id(t) for t in outputs]
        self.training = training

    def __call__(self, feeds, masks=None):
        values = dict(zip(self.input_ids, feeds, strict=True))
        training = self.training
        context = Context(values, training, masks)

        def read(leaf):
            return values.get(id(leaf), leaf) if isinstance(leaf, SymbolicTensor) else leaf

        outer = TRAINING[0]
        TRAINING[0] = training  # layers called inside a layer's call inherit the flag
        try:
            for call, source, target, takes_training, node in self.steps:
                if node is None:
                    x = values[source]
                    values[target] = call(x, training=training) if takes_training else call(x)
                    continue
                result = node.run(read, context)
                leaves = [result] if len(node.outputs) == 1 else flatten(result)
                for tensor, value in zip(node.outputs, leaves, strict=True):
                    values[id(tensor)] = value
        finally:
            TRAINING[0] = outer
        return [values[i] for i in self.output_ids], context
