"""ONNX nodes for a functional model's graph (and models nested in it).

Each layer node becomes the nodes of its layer's converter (``_onnx_layers``);
merge layers of several inputs become one variadic ONNX node (Concat, Sum, Sub,
Mul, Mean, Max, Min). A nested functional model or Sequential is inlined. Masks
(from ``Embedding(mask_zero=True)``) travel with the tensor that carries them.
"""

from __future__ import annotations

from ._onnx_layers import convert_layer

_MERGE = {"Add": "Sum", "Subtract": "Sub", "Multiply": "Mul", "Average": "Mean",
          "Maximum": "Max", "Minimum": "Min"}


def _merge(layer, names, graph):
    kind = type(layer).__name__
    if kind == "Concatenate":
        return graph.node("Concat", names, f"{layer.name}_concat", axis=layer.axis)
    if kind == "Subtract":
        return graph.node("Sub", names, f"{layer.name}_sub")
    return graph.node(_MERGE[kind], names, f"{layer.name}_{_MERGE[kind].lower()}")


def _unsupported(model, node, why):
    return ValueError(f"export: model '{model.name}' cannot be exported to ONNX: {why} "
                      f"('{node.name}'). Supported: layers with an ONNX conversion and the "
                      f"merge layers {', '.join(['Concatenate', *_MERGE])}.")


def _layer(model, node, names, graph):
    """The output names of one layer call on the ONNX tensors ``names``."""
    from ..models import Sequential
    from ..models.functional import Functional

    layer = node.layer
    if node.kwargs:
        raise _unsupported(model, node, "a layer called with keyword arguments")
    if isinstance(layer, Functional):
        return emit(layer, names, graph)
    if isinstance(layer, Sequential):
        x = names[0]
        for inner in layer.layers:
            x = convert_layer(inner, x, graph)
        return [x]
    if type(layer).__name__ == "Concatenate" or type(layer).__name__ in _MERGE:
        graph.mask = None
        return [_merge(layer, names, graph)]
    if len(names) != 1:
        raise _unsupported(model, node, f"{type(layer).__name__} takes several inputs")
    return [convert_layer(layer, names[0], graph)]


def emit(model, input_names, graph):
    """Add the nodes of functional ``model`` fed by ``input_names`` (one per input, in
    ``model.inputs`` order); return the names of its outputs in ``model.outputs`` order."""
    names = {id(t): n for t, n in zip(model.inputs, input_names, strict=True)}
    masks = {}
    for node in model._nodes:
        if node.kind == "input" or id(node.outputs[0]) in names:
            continue
        if node.kind != "layer":
            raise _unsupported(model, node, "an op recorded between layers (use a layer)")
        sources = [names[id(t)] for t in node.inputs]
        graph.mask = masks.get(id(node.inputs[0])) if node.inputs else None
        outs = _layer(model, node, sources, graph)
        for tensor, name in zip(node.outputs, outs, strict=True):
            names[id(tensor)] = name
            masks[id(tensor)] = graph.mask
    return [names[id(t)] for t in model.outputs]


def io_spec(model):
    """``(inputs, outputs)``: ``(name, elem type, shape)`` per graph input and output.

    Inputs are named like the model's Inputs (int64 for integer inputs and for inputs an
    Embedding reads), outputs like ``model.output_names``.
    """
    from onnx import TensorProto

    readers = {id(n.args[0]): type(n.layer).__name__ for n in model._nodes
               if n.kind == "layer" and n.args}
    inputs = []
    for name, tensor in zip(model.input_names, model.inputs, strict=True):
        ids = tensor.dtype.kind in "iu" or readers.get(id(tensor)) == "Embedding"
        inputs.append((name, TensorProto.INT64 if ids else TensorProto.FLOAT,
                       tuple(tensor.shape)))
    outputs = [(name, TensorProto.FLOAT, tuple(t.shape))
               for name, t in zip(model.output_names, model.outputs, strict=True)]
    return inputs, outputs
