"""Normalization: shift and scale features to mean 0 and variance 1 (Keras 3's layer)."""

import numpy as np

from ..autodiff import Function
from .layer import Layer

_EPSILON = 1e-7  # Keras's backend.epsilon(): floor of the standard deviation


class _Standardize(Function):
    """``(x - mean) / std``, or with ``invert`` ``x * std + mean`` (constant statistics)."""

    def __init__(self, mean, std, invert):
        self.mean, self.std, self.invert = mean, std, invert

    def forward(self, x):
        if self.invert:
            return x * self.std + self.mean
        return (x - self.mean) / self.std

    def backward(self, grad):
        return grad * self.std if self.invert else grad / self.std


def _as_axes(axis):
    if axis is None:
        return ()
    return (int(axis),) if np.ndim(axis) == 0 else tuple(int(a) for a in axis)


class Normalization(Layer):
    """Normalizes inputs to ``(x - mean) / sqrt(variance)`` per feature.

    Give ``mean`` and ``variance``, or call ``adapt(data)`` before training to compute
    them from the data (stored as the non-trainable weights ``mean``, ``variance``
    and ``count``, as Keras does).

    Args:
        axis: the axis (or axes) with a separate mean and variance per index; -1 (the
            default) is the feature axis; None uses one mean and variance for all.
        mean, variance: fixed statistics (give both, or neither and call ``adapt``).
        invert: apply the inverse, ``x * sqrt(variance) + mean``.

    Example:
        >>> layer = Normalization()
        >>> layer.adapt(np.array([[0.0, 7.0], [2.0, 9.0]]))
        >>> layer(np.array([[0.0, 7.0]])).numpy()
        array([[-1., -1.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, axis=-1, mean=None, variance=None, invert=False, **kwargs):
        super().__init__(**kwargs)
        self.axis = _as_axes(axis)
        if (mean is None) != (variance is None):
            raise ValueError(f"Normalization layer '{self.name}': when setting values "
                             f"directly, both `mean` and `variance` must be set. Received: "
                             f"mean={mean} and variance={variance}")
        self.input_mean, self.input_variance = mean, variance
        self.invert = bool(invert)
        self.adapt_mean = self.adapt_variance = self.count = None

    def build(self, input_shape):
        ndim = len(input_shape)
        where = f"Normalization layer '{self.name}'"
        if any(not -ndim <= a < ndim for a in self.axis):
            raise ValueError(f"{where}: axis {self.axis} is out of range for inputs of rank "
                             f"{ndim} (shape {tuple(input_shape)}).")
        self._keep = tuple(sorted(a % ndim for a in self.axis))
        self._reduce = tuple(d for d in range(ndim) if d not in self._keep)
        if any(input_shape[d] is None for d in self._keep):
            raise ValueError(f"{where}: the size of axis {self.axis} must be known, "
                             f"received inputs of shape {tuple(input_shape)}.")
        if self._keep:  # later inputs must match the normalized axes
            self._min_ndim = ndim
            self._checks_features = self._keep[-1] == ndim - 1
        self._broadcast = tuple(input_shape[d] if d in self._keep else 1 for d in range(ndim))
        stats_shape = tuple(input_shape[d] for d in self._keep)
        if self.input_mean is None:
            self.adapt_mean = self.add_weight(shape=stats_shape, initializer="zeros",
                                              trainable=False, name="mean")
            self.adapt_variance = self.add_weight(shape=stats_shape, initializer="ones",
                                                  trainable=False, name="variance")
            self.count = self.add_weight(shape=(), initializer="zeros", dtype="int",
                                         trainable=False, name="count")
        else:
            mean = np.broadcast_to(np.asarray(self.input_mean, dtype=self._dtype), stats_shape)
            variance = np.broadcast_to(np.asarray(self.input_variance, dtype=self._dtype),
                                       stats_shape)
            self._fixed = (mean.reshape(self._broadcast), variance.reshape(self._broadcast))

    def adapt(self, data):
        """Compute the mean and variance of ``data`` (an array of samples) and store them.

        Raises:
            ValueError: for empty or non-finite data, or a shape that does not match the
                build shape on the normalized axes.
        """
        array = np.asarray(data)
        where = f"Normalization layer '{self.name}'.adapt"
        if array.dtype.kind not in "biuf":
            raise TypeError(f"{where}: expected numeric data, received dtype {array.dtype}.")
        if array.size == 0:
            raise ValueError(f"{where}: received empty data of shape {array.shape}.")
        if not np.isfinite(array).all():
            bad = tuple(int(i) for i in np.argwhere(~np.isfinite(array))[0])
            raise ValueError(f"{where}: data contains NaN or inf at index {bad}.")
        if not self.built:
            self.build(array.shape)
        elif any(array.shape[d] != self._broadcast[d] for d in self._keep):
            raise ValueError(f"{where}: the layer was built for inputs of shape "
                             f"{self._build_input_shape} but adapt() received data of shape "
                             f"{array.shape}.")
        if self.adapt_mean is None:
            raise ValueError(f"{where}: the layer was given a fixed mean and variance; "
                             f"adapt() cannot change them.")
        self.adapt_mean.assign(np.mean(array, axis=self._reduce))
        self.adapt_variance.assign(np.var(array, axis=self._reduce))
        self.count.assign(int(np.prod([array.shape[d] for d in self._reduce])))

    def _statistics(self):
        if self.adapt_mean is None:
            return self._fixed
        return (self.adapt_mean._data.reshape(self._broadcast),
                self.adapt_variance._data.reshape(self._broadcast))

    def call(self, inputs):
        mean, variance = self._statistics()
        std = np.maximum(np.sqrt(variance), _EPSILON).astype(inputs.dtype)
        return _Standardize.apply(inputs, mean=mean.astype(inputs.dtype), std=std,
                                  invert=self.invert)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        def listed(value):
            return None if value is None else np.asarray(value).tolist()

        axis = self.axis[0] if len(self.axis) == 1 else (list(self.axis) or None)
        return {**super().get_config(), "axis": axis, "invert": self.invert,
                "mean": listed(self.input_mean), "variance": listed(self.input_variance)}

