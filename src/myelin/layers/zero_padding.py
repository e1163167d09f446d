"""ZeroPadding1D and ZeroPadding2D: add rows and columns of zeros around the inputs."""

from ..ops.image import Pad
from .reshaping_args import int_tuple, pairs_2d
from .spatial import SpatialLayer, check_data_format


def _grown(size, pad):
    return None if size is None else size + sum(pad)


class ZeroPadding2D(SpatialLayer):
    """Pads images with zeros at the top, bottom, left and right.

    Args:
        padding: int (the same on every side), ``(rows, cols)`` (symmetric) or
            ``((top, bottom), (left, right))``. Default ``(1, 1)``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, height + top + bottom, width + left + right, channels)``.

    Example:
        >>> ZeroPadding2D(((1, 0), (0, 2)))(np.ones((1, 2, 2, 1))).shape
        (1, 3, 4, 1)
    """

    rank = 2

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = pairs_2d(padding, "padding", self._where)
        self.data_format = check_data_format(data_format, self._where)

    def call(self, inputs):
        return Pad.apply(inputs, pads=((0, 0), *self.padding, (0, 0)))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return (input_shape[0], _grown(input_shape[1], self.padding[0]),
                _grown(input_shape[2], self.padding[1]), input_shape[3])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}


class ZeroPadding1D(SpatialLayer):
    """Pads sequences with zero steps at the start and the end.

    Args:
        padding: int (both ends) or ``(start, end)``. Default 1.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        ``(batch, steps + start + end, channels)``.

    Example:
        >>> ZeroPadding1D(2)(np.ones((1, 3, 4))).shape
        (1, 7, 4)
    """

    rank = 1

    def __init__(self, padding=1, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.padding = int_tuple(padding, 2, "padding", self._where)
        self.data_format = check_data_format(data_format, self._where)

    def call(self, inputs):
        return Pad.apply(inputs, pads=((0, 0), self.padding, (0, 0)))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return (input_shape[0], _grown(input_shape[1], self.padding), input_shape[2])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": self.data_format}
