"""Random tensors and dropout, all drawn from the library Generator ``backend.rng()``.

One Generator means one seed (``myelin.random.set_seed``) replays every draw. The
``seed`` arguments TensorFlow accepts are taken for compatibility and ignored.
"""

import numpy as np

from .. import backend
from ..autodiff import Function, Tensor
from ..autodiff.static_value import recorded_in_graph_mode
from ..dtypes import as_dtype
from .activation import floating
from .shape import as_shape


def _float_dtype(dtype, op):
    dtype = as_dtype(dtype or backend.floatx())
    if dtype.kind != "f":
        raise TypeError(f"{op}: dtype must be a float type, received {dtype.name}.")
    return dtype


def _standard_normal(shape, dtype):
    # The Generator draws float32 or float64 directly; float16 is drawn as float32.
    draw = dtype if dtype in (np.float32, np.float64) else np.float32
    return backend.rng().standard_normal(shape, dtype=draw)


@recorded_in_graph_mode
def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
    """Samples from a normal distribution.

    Example:
        >>> random_normal([2, 3], stddev=0.1).shape
        (2, 3)
    """
    dtype = _float_dtype(dtype, "normal")
    z = _standard_normal(as_shape(shape, "normal"), dtype)
    return Tensor(np.asarray(z * stddev + mean).astype(dtype, copy=False))


@recorded_in_graph_mode
def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
    """Normal samples with every draw beyond two standard deviations re-drawn (as TF)."""
    dtype = _float_dtype(dtype, "truncated_normal")
    z = _standard_normal(as_shape(shape, "truncated_normal"), dtype)
    outside = np.abs(z) > 2
    while outside.any():  # each pass keeps ~95% of what it redraws
        z[outside] = _standard_normal(int(outside.sum()), z.dtype)
        outside = np.abs(z) > 2
    return Tensor(np.asarray(z * stddev + mean).astype(dtype, copy=False))


@recorded_in_graph_mode
def random_uniform(shape, minval=0, maxval=None, dtype=None, seed=None, name=None):
    """Samples from ``[minval, maxval)``; ``maxval`` defaults to 1 for floats.

    Integer dtypes need an explicit ``maxval`` (as in TF).
    """
    dtype = as_dtype(dtype or backend.floatx())
    shape = as_shape(shape, "uniform")
    if dtype.kind in "iu":
        if maxval is None:
            raise ValueError(f"uniform: an integer dtype ({dtype.name}) needs maxval.")
        return Tensor(backend.rng().integers(minval, maxval, shape, dtype=dtype))
    if dtype.kind != "f":
        raise TypeError(f"uniform: dtype must be a float or integer type, received {dtype.name}.")
    high = 1 if maxval is None else maxval
    draw = dtype if dtype in (np.float32, np.float64) else np.float32
    u = backend.rng().random(shape, dtype=draw)
    return Tensor(np.asarray(u * (high - minval) + minval).astype(dtype, copy=False))


def shuffle(value, seed=None, name=None):
    """A copy of ``value`` with its first axis randomly permuted."""
    data = np.asarray(value._data if isinstance(value, Tensor) else value)
    return Tensor(backend.rng().permutation(data))


class Dropout(Function):
    def __init__(self, rate, noise_shape):
        self.rate, self.noise_shape = rate, noise_shape

    def forward(self, x):
        shape = x.shape if self.noise_shape is None else self.noise_shape
        keep = backend.rng().random(shape, dtype=np.float32) >= self.rate
        # The mask already holds the 1 / (1 - rate) scale: one multiply each way.
        self.mask = keep * x.dtype.type(1.0 / (1.0 - self.rate))
        return x * self.mask

    def backward(self, grad):
        return grad * self.mask


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each element with probability ``rate``; scale the rest by ``1 / (1 - rate)``.

    Args:
        x: a float tensor.
        rate: the fraction to drop, in ``[0, 1)``.
        noise_shape: a shape broadcastable to ``x``'s, to drop whole rows or channels.
        seed: accepted for compatibility; use ``myelin.random.set_seed`` instead.

    Example:
        >>> dropout(ones([4]), rate=0.5).numpy()  # doctest: +SKIP
        array([2., 0., 2., 0.], dtype=float32)
    """
    x = floating(x, "dropout")
    rate = float(rate)
    if not 0 <= rate < 1:
        raise ValueError(f"dropout: rate must be in [0, 1), received {rate}.")
    if rate == 0:
        return x
    if noise_shape is not None:
        noise_shape = as_shape(noise_shape, "dropout")
        try:
            fits = np.broadcast_shapes(noise_shape, x.shape) == x.shape
        except ValueError:
            fits = False
        if not fits:
            raise ValueError(
                f"dropout: noise_shape {noise_shape} does not broadcast to x's shape {x.shape}; "
                f"give size 1 to the axes that share one mask value."
            )
    return Dropout.apply(x, rate=rate, noise_shape=noise_shape)
