"""One ONNX conversion per supported layer, and one per activation function.

Each converter takes the layer, the name of its input tensor and the graph being
built, adds nodes computing exactly what the layer's ``call`` computes at
inference, and returns the name of its output tensor.
"""

from __future__ import annotations

import numpy as np

from . import _onnx_recurrent
from ._onnx_new_layers import LAYERS as _NEW_LAYERS

_FLOAT = 1  # onnx.TensorProto.FLOAT, without importing onnx at module level


def input_dtype(layers) -> str:
    """The graph input's dtype: int64 token ids when the first layer is an Embedding."""
    return "int64" if layers and type(layers[0]).__name__ == "Embedding" else "float32"


def convert_layer(layer, x: str, graph) -> str:
    """Add the nodes of one layer after tensor ``x``; return the output tensor's name."""
    from ._onnx_conv import CONV_LAYERS  # it uses this module's activation(): import on use
    from ._onnx_image import IMAGE_LAYERS

    kind = type(layer).__name__
    converter = _LAYERS.get(kind) or CONV_LAYERS.get(kind) or IMAGE_LAYERS.get(kind)
    if converter is None:
        raise ValueError(
            f"export: layer '{layer.name}' ({kind}) has no ONNX conversion; supported "
            f"layers are {', '.join(sorted({**_LAYERS, **CONV_LAYERS, **IMAGE_LAYERS}))}."
        )
    out = converter(layer, x, graph)
    # Masks flow as in Layer.compute_mask: Embedding makes one, GlobalAveragePooling1D
    # consumes it, recurrent layers pass or consume it, layers without supports_masking
    # drop it.
    if kind not in _OWN_MASK and not layer.supports_masking:
        graph.mask = None
    return out


def _identity(layer, x, graph):
    return x  # Dropout: inactive at inference


def _dense(layer, x, graph):
    weights = layer.get_weights()
    y = graph.node("MatMul", [x, graph.constant(weights[0], f"{layer.name}_kernel")],
                   f"{layer.name}_matmul")
    if len(weights) > 1:
        y = graph.node("Add", [y, graph.constant(weights[1], f"{layer.name}_bias")],
                       f"{layer.name}_bias_add")
    return activation(layer.get_config()["activation"], y, graph, layer.name)


def _activation_layer(layer, x, graph):
    return activation(layer.get_config()["activation"], x, graph, layer.name)


def _embedding(layer, x, graph):
    graph.mask = None
    if layer.get_config()["mask_zero"]:
        is_zero = graph.node("Equal", [x, graph.constant(np.int64(0), "zero")], "is_pad")
        graph.mask = graph.node("Cast", [graph.node("Not", [is_zero], "not_pad")],
                                f"{layer.name}_mask", to=_FLOAT)
    table = graph.constant(layer.get_weights()[0], f"{layer.name}_embeddings")
    return graph.node("Gather", [table, x], f"{layer.name}_gather", axis=0)


def _global_average_pooling_1d(layer, x, graph):
    config = layer.get_config()
    axis = 2 if config["data_format"] == "channels_first" else 1
    keepdims = int(config["keepdims"])
    if graph.mask is None:
        return graph.node("ReduceMean", [x], f"{layer.name}_mean", axes=[axis],
                          keepdims=keepdims)
    # As the layer: each sample's sum over unmasked steps / max(its count of them, 1).
    hint = f"{layer.name}_masked_mean"
    axes = graph.constant(np.array([axis], np.int64), hint)
    feature_axis = graph.constant(np.array([3 - axis], np.int64), hint)
    weights = graph.node("Unsqueeze", [graph.mask, feature_axis], hint)
    count = graph.node("ReduceSum", [weights, axes], hint, keepdims=1)
    count = graph.node("Max", [count, graph.constant(np.float32(1), hint)], hint)
    scaled = graph.node("Mul", [x, graph.node("Div", [weights, count], hint)], hint)
    graph.mask = None
    return graph.node("ReduceSum", [scaled, axes], hint, keepdims=keepdims)


