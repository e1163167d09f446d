"""Masking: marks the steps of a sequence whose features all equal ``mask_value``."""

import numpy as np

from ..autodiff import Tensor
from ..ops import elementwise
from .layer import Layer


class Masking(Layer):
    """Masks the timesteps whose features are all ``mask_value``, so mask-aware layers
    downstream (LSTM, GRU, GlobalAveragePooling1D, losses) skip them.

    The output equals the input with masked steps set to 0 (as Keras), and the mask
    ``any(inputs != mask_value, axis=-1)`` flows to the next layers.

    Args:
        mask_value: the padding value (default 0.0).

    Example:
        >>> x = np.array([[[1.0], [0.0]]])
        >>> Masking()(x).numpy().ravel(), Masking().compute_mask(x).tolist()
        (array([1., 0.], dtype=float32), [[True, False]])
    """

    supports_masking = True
    _makes_mask = True  # Sequential passes masks along when a layer like this is present

    def __init__(self, mask_value=0.0, **kwargs):
        super().__init__(**kwargs)
        self.mask_value = float(mask_value)

    def _boolean_mask(self, inputs):
        data = np.asarray(inputs._data if isinstance(inputs, Tensor) else inputs)
        return np.any(data != self.mask_value, axis=-1)

    def call(self, inputs):
        keep = self._boolean_mask(inputs)[..., None].astype(inputs.dtype)
        return elementwise.multiply(inputs, Tensor(keep))

    def compute_mask(self, inputs, mask=None):
        return self._boolean_mask(inputs)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "mask_value": self.mask_value}
