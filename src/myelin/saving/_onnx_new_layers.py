"""ONNX conversions of the activation, normalization, reshaping and merge layers.

Same contract as ``_onnx_layers``: a converter takes the layer, the name of its input
tensor (a list of names for the merge layers) and the graph, adds nodes computing
what the layer's ``call`` computes at inference, and returns its output's name.
"""

from __future__ import annotations

import numpy as np

from ..ops.batch_dot import _subscripts


def _f32(value):
    return np.asarray(value, dtype=np.float32)


def _identity(layer, x, graph):
    return x  # GaussianNoise, ActivityRegularization: the identity at inference


def _softmax(layer, x, graph):
    axis = layer.axis
    if isinstance(axis, list):
        if len(axis) != 1:
            raise ValueError(f"export: Softmax layer '{layer.name}' over several axes "
                             f"{axis} has no ONNX conversion; use one axis.")
        axis = axis[0]
    return graph.node("Softmax", [x], f"{layer.name}_softmax", axis=axis)


def _relu(layer, x, graph):
    hint = layer.name
    slope, top, threshold = layer.negative_slope, layer.max_value, layer.threshold
    if top is None and threshold == 0:
        if slope == 0:
            return graph.node("Relu", [x], hint)
        return graph.node("LeakyRelu", [x], hint, alpha=slope)
    # x above the threshold (else 0), clipped at max_value, minus slope * relu(threshold - x)
    limit = graph.constant(_f32(threshold), hint)
    zero = graph.constant(_f32(0), hint)
    out = graph.node("Where", [graph.node("Greater", [x, limit], hint), x, zero], hint)
    if top is not None:
        out = graph.node("Clip", [out, zero, graph.constant(_f32(top), hint)], hint)
    if slope:
        below = graph.node("Relu", [graph.node("Sub", [limit, x], hint)], hint)
        scaled = graph.node("Mul", [below, graph.constant(_f32(slope), hint)], hint)
        out = graph.node("Sub", [out, scaled], hint)
    return out


def _leaky_relu(layer, x, graph):
    return graph.node("LeakyRelu", [x], layer.name, alpha=layer.negative_slope)


def _elu(layer, x, graph):
    return graph.node("Elu", [x], layer.name, alpha=layer.alpha)


def _prelu(layer, x, graph):
    slope = graph.constant(layer.alpha.numpy(), f"{layer.name}_alpha")
    return graph.node("PRelu", [x, slope], layer.name)


def _batch_normalization(layer, x, graph):
    hint = layer.name
    size = layer.moving_mean.shape[0]
    gamma = layer.gamma.numpy() if layer.gamma is not None else np.ones(size, np.float32)
    beta = layer.beta.numpy() if layer.beta is not None else np.zeros(size, np.float32)
    mean, variance = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    if layer._axis == 1:  # ONNX's BatchNormalization takes the channels on axis 1
        inputs = [x] + [graph.constant(a, hint) for a in (gamma, beta, mean, variance)]
        return graph.node("BatchNormalization", inputs, hint, epsilon=layer.epsilon)
    # Features on another axis: the same affine map as x * scale + shift.
    scale = gamma / np.sqrt(variance + np.float32(layer.epsilon))
    shape = [1] * len(layer._build_input_shape)
    shape[layer._axis] = size
    out = graph.node("Mul", [x, graph.constant(scale.reshape(shape), hint)], hint)
    shift = (beta - mean * scale).reshape(shape)
    return graph.node("Add", [out, graph.constant(shift, hint)], hint)


def _layer_normalization(layer, x, graph):
    ndim = len(layer._build_input_shape)
    axes = list(layer._axes)
    if axes != list(range(axes[0], ndim)):
        raise ValueError(f"export: LayerNormalization layer '{layer.name}' normalizes axes "
                         f"{axes}; ONNX's LayerNormalization needs the trailing axes "
                         f"{axes[0]}..{ndim - 1}.")
    shape = tuple(layer._build_input_shape[a] for a in axes)
    gamma = layer.gamma.numpy() if layer.gamma is not None else np.ones(shape, np.float32)
    inputs = [x, graph.constant(gamma, f"{layer.name}_gamma")]
    if layer.beta is not None:
        inputs.append(graph.constant(layer.beta.numpy(), f"{layer.name}_beta"))
    return graph.node("LayerNormalization", inputs, layer.name, axis=axes[0],
                      epsilon=layer.epsilon)


