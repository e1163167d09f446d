"""TensorFlow 2's ``tf.nn`` convolutions and poolings (exported by ``myelin.nn``).

TensorFlow's spellings are accepted: ``strides`` / ``ksize`` / ``dilations`` as an
int, one int per spatial axis, or the full ``[1, s, s, 1]`` form; ``padding`` as
``"SAME"`` or ``"VALID"``; channels last (``"NHWC"`` / ``"NWC"``). Each function is
one fused op of ``myelin.ops.spatial`` and is differentiable through GradientTape.
"""

import numpy as np

from .autodiff import Tensor, convert_to_tensor
from .ops import spatial

_FORMATS = {1: ("NWC",), 2: ("NHWC",)}


def _spatial(value, rank, what, op):
    """TF's int / per-axis / full-rank form of strides (ksize, ...) as ``rank`` ints."""
    if value is None:
        return (1,) * rank
    if isinstance(value, Tensor):
        value = value.numpy()
    items = [int(value)] if np.ndim(value) == 0 else [int(v) for v in np.ravel(value)]
    if len(items) == 1:
        return tuple(items) * rank
    if len(items) == rank:
        return tuple(items)
    if len(items) == rank + 2 and items[0] == items[-1] == 1:
        return tuple(items[1:-1])
    raise ValueError(f"{op}: {what} must be an int, {rank} ints or {rank + 2} ints with 1 for "
                     f"the batch and channel axes, received {value!r}.")


def _padding(padding, op):
    if not isinstance(padding, str):
        raise NotImplementedError(f"{op}: explicit padding lists are not supported; use "
                                  f"padding='SAME' or 'VALID' (received {padding!r}).")
    if padding.upper() not in ("SAME", "VALID"):
        raise ValueError(f"{op}: padding must be one of 'SAME', 'VALID', received {padding!r}.")
    return padding.lower()


def _format(data_format, rank, op):
    if data_format is not None and data_format not in _FORMATS[rank]:
        raise ValueError(f"{op}: data_format={data_format!r} is not supported; myelin is "
                         f"channels last ({_FORMATS[rank][0]}).")


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None, name=None):
    """2-D convolution of ``input`` ``(batch, h, w, in)`` with ``filters`` ``(kh, kw, in, out)``.

    Args:
        input: a 4-D Tensor or array, channels last.
        filters: ``(kh, kw, in_channels, out_channels)``; ``in_channels`` may divide
            the input's channels (grouped convolution, as TensorFlow allows).
        strides: int, ``[sh, sw]`` or ``[1, sh, sw, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NHWC"``.
        dilations: int, ``[dh, dw]`` or ``[1, dh, dw, 1]`` (default 1).

    Returns:
        A Tensor ``(batch, out_h, out_w, out_channels)``.

    Example:
        >>> conv2d(np.ones((1, 3, 3, 1)), np.ones((2, 2, 1, 1)), 1, "VALID").numpy()[0, :, :, 0]
        array([[4., 4.],
               [4., 4.]], dtype=float32)
    """
    op = "conv2d"
    _format(data_format, 2, op)
    x, k = convert_to_tensor(input), convert_to_tensor(filters)
    groups = x.shape[-1] // k.shape[2] if k.ndim == 4 and k.shape[2] else 1
    return spatial.conv(x, k, None, _spatial(strides, 2, "strides", op), _padding(padding, op),
                        _spatial(dilations, 2, "dilations", op), groups=max(groups, 1),
                        where=op)


def conv1d(input, filters, stride, padding, data_format="NWC", dilations=None, name=None):
    """1-D convolution of ``input`` ``(batch, width, in)`` with ``filters`` ``(k, in, out)``.

    Args:
        input: a 3-D Tensor or array, channels last.
        filters: ``(kernel_width, in_channels, out_channels)``.
        stride: int, ``[s]`` or ``[1, s, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NWC"``.
        dilations: int or ``[d]`` (default 1).

    Returns:
        A Tensor ``(batch, out_width, out_channels)``.

    Example:
        >>> conv1d(np.ones((1, 4, 1)), np.ones((2, 1, 1)), 1, "VALID").numpy()[0, :, 0]
        array([2., 2., 2.], dtype=float32)
    """
    op = "conv1d"
    _format(data_format, 1, op)
    return spatial.conv(input, filters, None, _spatial(stride, 1, "stride", op),
                        _padding(padding, op), _spatial(dilations, 1, "dilations", op),
                        where=op)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME", data_format="NHWC",
                     dilations=None, name=None):
    """The transposed 2-D convolution (the gradient of ``conv2d`` for its input).

    Args:
        input: ``(batch, h, w, in_channels)``.
        filters: ``(kh, kw, out_channels, in_channels)``.
        output_shape: ``[batch, out_h, out_w, out_channels]``; ``conv2d`` with the same
            strides and padding must map it back to ``input``'s shape.
        strides: int, ``[sh, sw]`` or ``[1, sh, sw, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NHWC"``.
        dilations: int, ``[dh, dw]`` or ``[1, dh, dw, 1]`` (default 1).

    Returns:
        A Tensor of ``output_shape``.

    Example:
        >>> conv2d_transpose(np.ones((1, 2, 2, 1)), np.ones((2, 2, 1, 1)), [1, 4, 4, 1],
        ...                  2, "SAME").shape
        (1, 4, 4, 1)
    """
    op = "conv2d_transpose"
    _format(data_format, 2, op)
    x, k = convert_to_tensor(input), convert_to_tensor(filters)
    shape = [int(d) for d in np.ravel(output_shape.numpy() if isinstance(output_shape, Tensor)
                                      else output_shape)]
    if len(shape) != 4 or shape[0] != x.shape[0] or (k.ndim == 4 and shape[3] != k.shape[2]):
        raise ValueError(f"{op}: output_shape must be [batch, height, width, out_channels] "
                         f"with batch {x.shape[0]} and out_channels = filters.shape[2]; "
                         f"received {shape} for input {x.shape} and filters {k.shape}.")
    return spatial.conv_transpose(x, k, tuple(shape[1:3]), None,
                                  _spatial(strides, 2, "strides", op), _padding(padding, op),
                                  _spatial(dilations, 2, "dilations", op), where=op)


