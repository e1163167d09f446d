"""MaxPooling1D and MaxPooling2D: the largest value of each window."""

from .base_pooling import BasePooling


class MaxPooling2D(BasePooling):
    """Max pooling over 2-D windows: each output is the largest input of its window.

    The gradient flows to the window's largest input (the first one on a tie, as in
    TensorFlow).

    Args:
        pool_size: int or ``(ph, pw)`` (default ``(2, 2)``).
        strides: int or ``(sh, sw)``; None means ``pool_size``.
        padding: ``"valid"`` or ``"same"`` (padded positions never win).
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, pooled_height, pooled_width, channels)``.

    Example:
        >>> MaxPooling2D()(np.zeros((1, 26, 26, 32))).shape
        (1, 13, 13, 32)
    """

    rank = 2
    kind = "max"


class MaxPooling1D(BasePooling):
    """Max pooling over windows of a sequence.

    Args:
        pool_size: int (default 2).
        strides: int; None means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        ``(batch, pooled_steps, channels)``.

    Example:
        >>> MaxPooling1D(3)(np.zeros((2, 9, 4))).shape
        (2, 3, 4)
    """

    rank = 1
    kind = "max"
