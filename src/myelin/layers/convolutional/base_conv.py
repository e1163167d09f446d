"""BaseConv: what every convolution layer shares (arguments, checks, shapes, config).

A variant sets ``rank`` (1 or 2), says which weights it creates (``build``) and which
kernel it calls (``call``); the argument parsing, the input checks with their
messages, ``compute_output_shape`` and ``get_config`` live here once.
"""

import numpy as np

from ... import activations, initializers
from ...ops.conv_geometry import check_padding, pair
from ...ops.spatial import conv
from ..core import activation_name, serialize_initializer
from ..spatial import SpatialLayer, check_data_format


def serialize_optional(obj):
    """A config value for a regularizer/constraint argument (``None`` stays ``None``)."""
    if obj is None or isinstance(obj, (str, dict)):
        return obj
    from ...saving import registry  # saving sits above layers: import on use

    return registry.serialize(obj)


def depthwise_kernel_args(depth_multiplier, where, initializer, regularizer, constraint):
    """Check ``depth_multiplier``; the depthwise kernel's arguments as BaseConv's kernel's."""
    if isinstance(depth_multiplier, bool) or not isinstance(depth_multiplier, int) or (
            depth_multiplier < 1):
        raise ValueError(f"{where}: depth_multiplier must be a positive integer, received "
                         f"{depth_multiplier!r}.")
    return dict(kernel_initializer=initializer, kernel_regularizer=regularizer,
                kernel_constraint=constraint)


class BaseConv(SpatialLayer):
    """Shared base of the convolution layers (Keras 3's ``BaseConv`` arguments).

    Args:
        filters: the number of output channels.
        kernel_size: int or tuple of ``rank`` ints.
        strides: int or tuple (default 1); cannot be combined with ``dilation_rate > 1``.
        padding: ``"valid"``, ``"same"`` or (1-D only) ``"causal"``.
        data_format: ``"channels_last"`` (or None).
        dilation_rate: int or tuple (default 1).
        groups: split input channels and filters into this many groups.
        activation: name or function; relu/sigmoid/tanh/softmax/linear are fused.
        use_bias: whether to add a bias per filter.
        kernel_initializer, bias_initializer: initializers of the weights.
        kernel_regularizer, bias_regularizer, kernel_constraint, bias_constraint:
            passed to ``add_weight``.
        activity_regularizer: passed to ``Layer`` when given.
    """

    _splits_over_cores = True  # ops.threads.over_batch: see Layer

    _checks_features = True

    def __init__(self, filters, kernel_size, strides=1, padding="valid", data_format=None,
                 dilation_rate=1, groups=1, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        if activity_regularizer is not None:
            kwargs["activity_regularizer"] = activity_regularizer
        super().__init__(**kwargs)
        where = self._where
        if filters is not None and (isinstance(filters, bool) or not isinstance(
                filters, (int, np.integer)) or filters <= 0):
            raise ValueError(f"{where}: invalid value for argument `filters`. Expected a "
                             f"strictly positive integer. Received filters={filters!r}.")
        if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
            raise ValueError(f"{where}: the number of groups must be a positive integer. "
                             f"Received: groups={groups!r}.")
        if filters is not None and filters % groups:
            raise ValueError(f"{where}: the number of filters must be evenly divisible by "
                             f"the number of groups. Received: groups={groups}, "
                             f"filters={filters}.")
        self.filters = None if filters is None else int(filters)
        self.groups = int(groups)
        self.kernel_size = pair(kernel_size, self.rank, "kernel_size", where)
        self.strides = pair(strides, self.rank, "strides", where)
        self.dilation_rate = pair(dilation_rate, self.rank, "dilation_rate", where)
        if max(self.strides) > 1 and max(self.dilation_rate) > 1:
            raise ValueError(f"{where}: `strides > 1` not supported in conjunction with "
                             f"`dilation_rate > 1`. Received: strides={self.strides} and "
                             f"dilation_rate={self.dilation_rate}.")
        self.padding = check_padding(padding, where, causal_ok=self.rank == 1)
        self.data_format = check_data_format(data_format, where)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self._init_args = (kernel_initializer, bias_initializer)
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer
        self.kernel_constraint, self.bias_constraint = kernel_constraint, bias_constraint
        self._activity_regularizer = activity_regularizer
        fused_name = activations.fused_name(self.activation)
        # A fused activation runs inside the conv kernel, in place; any other one after.
        self._fused = fused_name or "linear"
        self._after = None if fused_name else self.activation
        self.kernel = self.bias = None

    def _input_channels(self, input_shape):
        self._check_rank(input_shape)
        channels = input_shape[-1]
        if channels is None:
            raise ValueError(f"{self._where}: the channel dimension (last axis) of the "
                             f"inputs must be known, received {tuple(input_shape)}.")
        return channels

    def _add_bias(self, size):
        if self.use_bias:
            self.bias = self.add_weight(shape=(size,), name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def build(self, input_shape):
        channels = self._input_channels(input_shape)
        if channels % self.groups:
            raise ValueError(f"{self._where}: the number of input channels must be evenly "
                             f"divisible by the number of groups. Received groups="
                             f"{self.groups}, but the input has {channels} channels (full "
                             f"input shape is {tuple(input_shape)}).")
        self.compute_output_shape(input_shape)  # validates before any weight exists
        self.kernel = self.add_weight(
            shape=self.kernel_size + (channels // self.groups, self.filters), name="kernel",
            initializer=self.kernel_initializer, regularizer=self.kernel_regularizer,
            constraint=self.kernel_constraint)
        self._add_bias(self.filters)

    def _conv_args(self):
        return dict(strides=self.strides, padding=self.padding, dilation=self.dilation_rate,
                    where=self._where)

    def _finish(self, out):
        return out if self._after is None else self._after(out)

    def call(self, inputs):
        return self._finish(conv(inputs, self.kernel, self.bias, groups=self.groups,
                                 activation=self._fused, **self._conv_args()))

    def compute_output_shape(self, input_shape):
        sizes = self._spatial_output(input_shape, self.kernel_size, self.strides,
                                     self.dilation_rate, "kernel")
        return (input_shape[0], *sizes, self.filters)

    def _common_config(self):
        """The config entries every convolution layer has (Keras 3's key names)."""
        return {"kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding, "data_format": self.data_format,
                "dilation_rate": self.dilation_rate,
                "activation": activation_name(self.activation), "use_bias": self.use_bias,
                "bias_initializer": serialize_initializer(self._init_args[1]),
                "bias_regularizer": serialize_optional(self.bias_regularizer),
                "activity_regularizer": serialize_optional(self._activity_regularizer),
                "bias_constraint": serialize_optional(self.bias_constraint)}

    def get_config(self):
        return {**super().get_config(), "filters": self.filters, "groups": self.groups,
                **self._common_config(),
                "kernel_initializer": serialize_initializer(self._init_args[0]),
                "kernel_regularizer": serialize_optional(self.kernel_regularizer),
                "kernel_constraint": serialize_optional(self.kernel_constraint)}
