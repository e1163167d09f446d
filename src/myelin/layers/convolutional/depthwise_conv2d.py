"""DepthwiseConv2D: each input channel convolved with its own filters."""

from ...ops.spatial import depthwise_conv
from ..core import serialize_initializer
from ..layer import Layer
from .base_conv import BaseConv, depthwise_kernel_args, serialize_optional


class DepthwiseConv2D(BaseConv):
    """Depthwise 2-D convolution: no mixing between channels.

    Input channel ``c`` is convolved with ``depth_multiplier`` filters of its own;
    output channel ``c * depth_multiplier + m`` holds filter ``m`` of channel ``c``.
    The kernel has shape ``(kh, kw, in_channels, depth_multiplier)``.

    Args:
        kernel_size: int or ``(kh, kw)``.
        strides, padding, data_format, dilation_rate: as in ``Conv2D``.
        depth_multiplier: filters per input channel (default 1).
        activation, use_bias: as in ``Conv2D``.
        depthwise_initializer, bias_initializer: initializers of the kernel and bias.
        depthwise_regularizer, bias_regularizer: passed to ``add_weight``.
        activity_regularizer: passed to ``Layer``.
        depthwise_constraint, bias_constraint: passed to ``add_weight``.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, new_height, new_width, channels * depth_multiplier)``.

    Example:
        >>> DepthwiseConv2D(3, depth_multiplier=2)(np.zeros((1, 8, 8, 3))).shape
        (1, 6, 6, 6)
    """

    rank = 2

    def __init__(self, kernel_size, strides=1, padding="valid", depth_multiplier=1,
                 data_format=None, dilation_rate=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", bias_initializer="zeros",
                 depthwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, bias_constraint=None, **kwargs):
        kernel_args = depthwise_kernel_args(depth_multiplier, "DepthwiseConv2D",
                                            depthwise_initializer, depthwise_regularizer,
                                            depthwise_constraint)
        super().__init__(depth_multiplier, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kernel_args, **kwargs)
        self.depth_multiplier = self.filters

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._add_bias(channels * self.depth_multiplier)

    def call(self, inputs):
        return self._finish(depthwise_conv(inputs, self.kernel, self.bias,
                                           activation=self._fused, **self._conv_args()))

    def compute_output_shape(self, input_shape):
        sizes = self._spatial_output(input_shape, self.kernel_size, self.strides,
                                     self.dilation_rate, "kernel")
        channels = input_shape[-1]
        out = None if channels is None else channels * self.depth_multiplier
        return (input_shape[0], *sizes, out)

    def get_config(self):
        return {**Layer.get_config(self), "depth_multiplier": self.depth_multiplier,
                **self._common_config(),
                "depthwise_initializer": serialize_initializer(self._init_args[0]),
                "depthwise_regularizer": serialize_optional(self.kernel_regularizer),
                "depthwise_constraint": serialize_optional(self.kernel_constraint)}
