"""Random initializers: normal, truncated normal, uniform and the variance-scaling
family (Glorot, He, LeCun) with Keras's defaults.

Draws come from the library Generator (``backend.rng()``), so ``backend.set_seed``
replays them. An initializer built with ``seed=`` uses its own Generator made from
that seed at every call, so, as in Keras 3, each call returns the same values.
"""

import math

import numpy as np

from .. import backend
from .initializer import Initializer, compute_fans, float_dtype, standardize_shape

# stddev of a standard normal truncated to [-2, 2]: dividing by it keeps the variance
_TRUNCATED_STD = 0.87962566103423978


class RandomInitializer(Initializer):
    def __init__(self, seed=None):
        if seed is not None and not isinstance(seed, (int, np.integer)):
            raise ValueError(
                f"{type(self).__name__}: seed must be an integer or None, received {seed!r}."
            )
        self.seed = seed

    def _generator(self):
        return backend.rng() if self.seed is None else np.random.default_rng(self.seed)

    def _prepare(self, shape, dtype):
        name = type(self).__name__
        return standardize_shape(shape, name), float_dtype(dtype, name)

    def _normal(self, shape, dtype, mean, stddev):
        draw = self._generator().standard_normal(shape, dtype=np.float64)
        return (draw * stddev + mean).astype(dtype)

    def _truncated_normal(self, shape, dtype, mean, stddev):
        # Redraw values beyond two standard deviations, like TensorFlow.
        gen = self._generator()
        draw = gen.standard_normal(shape)
        outside = np.abs(draw) > 2.0
        while outside.any():
            draw[outside] = gen.standard_normal(int(outside.sum()))
            outside = np.abs(draw) > 2.0
        return (draw * stddev + mean).astype(dtype)

    def _uniform(self, shape, dtype, low, high):
        return self._generator().uniform(low, high, shape).astype(dtype)

    def get_config(self):
        return {"seed": self.seed}


class RandomNormal(RandomInitializer):
    """Normal draws with ``mean`` and ``stddev``.

    Example:
        >>> RandomNormal(stddev=1.0, seed=0)((2, 2)).shape
        (2, 2)
    """

    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        super().__init__(seed)
        self.mean, self.stddev = mean, stddev

    def __call__(self, shape, dtype=None):
        return self._normal(*self._prepare(shape, dtype), self.mean, self.stddev)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, **super().get_config()}


class TruncatedNormal(RandomNormal):
    """Normal draws redrawn when more than two ``stddev`` from ``mean``."""

    def __call__(self, shape, dtype=None):
        return self._truncated_normal(*self._prepare(shape, dtype), self.mean, self.stddev)


class RandomUniform(RandomInitializer):
    """Uniform draws in ``[minval, maxval)``."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        super().__init__(seed)
        if minval > maxval:
            raise ValueError(
                f"RandomUniform: minval ({minval}) must not exceed maxval ({maxval})."
            )
        self.minval, self.maxval = minval, maxval

    def __call__(self, shape, dtype=None):
        return self._uniform(*self._prepare(shape, dtype), self.minval, self.maxval)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, **super().get_config()}


class VarianceScaling(RandomInitializer):
    """Draws with variance ``scale / n``, ``n`` the fan in, fan out or their average.

    Args:
        scale: positive scaling factor.
        mode: ``"fan_in"``, ``"fan_out"`` or ``"fan_avg"``.
        distribution: ``"truncated_normal"`` (``"normal"`` is an alias),
            ``"untruncated_normal"`` or ``"uniform"``.
        seed: optional integer seed.
    """

    _MODES = ("fan_in", "fan_out", "fan_avg")
    _DISTRIBUTIONS = ("truncated_normal", "untruncated_normal", "uniform")

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        super().__init__(seed)
        distribution = "truncated_normal" if distribution == "normal" else distribution
        if scale <= 0:
            raise ValueError(f"VarianceScaling: scale must be positive, received {scale}.")
        if mode not in self._MODES:
            raise ValueError(f"VarianceScaling: mode must be one of {self._MODES}, "
                             f"received {mode!r}.")
        if distribution not in self._DISTRIBUTIONS:
            raise ValueError(f"VarianceScaling: distribution must be one of "
                             f"{self._DISTRIBUTIONS}, received {distribution!r}.")
        self.scale, self.mode, self.distribution = scale, mode, distribution

    def __call__(self, shape, dtype=None):
        shape, dtype = self._prepare(shape, dtype)
        fan_in, fan_out = compute_fans(shape)
        fan = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2}
        variance = self.scale / max(1.0, fan[self.mode])
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return self._uniform(shape, dtype, -limit, limit)
        if self.distribution == "untruncated_normal":
            return self._normal(shape, dtype, 0.0, math.sqrt(variance))
        return self._truncated_normal(shape, dtype, 0.0, math.sqrt(variance) / _TRUNCATED_STD)

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode,
                "distribution": self.distribution, **super().get_config()}


def _preset(name, scale, mode, distribution, doc):
    """A VarianceScaling subclass with fixed arguments (GlorotUniform, HeNormal, ...)."""

    def __init__(self, seed=None):
        VarianceScaling.__init__(self, scale, mode, distribution, seed)

    def get_config(self):
        return {"seed": self.seed}

    return type(name, (VarianceScaling,), {
        "__init__": __init__, "get_config": get_config, "__doc__": doc,
        "__module__": __name__,
    })


GlorotUniform = _preset("GlorotUniform", 1.0, "fan_avg", "uniform",
                        "Uniform in [-l, l], l = sqrt(6 / (fan_in + fan_out)) (Dense default).")
GlorotNormal = _preset("GlorotNormal", 1.0, "fan_avg", "truncated_normal",
                       "Truncated normal with stddev sqrt(2 / (fan_in + fan_out)).")
HeNormal = _preset("HeNormal", 2.0, "fan_in", "truncated_normal",
                   "Truncated normal with stddev sqrt(2 / fan_in) (for ReLU layers).")
HeUniform = _preset("HeUniform", 2.0, "fan_in", "uniform",
                    "Uniform in [-l, l], l = sqrt(6 / fan_in).")
LecunNormal = _preset("LecunNormal", 1.0, "fan_in", "truncated_normal",
                      "Truncated normal with stddev sqrt(1 / fan_in) (for SELU layers).")
LecunUniform = _preset("LecunUniform", 1.0, "fan_in", "uniform",
                       "Uniform in [-l, l], l = sqrt(3 / fan_in).")
