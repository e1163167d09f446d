"""SpatialDropout1D and SpatialDropout2D: drop whole feature maps instead of elements.

Neighbouring pixels (or steps) of one feature map are strongly correlated, so dropping
single elements hardly regularizes a convolution; these layers zero entire channels per
sample (Keras's noise shape ``(batch, 1, channels)`` / ``(batch, 1, 1, channels)``).
"""

from .regularization import Dropout, _Dropout
from .spatial import check_data_format


class SpatialDropout1D(Dropout):
    """Zeros whole channels of a sequence with probability ``rate`` while training,
    scaling the rest by ``1 / (1 - rate)``; the identity at inference.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        seed: optional int: the layer then draws its masks from its own Generator.

    Input shape:
        ``(batch, steps, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> SpatialDropout1D(0.5)(np.ones((1, 2, 3)), training=False).shape
        (1, 2, 3)
    """

    _ndim = 3

    def __init__(self, rate, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)

    def _noise_shape(self, shape):
        return (shape[0], 1, shape[-1])

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        mask = self._mask(self._noise_shape(inputs.shape), inputs.dtype)
        return _Dropout.apply(inputs, mask=mask)

    def get_config(self):
        config = super().get_config()
        del config["noise_shape"]
        return config


class SpatialDropout2D(SpatialDropout1D):
    """Zeros whole channels of an image with probability ``rate`` while training,
    scaling the rest by ``1 / (1 - rate)``; the identity at inference.

    Args:
        rate: float in [0, 1], the fraction of channels to drop.
        data_format: ``"channels_last"`` (or None).
        seed: optional int: the layer then draws its masks from its own Generator.

    Input shape:
        ``(batch, height, width, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> SpatialDropout2D(0.5)(np.ones((1, 2, 2, 3)), training=False).shape
        (1, 2, 2, 3)
    """

    _ndim = 4

    def __init__(self, rate, data_format=None, seed=None, **kwargs):
        super().__init__(rate, seed=seed, **kwargs)
        self.data_format = check_data_format(
            data_format, f"SpatialDropout2D layer '{self.name}'")

    def _noise_shape(self, shape):
        return (shape[0], 1, 1, shape[-1])

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
