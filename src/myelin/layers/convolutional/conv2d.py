"""Conv2D: a 2-D convolution over images, channels last."""

from .base_conv import BaseConv


class Conv2D(BaseConv):
    """2-D convolution: ``activation(conv2d(inputs, kernel) + bias)``.

    The kernel has shape ``(kh, kw, in_channels / groups, filters)``, as Keras stores
    it; the whole layer (im2col, one matrix product, bias, fused activation) is one op.

    Args:
        filters: the number of output channels.
        kernel_size: int or ``(kh, kw)``.
        strides: int or ``(sh, sw)`` (default 1).
        padding: ``"valid"`` (no padding) or ``"same"`` (output size ``ceil(n / stride)``).
        data_format: ``"channels_last"`` (or None).
        dilation_rate: int or ``(dh, dw)`` (default 1).
        groups: split input channels and filters into this many independent groups.
        activation, use_bias: as in ``Dense``.
        kernel_initializer, bias_initializer: as in ``Dense``.
        kernel_regularizer, bias_regularizer, activity_regularizer: as in ``Dense``.
        kernel_constraint, bias_constraint: as in ``Dense``.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, new_height, new_width, filters)``.

    Example:
        >>> Conv2D(32, 3, activation="relu")(np.zeros((4, 28, 28, 1))).shape
        (4, 26, 26, 32)
    """

    rank = 2
