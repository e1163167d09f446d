"""Cropping1D and Cropping2D: remove steps, rows and columns at the borders."""

from .reshaping_args import int_tuple, pairs_2d
from .spatial import SpatialLayer, check_data_format


class _Cropping(SpatialLayer):
    """Shared checks: every crop must leave at least one element on its axis."""

    def _crops(self):
        return self.cropping if self.rank == 2 else (self.cropping,)

    def _cropped_sizes(self, shape):
        self._check_rank(shape)
        sizes = []
        for n, (before, after) in zip(shape[1:-1], self._crops(), strict=True):
            if n is not None and before + after >= n:
                raise ValueError(
                    f"{self._where}: the cropping {self.cropping} removes all of an input "
                    f"axis of size {n}; each axis's crops must sum to less than its size. "
                    f"Received: input shape {tuple(shape)}. Crop less or feed larger inputs.")
            sizes.append(None if n is None else n - before - after)
        return sizes

    def build(self, input_shape):
        self._cropped_sizes(input_shape)  # refuse before anything is recorded

    def call(self, inputs):
        self._cropped_sizes(inputs.shape)
        key = tuple(slice(before, n - after) for n, (before, after) in
                    zip(inputs.shape[1:-1], self._crops(), strict=True))
        return inputs[(slice(None), *key, slice(None))]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], *self._cropped_sizes(input_shape), input_shape[-1])


class Cropping2D(_Cropping):
    """Crops images at the top, bottom, left and right.

    Args:
        cropping: int (the same on every side), ``(rows, cols)`` (symmetric) or
            ``((top, bottom), (left, right))``. Default ``((0, 0), (0, 0))``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, height - top - bottom, width - left - right, channels)``.

    Example:
        >>> Cropping2D(((2, 2), (4, 4)))(np.ones((2, 28, 28, 3))).shape
        (2, 24, 20, 3)
    """

    rank = 2

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.cropping = pairs_2d(cropping, "cropping", self._where)
        self.data_format = check_data_format(data_format, self._where)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": self.data_format}


class Cropping1D(_Cropping):
    """Crops sequences at the start and the end.

    Args:
        cropping: int (both ends) or ``(start, end)``. Default ``(1, 1)``.

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        ``(batch, steps - start - end, channels)``.

    Example:
        >>> Cropping1D((1, 2))(np.ones((1, 5, 2))).shape
        (1, 2, 2)
    """

    rank = 1

    def __init__(self, cropping=(1, 1), **kwargs):
        super().__init__(**kwargs)
        self.cropping = int_tuple(cropping, 2, "cropping", self._where)

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping}
