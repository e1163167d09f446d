"""Dropout, GaussianNoise and ActivityRegularization: regularization as layers."""

from numbers import Real

import numpy as np

from .. import backend, regularizers
from ..autodiff import Function, Tensor
from ..ops.elementwise import add
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


class GaussianNoise(Layer):
    """Adds zero-centered Gaussian noise of standard deviation ``stddev`` while training
    (a regularizer against overfitting); at inference it is the identity.

    Args:
        stddev: float in [0, 1], the standard deviation of the noise.
        seed: optional int: the layer then draws its noise from its own Generator.

    Example:
        >>> GaussianNoise(0.1)(np.ones((1, 3)), training=False).numpy()
        array([[1., 1., 1.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, stddev, seed=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(stddev, bool) or not isinstance(stddev, Real) or not 0 <= stddev <= 1:
            raise ValueError(f"GaussianNoise layer '{self.name}': invalid value received for "
                             f"argument `stddev`. Expected a float value between 0 and 1. "
                             f"Received: stddev={stddev!r}")
        self.stddev = float(stddev)
        self.seed = seed
        self._rng = None if seed is None else np.random.default_rng(seed)

    def call(self, inputs, training=None):
        if not training or self.stddev == 0:
            return inputs
        rng = self._rng or backend.rng()
        noise = rng.normal(0.0, self.stddev, inputs.shape).astype(inputs.dtype)
        return add(inputs, Tensor(noise))

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "stddev": self.stddev, "seed": self.seed}


class ActivityRegularization(Layer):
    """The identity, adding ``l1 * sum(|x|) + l2 * sum(x**2)`` of its input (divided by
    the batch size) to the layer's ``losses`` at each call.

    Args:
        l1: non-negative float, the L1 factor.
        l2: non-negative float, the L2 factor.

    Example:
        >>> layer = ActivityRegularization(l2=0.5)
        >>> _ = layer(np.array([[1.0, 2.0]]))
        >>> float(layer.losses[0])
        2.5
    """

    supports_masking = True

    def __init__(self, l1=0.0, l2=0.0, **kwargs):
        kwargs.pop("activity_regularizer", None)  # always L1L2(l1, l2)
        super().__init__(activity_regularizer=regularizers.L1L2(l1=l1, l2=l2), **kwargs)
        self.l1, self.l2 = self.activity_regularizer.l1, self.activity_regularizer.l2

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        config = super().get_config()
        config.pop("activity_regularizer", None)
        return {**config, "l1": self.l1, "l2": self.l2}
