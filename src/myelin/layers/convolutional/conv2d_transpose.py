"""Conv2DTranspose: the transposed 2-D convolution (upsampling decoders, autoencoders)."""

from ...ops.conv_geometry import effective
from ...ops.spatial import conv_transpose
from .base_conv import BaseConv


def transpose_output_length(n, kernel, stride, dilation, padding, output_padding):
    """Keras's output length of a transposed convolution (None when ``n`` is unknown)."""
    if n is None:
        return None
    span = effective(kernel, dilation)
    if padding == "valid":
        extra = max(span, stride) - span if output_padding is None else output_padding
        return (n - 1) * stride + span + extra
    if output_padding is None:
        return n * stride
    return (n - 1) * stride + span % 2 + output_padding


class Conv2DTranspose(BaseConv):
    """Transposed 2-D convolution: the gradient of ``Conv2D`` with respect to its input.

    Each input pixel adds ``kernel`` (scaled by the pixel) into the output, ``strides``
    apart; ``strides=2`` doubles the height and width. The kernel has shape
    ``(kh, kw, filters, in_channels)``, as Keras stores it.

    Args:
        filters: the number of output channels.
        kernel_size: int or ``(kh, kw)``.
        strides: int or ``(sh, sw)`` (default 1).
        padding: ``"valid"`` or ``"same"``.
        output_padding: int or ``(ph, pw)`` extra rows/columns on the output's far
            side, each smaller than its stride; None infers the size.
        data_format, dilation_rate, activation, use_bias: as in ``Conv2D``.
        initializers, regularizers, constraints: as in ``Conv2D``.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, new_height, new_width, filters)``; with ``padding="same"`` and no
        output_padding, ``new_height = height * strides[0]``.

    Example:
        >>> Conv2DTranspose(8, 3, strides=2, padding="same")(np.zeros((1, 7, 7, 4))).shape
        (1, 14, 14, 8)
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", output_padding=None,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, **kwargs)
        if output_padding is not None:
            items = (output_padding,) * 2 if isinstance(output_padding, int) else tuple(
                output_padding)
            if len(items) != 2 or not all(isinstance(p, int) and 0 <= p < s for p, s in zip(
                    items, self.strides, strict=True)):
                raise ValueError(f"{self._where}: `output_padding` must be an int or 2 ints, "
                                 f"each >= 0 and strictly less than its stride; received "
                                 f"output_padding={output_padding!r}, strides={self.strides}.")
            output_padding = items
        self.output_padding = output_padding

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (self.filters, channels), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._add_bias(self.filters)

    def call(self, inputs):
        size = self.compute_output_shape(inputs.shape)[1:-1]
        return self._finish(conv_transpose(inputs, self.kernel, size, self.bias,
                                           activation=self._fused, **self._conv_args()))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        padding = self.output_padding or (None,) * self.rank
        sizes = tuple(transpose_output_length(n, k, s, d, self.padding, p) for n, k, s, d, p in
                      zip(input_shape[1:-1], self.kernel_size, self.strides,
                          self.dilation_rate, padding, strict=True))
        return (input_shape[0], *sizes, self.filters)

    def get_config(self):
        config = super().get_config()
        del config["groups"]
        return {**config, "output_padding": self.output_padding}

