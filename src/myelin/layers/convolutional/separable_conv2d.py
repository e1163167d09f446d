"""SeparableConv2D: a depthwise convolution followed by a 1x1 (pointwise) convolution."""

from ... import initializers
from ...ops.spatial import conv, depthwise_conv
from ..core import serialize_initializer
from ..layer import Layer
from .base_conv import BaseConv, depthwise_kernel_args, serialize_optional


class SeparableConv2D(BaseConv):
    """Depthwise separable 2-D convolution: far fewer weights than ``Conv2D``.

    Each input channel is first convolved on its own (``depth_multiplier`` filters
    each, the ``depthwise_kernel`` of shape ``(kh, kw, in, depth_multiplier)``), then
    a 1x1 convolution (``pointwise_kernel`` ``(1, 1, in * depth_multiplier, filters)``)
    mixes the channels; bias and activation follow, fused into the pointwise step.

    Args:
        filters: the number of output channels.
        kernel_size, strides, padding, data_format, dilation_rate: of the depthwise step,
            as in ``Conv2D``.
        depth_multiplier: depthwise filters per input channel (default 1).
        activation, use_bias: as in ``Conv2D``.
        depthwise_initializer, pointwise_initializer, bias_initializer: initializers.
        depthwise_regularizer, pointwise_regularizer: passed to ``add_weight``.
        bias_regularizer: passed to ``add_weight``.
        activity_regularizer: passed to ``Layer``.
        depthwise_constraint, pointwise_constraint: passed to ``add_weight``.
        bias_constraint: passed to ``add_weight``.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, new_height, new_width, filters)``.

    Example:
        >>> SeparableConv2D(16, 3)(np.zeros((1, 8, 8, 3))).shape
        (1, 6, 6, 16)
    """

    rank = 2

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, depth_multiplier=1, activation=None, use_bias=True,
                 depthwise_initializer="glorot_uniform", pointwise_initializer="glorot_uniform",
                 bias_initializer="zeros", depthwise_regularizer=None,
                 pointwise_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 depthwise_constraint=None, pointwise_constraint=None, bias_constraint=None,
                 **kwargs):
        kernel_args = depthwise_kernel_args(depth_multiplier, "SeparableConv2D",
                                            depthwise_initializer, depthwise_regularizer,
                                            depthwise_constraint)
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate,
                         activation=activation, use_bias=use_bias,
                         bias_initializer=bias_initializer, bias_regularizer=bias_regularizer,
                         activity_regularizer=activity_regularizer,
                         bias_constraint=bias_constraint, **kernel_args, **kwargs)
        self.depth_multiplier = depth_multiplier
        self.pointwise_initializer = initializers.get(pointwise_initializer)
        self._pointwise_init_arg = pointwise_initializer
        self.pointwise_regularizer = pointwise_regularizer
        self.pointwise_constraint = pointwise_constraint
        self.depthwise_kernel = self.pointwise_kernel = None

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        self.compute_output_shape(input_shape)
        self.depthwise_kernel = self.add_weight(
            shape=self.kernel_size + (channels, self.depth_multiplier),
            name="depthwise_kernel", initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.pointwise_kernel = self.add_weight(
            shape=(1, 1, channels * self.depth_multiplier, self.filters),
            name="pointwise_kernel", initializer=self.pointwise_initializer,
            regularizer=self.pointwise_regularizer, constraint=self.pointwise_constraint)
        self._add_bias(self.filters)

    def call(self, inputs):
        depthwise = depthwise_conv(inputs, self.depthwise_kernel, **self._conv_args())
        return self._finish(conv(depthwise, self.pointwise_kernel, self.bias,
                                 activation=self._fused, where=self._where))

    def get_config(self):
        return {**Layer.get_config(self), "filters": self.filters,
                "depth_multiplier": self.depth_multiplier, **self._common_config(),
                "depthwise_initializer": serialize_initializer(self._init_args[0]),
                "pointwise_initializer": serialize_initializer(self._pointwise_init_arg),
                "depthwise_regularizer": serialize_optional(self.kernel_regularizer),
                "pointwise_regularizer": serialize_optional(self.pointwise_regularizer),
                "depthwise_constraint": serialize_optional(self.kernel_constraint),
                "pointwise_constraint": serialize_optional(self.pointwise_constraint)}
