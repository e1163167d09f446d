"""Conv1D: a 1-D convolution over sequences, channels last."""

from .base_conv import BaseConv


class Conv1D(BaseConv):
    """1-D convolution: ``activation(conv1d(inputs, kernel) + bias)``.

    The kernel has shape ``(k, in_channels / groups, filters)``.

    Args:
        filters: the number of output channels.
        kernel_size: int (or a tuple of one int).
        strides: int (default 1).
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (zeros only before the
            sequence, so output step ``t`` depends on inputs ``<= t``).
        data_format, dilation_rate, groups: as in ``Conv2D``.
        activation, use_bias: as in ``Conv2D``.
        initializers, regularizers, constraints: as in ``Conv2D``.

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        ``(batch, new_steps, filters)``.

    Example:
        >>> Conv1D(8, 3, padding="causal")(np.zeros((2, 10, 4))).shape
        (2, 10, 8)
    """

    rank = 1
