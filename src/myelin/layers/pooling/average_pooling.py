"""AveragePooling1D and AveragePooling2D: the mean of each window."""

from .base_pooling import BasePooling


class AveragePooling2D(BasePooling):
    """Average pooling over 2-D windows.

    With ``padding="same"`` a border window averages only its real inputs (padding
    is not counted), as in TensorFlow.

    Args:
        pool_size: int or ``(ph, pw)`` (default ``(2, 2)``).
        strides: int or ``(sh, sw)``; None means ``pool_size``.
        padding: ``"valid"`` or ``"same"``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, pooled_height, pooled_width, channels)``.

    Example:
        >>> AveragePooling2D(3, strides=1, padding="same")(np.zeros((1, 5, 5, 2))).shape
        (1, 5, 5, 2)
    """

    rank = 2
    kind = "avg"


class AveragePooling1D(BasePooling):
    """Average pooling over windows of a sequence.

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
        >>> AveragePooling1D()(np.zeros((2, 9, 4))).shape
        (2, 4, 4)
    """

    rank = 1
    kind = "avg"
