"""ONNX conversions of the convolution and pooling layers.

myelin is channels-last, ONNX's Conv / ConvTranspose / MaxPool / AveragePool /
Global*Pool are channels-first: each converter transposes its input to NCHW (NCW in
1-D), adds the ONNX node with the layer's own weights rearranged to ONNX's layout,
and transposes back. TensorFlow's ``same`` padding is ONNX's ``SAME_UPPER`` (the odd
element after); ``causal`` is an explicit left pad.
"""

from __future__ import annotations

import numpy as np

from . import _onnx_layers


def _to_first(x, rank, graph, hint):
    return graph.node("Transpose", [x], hint, perm=[0, rank + 1, *range(1, rank + 1)])


def _to_last(x, rank, graph, hint):
    return graph.node("Transpose", [x], hint, perm=[0, *range(2, rank + 2), 1])


def _padding(layer, kernel, dilation):
    """The ONNX padding attributes for the layer's padding mode."""
    if layer.padding == "same":
        return {"auto_pad": "SAME_UPPER"}
    if layer.padding == "causal":
        return {"pads": [(kernel[0] - 1) * dilation[0], 0]}
    return {"auto_pad": "VALID"}


def _conv_node(layer, x, graph, kernel, bias, groups, hint, strides=None, dilation=None,
               kernel_size=None):
    """One ONNX Conv of channels-first ``x`` with a Keras ``(k..., in/g, out)`` kernel."""
    rank = kernel.ndim - 2
    weights = np.transpose(kernel, (rank + 1, rank, *range(rank)))  # (out, in/g, k...)
    inputs = [x, graph.constant(np.ascontiguousarray(weights, np.float32), f"{hint}_W")]
    if bias is not None:
        inputs.append(graph.constant(np.asarray(bias, np.float32), f"{hint}_B"))
    strides = strides or layer.strides
    dilation = dilation or layer.dilation_rate
    kernel_size = kernel_size or layer.kernel_size
    return graph.node("Conv", inputs, hint, group=int(groups), strides=list(strides),
                      dilations=list(dilation), kernel_shape=list(kernel_size),
                      **_padding(layer, kernel_size, dilation))


def _weights(layer):
    bias = layer.bias.numpy() if getattr(layer, "bias", None) is not None else None
    return layer.kernel.numpy(), bias


def _conv(layer, x, graph):
    kernel, bias = _weights(layer)
    y = _conv_node(layer, _to_first(x, layer.rank, graph, layer.name), graph, kernel, bias,
                   layer.groups, f"{layer.name}_conv")
    y = _to_last(y, layer.rank, graph, layer.name)
    return _onnx_layers.activation(layer.get_config()["activation"], y, graph, layer.name)


def _depthwise_kernel(kernel):
    # (kh, kw, C, m) -> a grouped kernel (kh, kw, 1, C * m), output channel c * m + k
    return kernel.reshape(*kernel.shape[:2], 1, kernel.shape[2] * kernel.shape[3])


def _depthwise(layer, x, graph):
    kernel, bias = _weights(layer)
    y = _conv_node(layer, _to_first(x, 2, graph, layer.name), graph,
                   _depthwise_kernel(kernel), bias, kernel.shape[2], f"{layer.name}_conv")
    y = _to_last(y, 2, graph, layer.name)
    return _onnx_layers.activation(layer.get_config()["activation"], y, graph, layer.name)


def _separable(layer, x, graph):
    depthwise = layer.depthwise_kernel.numpy()
    bias = layer.bias.numpy() if layer.bias is not None else None
    y = _conv_node(layer, _to_first(x, 2, graph, layer.name), graph,
                   _depthwise_kernel(depthwise), None, depthwise.shape[2],
                   f"{layer.name}_depthwise")
    pointwise = layer.pointwise_kernel.numpy()
    y = graph.node("Conv", [y, graph.constant(np.ascontiguousarray(
        pointwise.transpose(3, 2, 0, 1), np.float32), f"{layer.name}_pointwise_W")]
        + ([] if bias is None else [graph.constant(bias.astype(np.float32),
                                                   f"{layer.name}_B")]),
        f"{layer.name}_pointwise", kernel_shape=[1, 1])
    y = _to_last(y, 2, graph, layer.name)
    return _onnx_layers.activation(layer.get_config()["activation"], y, graph, layer.name)


def _conv_transpose(layer, x, graph):
    kernel, bias = _weights(layer)  # (kh, kw, filters, in)
    in_shape = layer.input_shape
    out_shape = layer.compute_output_shape(in_shape)
    if any(d is None for d in in_shape[1:3]):
        raise ValueError(f"export: layer '{layer.name}' (Conv2DTranspose) needs a known input "
                         f"height and width to export, received {in_shape}.")
    pads_begin, pads_end, extra = [], [], []
    for n, out, k, s, d in zip(in_shape[1:3], out_shape[1:3], layer.kernel_size, layer.strides,
                               layer.dilation_rate, strict=True):
        full = (n - 1) * s + (k - 1) * d + 1
        total = full - out if layer.padding == "same" else 0
        pads_begin.append(max(total, 0) // 2)
        pads_end.append(max(total, 0) - max(total, 0) // 2)
        extra.append(out - (full - max(total, 0)))
    inputs = [_to_first(x, 2, graph, layer.name),
              graph.constant(np.ascontiguousarray(kernel.transpose(3, 2, 0, 1), np.float32),
                             f"{layer.name}_W")]
    if bias is not None:
        inputs.append(graph.constant(bias.astype(np.float32), f"{layer.name}_B"))
    y = graph.node("ConvTranspose", inputs, f"{layer.name}_deconv",
                   kernel_shape=list(layer.kernel_size), strides=list(layer.strides),
                   dilations=list(layer.dilation_rate), pads=pads_begin + pads_end,
                   output_padding=extra)
    y = _to_last(y, 2, graph, layer.name)
    return _onnx_layers.activation(layer.get_config()["activation"], y, graph, layer.name)


def _pool(op):
    def convert(layer, x, graph):
        attrs = {"count_include_pad": 0} if op == "AveragePool" else {}
        y = graph.node(op, [_to_first(x, layer.rank, graph, layer.name)], f"{layer.name}_pool",
                       kernel_shape=list(layer.pool_size), strides=list(layer.strides),
                       auto_pad="SAME_UPPER" if layer.padding == "same" else "VALID", **attrs)
        return _to_last(y, layer.rank, graph, layer.name)

    return convert


def _global_pool(op):
    def convert(layer, x, graph):
        y = graph.node(op, [_to_first(x, layer.rank, graph, layer.name)], f"{layer.name}_pool")
        if layer.keepdims:
            return _to_last(y, layer.rank, graph, layer.name)
        return graph.node("Flatten", [y], f"{layer.name}_flatten", axis=1)

    return convert


CONV_LAYERS = {
    "Conv1D": _conv, "Conv2D": _conv, "DepthwiseConv2D": _depthwise,
    "SeparableConv2D": _separable, "Conv2DTranspose": _conv_transpose,
    "MaxPooling1D": _pool("MaxPool"), "MaxPooling2D": _pool("MaxPool"),
    "AveragePooling1D": _pool("AveragePool"), "AveragePooling2D": _pool("AveragePool"),
    "GlobalMaxPooling1D": _global_pool("GlobalMaxPool"),
    "GlobalMaxPooling2D": _global_pool("GlobalMaxPool"),
    "GlobalAveragePooling2D": _global_pool("GlobalAveragePool"),
}