def depthwise_conv2d(input, filter, strides, padding, data_format=None, dilations=None,
                     name=None):
    """Depthwise 2-D convolution: each input channel with its own ``multiplier`` filters.

    Args:
        input: ``(batch, h, w, in_channels)``.
        filter: ``(kh, kw, in_channels, channel_multiplier)``.
        strides: ``[1, s, s, 1]`` (or an int / ``[sh, sw]``).
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NHWC"`` (or None).
        dilations: int or ``[dh, dw]`` (default 1).

    Returns:
        A Tensor ``(batch, out_h, out_w, in_channels * channel_multiplier)``; channel
        ``c * channel_multiplier + m`` is input channel ``c`` with filter ``m``.

    Example:
        >>> depthwise_conv2d(np.ones((1, 3, 3, 2)), np.ones((3, 3, 2, 2)), [1, 1, 1, 1],
        ...                  "VALID").shape
        (1, 1, 1, 4)
    """
    op = "depthwise_conv2d"
    _format(data_format, 2, op)
    return spatial.depthwise_conv(input, filter, None, _spatial(strides, 2, "strides", op),
                                  _padding(padding, op), _spatial(dilations, 2, "dilations", op),
                                  where=op)


def _pool(kind, rank, op, input, ksize, strides, padding, data_format):
    _format(data_format, rank, op)
    return spatial.pool(input, kind, _spatial(ksize, rank, "ksize", op),
                        _spatial(strides, rank, "strides", op), _padding(padding, op), where=op)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """Max pooling over ``ksize`` windows of a 4-D channels-last input.

    Args:
        input: ``(batch, h, w, channels)``.
        ksize, strides: int, ``[h, w]`` or ``[1, h, w, 1]``.
        padding: ``"SAME"`` (padding never wins) or ``"VALID"``.
        data_format: ``"NHWC"``.

    Returns:
        A Tensor ``(batch, out_h, out_w, channels)``; the gradient goes to each
        window's first maximum.

    Example:
        >>> max_pool2d(np.arange(16.0).reshape(1, 4, 4, 1), 2, 2, "VALID").numpy()[0, :, :, 0]
        array([[ 5.,  7.],
               [13., 15.]], dtype=float32)
    """
    return _pool("max", 2, "max_pool2d", input, ksize, strides, padding, data_format)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):
    """Average pooling over ``ksize`` windows (``SAME`` padding is not counted).

    Args:
        input: ``(batch, h, w, channels)``.
        ksize, strides: int, ``[h, w]`` or ``[1, h, w, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NHWC"``.

    Returns:
        A Tensor ``(batch, out_h, out_w, channels)``.

    Example:
        >>> avg_pool2d(np.arange(16.0).reshape(1, 4, 4, 1), 2, 2, "VALID").numpy()[0, :, :, 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]], dtype=float32)
    """
    return _pool("avg", 2, "avg_pool2d", input, ksize, strides, padding, data_format)


def max_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """Max pooling over windows of a 3-D ``(batch, width, channels)`` input.

    Args:
        input: ``(batch, width, channels)``.
        ksize, strides: int, ``[w]`` or ``[1, w, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NWC"``.

    Returns:
        A Tensor ``(batch, out_width, channels)``.

    Example:
        >>> max_pool1d(np.array([[[1.0], [3.0], [2.0], [0.0]]]), 2, 2, "VALID").shape
        (1, 2, 1)
    """
    return _pool("max", 1, "max_pool1d", input, ksize, strides, padding, data_format)


def avg_pool1d(input, ksize, strides, padding, data_format="NWC", name=None):
    """Average pooling over windows of a 3-D ``(batch, width, channels)`` input.

    Args:
        input: ``(batch, width, channels)``.
        ksize, strides: int, ``[w]`` or ``[1, w, 1]``.
        padding: ``"SAME"`` or ``"VALID"``.
        data_format: ``"NWC"``.

    Returns:
        A Tensor ``(batch, out_width, channels)``.

    Example:
        >>> avg_pool1d(np.array([[[1.0], [3.0], [2.0], [0.0]]]), 2, 2, "VALID").shape
        (1, 2, 1)
    """
    return _pool("avg", 1, "avg_pool1d", input, ksize, strides, padding, data_format)


__all__ = ["avg_pool1d", "avg_pool2d", "conv1d", "conv2d", "conv2d_transpose",
           "depthwise_conv2d", "max_pool1d", "max_pool2d"]