def _rescaling(layer, x, graph):
    out = graph.node("Mul", [x, graph.constant(_f32(layer.scale), layer.name)], layer.name)
    return graph.node("Add", [out, graph.constant(_f32(layer.offset), layer.name)],
                      layer.name)


def _repeat_vector(layer, x, graph):
    hint = layer.name
    rows = graph.node("Unsqueeze", [x, graph.constant(np.array([1], np.int64), hint)], hint)
    shape = graph.constant(np.array([1, layer.n, 1], np.int64), hint)
    return graph.node("Expand", [rows, shape], hint)


def _permute(layer, x, graph):
    return graph.node("Transpose", [x], layer.name, perm=[0, *layer.dims])


def _same_rank(layer):
    ranks = {len(s) for s in layer._build_input_shape}
    if len(ranks) != 1:
        raise ValueError(f"export: {type(layer).__name__} layer '{layer.name}' merges inputs "
                         f"of different ranks {sorted(ranks)}; ONNX broadcasting aligns the "
                         f"last axes, Keras the first, so reshape the inputs to one rank.")


def _variadic(op):
    def convert(layer, xs, graph):
        _same_rank(layer)
        return graph.node(op, list(xs), layer.name)

    return convert


def _binary_chain(op):
    def convert(layer, xs, graph):
        _same_rank(layer)
        out = xs[0]
        for x in xs[1:]:
            out = graph.node(op, [out, x], layer.name)
        return out

    return convert


def _concatenate(layer, xs, graph):
    return graph.node("Concat", list(xs), layer.name, axis=layer.axis)


def _l2_normalized(x, axis, graph, hint):
    # opset 17: ReduceSumSquare still takes its axes as an attribute (an input from 18)
    squares = graph.node("ReduceSumSquare", [x], hint, axes=[axis], keepdims=1)
    floor = graph.node("Max", [squares, graph.constant(_f32(1e-14), hint)], hint)
    return graph.node("Div", [x, graph.node("Sqrt", [floor], hint)], hint)


def _dot(layer, xs, graph):
    ranks = [len(s) for s in layer._build_input_shape]
    a1, a2 = layer._axes_for(*ranks)
    x, y = xs
    if layer.normalize:
        x = _l2_normalized(x, a1, graph, layer.name)
        y = _l2_normalized(y, a2, graph, layer.name)
    sx, sy, so = _subscripts(ranks[0], ranks[1], (a1, a2))
    out = graph.node("Einsum", [x, y], layer.name, equation=f"{sx},{sy}->{so}")
    if len(so) == 1:  # (batch,) -> (batch, 1), as the layer
        out = graph.node("Unsqueeze", [out, graph.constant(np.array([1], np.int64),
                                                           layer.name)], layer.name)
    return out


LAYERS = {
    "GaussianNoise": _identity, "ActivityRegularization": _identity, "Softmax": _softmax,
    "ReLU": _relu, "LeakyReLU": _leaky_relu, "ELU": _elu, "PReLU": _prelu,
    "BatchNormalization": _batch_normalization,
    "LayerNormalization": _layer_normalization, "Rescaling": _rescaling,
    "RepeatVector": _repeat_vector, "Permute": _permute,
    # merge layers: ``x`` is the list of their input names
    "Add": _variadic("Sum"), "Average": _variadic("Mean"), "Maximum": _variadic("Max"),
    "Minimum": _variadic("Min"), "Subtract": _binary_chain("Sub"),
    "Multiply": _binary_chain("Mul"), "Concatenate": _concatenate, "Dot": _dot,
}
