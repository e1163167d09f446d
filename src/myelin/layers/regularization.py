"""Dropout: zero a random fraction of the inputs while training (inverted dropout)."""

from numbers import Real

import numpy as np

from .. import backend
from ..autodiff import Function
from .layer import Layer


class _Dropout(Function):
    """``x * mask``, where ``mask`` already holds ``0`` or ``1 / (1 - rate)``."""

    def __init__(self, mask):
        self.mask = mask

    def forward(self, x):
        return x * self.mask

    def backward(self, grad):
        return grad * self.mask


class Dropout(Layer):
    """Sets inputs to 0 with probability ``rate`` during training and scales the rest
    by ``1 / (1 - rate)``, so the expected sum is unchanged; at inference it is the
    identity.

    Args:
        rate: float in [0, 1], the fraction of inputs to drop.
        noise_shape: optional shape of the mask, broadcast over the input (e.g.
            ``(batch, 1, features)`` drops the same features at every timestep);
            ``None`` entries take the input's size.
        seed: optional int: the layer then draws its masks from its own Generator.

    Example:
        >>> Dropout(0.5)(np.ones((1, 4)), training=False).numpy()
        array([[1., 1., 1., 1.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(rate, bool) or not isinstance(rate, Real) or not 0 <= rate <= 1:
            raise ValueError(f"Dropout layer '{self.name}': invalid value received for "
                             f"argument `rate`. Expected a float value between 0 and 1. "
                             f"Received: rate={rate!r}")
        self.rate = float(rate)
        self.noise_shape = None if noise_shape is None else tuple(noise_shape)
        self.seed = seed
        self._rng = None if seed is None else np.random.default_rng(seed)

    def _mask(self, shape, dtype):
        if self.noise_shape is not None:
            shape = tuple(s if n is None else n for n, s in zip(self.noise_shape, shape,
                                                                strict=True))
        rng = self._rng or backend.rng()
        keep = rng.random(shape, dtype=np.float32) >= self.rate
        scale = 0.0 if self.rate == 1 else 1.0 / (1.0 - self.rate)
        return np.multiply(keep, dtype.type(scale), dtype=dtype)

    def call(self, inputs, training=None):
        if not training or self.rate == 0:
            return inputs
        return _Dropout.apply(inputs, mask=self._mask(inputs.shape, inputs.dtype))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}