def _flatten(layer, x, graph):
    return graph.node("Flatten", [x], f"{layer.name}_flatten", axis=1)


def _reshape(layer, x, graph):
    # 0 copies the batch dimension from the input; -1 (if any) is inferred as in Keras.
    shape = np.array([0, *layer.get_config()["target_shape"]], dtype=np.int64)
    return graph.node("Reshape", [x, graph.constant(shape, f"{layer.name}_shape")],
                      f"{layer.name}_reshape")


def _normalization(layer, x, graph):
    # The layer's own statistics, already shaped to broadcast against its inputs.
    mean, variance = layer._statistics()
    from ..layers.normalization import _EPSILON

    std = np.maximum(np.sqrt(variance), _EPSILON).astype(np.float32)
    mean_name = graph.constant(mean.astype(np.float32), f"{layer.name}_mean")
    std_name = graph.constant(std, f"{layer.name}_std")
    if layer.get_config().get("invert"):
        y = graph.node("Mul", [x, std_name], f"{layer.name}_mul")
        return graph.node("Add", [y, mean_name], f"{layer.name}_add")
    y = graph.node("Sub", [x, mean_name], f"{layer.name}_sub")
    return graph.node("Div", [y, std_name], f"{layer.name}_div")


_LAYERS = {
    "Dropout": _identity, "Dense": _dense,
    "Activation": _activation_layer, "Embedding": _embedding,
    "GlobalAveragePooling1D": _global_average_pooling_1d, "Flatten": _flatten,
    "Reshape": _reshape, "Normalization": _normalization,
    **{kind: _onnx_recurrent.recurrent for kind in ("SimpleRNN", "LSTM", "GRU", "RNN")},
    "Bidirectional": _onnx_recurrent.bidirectional,
    "TimeDistributed": _onnx_recurrent.time_distributed, "Masking": _onnx_recurrent.masking,
}
_LAYERS.update(_NEW_LAYERS)
# converters that set graph.mask themselves
_OWN_MASK = ("Embedding", "GlobalAveragePooling1D", "SimpleRNN", "LSTM", "GRU", "RNN",
             "Bidirectional", "Masking")


def activation(name, x: str, graph, where: str) -> str:
    """Add the nodes of activation ``name`` (a Keras activation name) after ``x``."""
    if name in (None, "linear"):
        return x
    build = _ACTIVATIONS.get(name)
    if build is None:
        raise ValueError(f"export: layer '{where}' uses activation {name!r}, which has no "
                         f"ONNX conversion; supported: {', '.join(sorted(_ACTIVATIONS))}.")
    return build(x, graph, f"{where}_{name}")


def _unary(op, **attrs):
    return lambda x, graph, hint: graph.node(op, [x], hint, **attrs)


def _silu(x, graph, hint):
    return graph.node("Mul", [x, graph.node("Sigmoid", [x], hint)], hint)


def _relu6(x, graph, hint):
    low, high = graph.constant(np.float32(0), hint), graph.constant(np.float32(6), hint)
    return graph.node("Clip", [x, low, high], hint)


def _step(x, graph, hint):
    zero = graph.constant(np.float32(0), hint)
    return graph.node("Cast", [graph.node("GreaterOrEqual", [x, zero], hint)], hint, to=_FLOAT)


# Every activation of myelin.activations, with Keras's default parameters.
_ACTIVATIONS = {
    "relu": _unary("Relu"), "sigmoid": _unary("Sigmoid"), "tanh": _unary("Tanh"),
    "softmax": _unary("Softmax", axis=-1), "log_softmax": _unary("LogSoftmax", axis=-1),
    "elu": _unary("Elu", alpha=1.0), "selu": _unary("Selu"), "softplus": _unary("Softplus"),
    "softsign": _unary("Softsign"), "exponential": _unary("Exp"),
    "leaky_relu": _unary("LeakyRelu", alpha=0.2), "relu6": _relu6, "silu": _silu,
    "swish": _silu, "step": _step,
}
