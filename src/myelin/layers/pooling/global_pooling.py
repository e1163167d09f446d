"""GlobalMaxPooling1D/2D and GlobalAveragePooling2D: one value per channel and sample."""

from ...ops.reduce import reduce_max, reduce_mean
from ..spatial import SpatialLayer, check_data_format


class _GlobalPooling(SpatialLayer):
    """Reduces every spatial axis (Keras's ``data_format`` / ``keepdims`` arguments)."""

    reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        self.data_format = check_data_format(data_format, self._where)
        self.keepdims = bool(keepdims)
        self._axes = tuple(range(1, self.rank + 1))

    def call(self, inputs):
        return type(self).reduce(inputs, axis=self._axes, keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        if self.keepdims:
            return (input_shape[0],) + (1,) * self.rank + (input_shape[-1],)
        return (input_shape[0], input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format,
                "keepdims": self.keepdims}


class GlobalMaxPooling2D(_GlobalPooling):
    """The largest value of each channel over the height and width.

    Args:
        data_format: ``"channels_last"`` (or None).
        keepdims: keep the spatial axes with size 1.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, channels)`` (``(batch, 1, 1, channels)`` with keepdims).

    Example:
        >>> GlobalMaxPooling2D()(np.zeros((2, 5, 5, 8))).shape
        (2, 8)
    """

    rank = 2
    reduce = staticmethod(reduce_max)


class GlobalMaxPooling1D(_GlobalPooling):
    """The largest value of each channel over the steps of a sequence.

    Args:
        data_format: ``"channels_last"`` (or None).
        keepdims: keep the steps axis with size 1.

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        ``(batch, channels)``.

    Example:
        >>> GlobalMaxPooling1D()(np.zeros((2, 7, 3))).shape
        (2, 3)
    """

    rank = 1
    reduce = staticmethod(reduce_max)


class GlobalAveragePooling2D(_GlobalPooling):
    """The mean of each channel over the height and width.

    Args:
        data_format: ``"channels_last"`` (or None).
        keepdims: keep the spatial axes with size 1.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, channels)`` (``(batch, 1, 1, channels)`` with keepdims).

    Example:
        >>> GlobalAveragePooling2D()(np.zeros((2, 5, 5, 8))).shape
        (2, 8)
    """

    rank = 2
    reduce = staticmethod(reduce_mean)
