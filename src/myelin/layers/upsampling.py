"""UpSampling1D and UpSampling2D: enlarge sequences and images by whole factors."""

from ..ops.image import RepeatUpsample, Resize, linear_weights
from .reshaping_args import int_tuple
from .spatial import SpatialLayer, check_data_format

_KERAS_ONLY = ("bicubic", "lanczos3", "lanczos5")


def _scaled(size, factor):
    return None if size is None else size * factor


class UpSampling2D(SpatialLayer):
    """Repeats rows and columns (``"nearest"``) or interpolates them (``"bilinear"``).

    ``"bilinear"`` is ``tf.image.resize(..., method="bilinear")``: half-pixel centres,
    edges clamped.

    Args:
        size: int or ``(rows, cols)``, the upsampling factors. Default ``(2, 2)``.
        data_format: ``"channels_last"`` (or None).
        interpolation: ``"nearest"`` (default) or ``"bilinear"``.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        ``(batch, height * rows, width * cols, channels)``.

    Example:
        >>> UpSampling2D((1, 2))(np.arange(2.0).reshape(1, 1, 2, 1))[0, 0, :, 0].numpy()
        array([0., 0., 1., 1.], dtype=float32)
    """

    rank = 2

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        self.size = int_tuple(size, 2, "size", self._where, allow_zero=False)
        self.data_format = check_data_format(data_format, self._where)
        mode = interpolation.lower() if isinstance(interpolation, str) else interpolation
        if mode not in ("nearest", "bilinear"):
            extra = (" (Keras's bicubic and lanczos modes are not implemented in myelin)"
                     if mode in _KERAS_ONLY else "")
            raise ValueError(f"{self._where}: `interpolation` must be 'nearest' or "
                             f"'bilinear'{extra}. Received: interpolation={interpolation!r}")
        self.interpolation = mode

    def call(self, inputs):
        if self.interpolation == "nearest":
            return RepeatUpsample.apply(inputs, factors=self.size)
        h, w = inputs.shape[1:3]
        return Resize.apply(inputs, rows=linear_weights(h, h * self.size[0]),
                            cols=linear_weights(w, w * self.size[1]))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return (input_shape[0], _scaled(input_shape[1], self.size[0]),
                _scaled(input_shape[2], self.size[1]), input_shape[3])

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": self.data_format,
                "interpolation": self.interpolation}


class UpSampling1D(SpatialLayer):
    """Repeats each step ``size`` times along the time axis.

    Args:
        size: positive int, the upsampling factor. Default 2.

    Input shape:
        ``(batch, steps, features)``.

    Output shape:
        ``(batch, steps * size, features)``.

    Example:
        >>> UpSampling1D(3)(np.ones((2, 4, 5))).shape
        (2, 12, 5)
    """

    rank = 1

    def __init__(self, size=2, **kwargs):
        super().__init__(**kwargs)
        self.size = int_tuple(size, 1, "size", self._where, allow_zero=False)[0]

    def call(self, inputs):
        return RepeatUpsample.apply(inputs, factors=(self.size,))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return (input_shape[0], _scaled(input_shape[1], self.size), input_shape[2])

    def get_config(self):
        return {**super().get_config(), "size": self.size}
