"""BatchNormalization and LayerNormalization (Keras 3), over the fused kernels of
``myelin.ops.normalization``."""

from numbers import Real

import numpy as np

from .. import constraints, initializers, regularizers
from ..ops import normalization as kernels
from .core import serialize_initializer, weight_options
from .layer import Layer


def _check_number(layer, value, name, low, high=None):
    ok = not isinstance(value, bool) and isinstance(value, Real) and value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        span = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{type(layer).__name__} layer '{layer.name}': `{name}` must be a "
                         f"number {span}, received {name}={value!r}.")
    return float(value)


class _ScaleOffset(Layer):
    """The shared arguments of the two layers: ``gamma`` (scale) and ``beta`` (center)."""

    supports_masking = True

    def __init__(self, epsilon, center, scale, beta_initializer, gamma_initializer,
                 beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint,
                 **kwargs):
        super().__init__(**kwargs)
        self.epsilon = _check_number(self, epsilon, "epsilon", 0.0)
        self.center, self.scale = bool(center), bool(scale)
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer, self.gamma_regularizer = weight_options(
            self, regularizers, beta_regularizer=beta_regularizer,
            gamma_regularizer=gamma_regularizer)
        self.beta_constraint, self.gamma_constraint = weight_options(
            self, constraints, beta_constraint=beta_constraint,
            gamma_constraint=gamma_constraint)
        self.gamma = self.beta = None

    def _add_scale_offset(self, shape):
        if self.scale:
            self.gamma = self.add_weight(shape=shape, name="gamma",
                                         initializer=self.gamma_initializer,
                                         regularizer=self.gamma_regularizer,
                                         constraint=self.gamma_constraint)
        if self.center:
            self.beta = self.add_weight(shape=shape, name="beta",
                                        initializer=self.beta_initializer,
                                        regularizer=self.beta_regularizer,
                                        constraint=self.beta_constraint)

    def _canonical_axes(self, axes, input_shape):
        ndim = len(input_shape)
        where = f"{type(self).__name__} layer '{self.name}'"
        if any(not -ndim <= a < ndim for a in axes):
            raise ValueError(f"{where}: axis {self.axis} is out of range for inputs of shape "
                             f"{tuple(input_shape)}.")
        out = sorted(a % ndim for a in axes)
        if len(set(out)) != len(out):
            raise ValueError(f"{where}: duplicate axes are not allowed, received "
                             f"axis={self.axis}.")
        if any(input_shape[a] is None for a in out):
            raise ValueError(f"{where}: the size of axis {self.axis} must be known, received "
                             f"inputs of shape {tuple(input_shape)}.")
        self._ndim = ndim  # later inputs: the same rank and sizes on these axes
        self._checks_features = out == [ndim - 1]
        return out

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "epsilon": self.epsilon, "center": self.center,
                "scale": self.scale,
                "beta_initializer": serialize_initializer(self.beta_initializer),
                "gamma_initializer": serialize_initializer(self.gamma_initializer),
                "beta_regularizer": regularizers.serialize(self.beta_regularizer),
                "gamma_regularizer": regularizers.serialize(self.gamma_regularizer),
                "beta_constraint": constraints.serialize(self.beta_constraint),
                "gamma_constraint": constraints.serialize(self.gamma_constraint)}


class BatchNormalization(_ScaleOffset):
    """Normalizes each feature with the batch's mean and variance while training, and
    with moving averages of them at inference:
    ``gamma * (x - mean) / sqrt(variance + epsilon) + beta``.

    While training (``training=True`` and the layer trainable) the moving statistics
    become ``moving * momentum + batch * (1 - momentum)``; with a mask (padded
    sequences) the batch statistics cover the unmasked steps only. With ``trainable = False``
    the layer is frozen as in Keras 3: it runs in inference mode, even in ``fit``.

    Args:
        axis: the feature axis (default -1).
        momentum: of the moving averages (default 0.99).
        epsilon: added to the variance (default 1e-3).
        center: learn an offset ``beta``.
        scale: learn a scale ``gamma``.
        beta_initializer, gamma_initializer: default zeros / ones.
        moving_mean_initializer, moving_variance_initializer: default zeros / ones.
        beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint:
            as for Dense's weights.

    Example:
        >>> layer = BatchNormalization()
        >>> layer(np.array([[0.0], [2.0]]), training=True).numpy().ravel()
        array([-0.9995004,  0.9995004], dtype=float32)
    """

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, **kwargs):
        super().__init__(epsilon, center, scale, beta_initializer, gamma_initializer,
                         beta_regularizer, gamma_regularizer, beta_constraint,
                         gamma_constraint, **kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise ValueError(f"BatchNormalization layer '{self.name}': `axis` must be an "
                             f"int, received axis={axis!r}.")
        self.axis = axis
        self.momentum = _check_number(self, momentum, "momentum", 0.0, 1.0)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)
        self.moving_mean = self.moving_variance = None

    def build(self, input_shape):
        (axis,) = self._canonical_axes([self.axis], input_shape)
        self._axis = axis
        shape = (input_shape[axis],)
        self._add_scale_offset(shape)
        self.moving_mean = self.add_weight(shape=shape, name="moving_mean", trainable=False,
                                           initializer=self.moving_mean_initializer)
        self.moving_variance = self.add_weight(shape=shape, name="moving_variance",
                                               trainable=False,
                                               initializer=self.moving_variance_initializer)

    def call(self, inputs, training=None, mask=None):
        if mask is not None and np.ndim(mask) != inputs.ndim - 1:
            raise ValueError(f"BatchNormalization layer '{self.name}': the mask should have "
                             f"one dimension less than the inputs, received mask.shape="
                             f"{np.shape(mask)} and inputs.shape={inputs.shape}.")
        if training and self.trainable:
            out, mean, variance = kernels.batch_normalization_train(
                inputs, self.gamma, self.beta, self._axis, self.epsilon, mask=mask)
            keep = self.momentum
            for moving, batch in ((self.moving_mean, mean), (self.moving_variance, variance)):
                data = moving._data  # in place: moving * momentum + batch * (1 - momentum)
                data *= keep
                data += (1.0 - keep) * batch.astype(data.dtype)
            return out
        return kernels.batch_normalization(inputs, self.moving_mean, self.moving_variance,
                                           self.gamma, self.beta, self._axis, self.epsilon)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "momentum": self.momentum,
                "moving_mean_initializer": serialize_initializer(self.moving_mean_initializer),
                "moving_variance_initializer": serialize_initializer(
                    self.moving_variance_initializer)}


class LayerNormalization(_ScaleOffset):
    """Normalizes each sample over ``axis`` (its own mean and variance, in training and
    inference alike): ``gamma * (x - mean) / sqrt(variance + epsilon) + beta``.

    Args:
        axis: an int or a list of ints (default -1, the features).
        epsilon: added to the variance (default 1e-3).
        center, scale: learn ``beta`` / ``gamma`` (shaped like the normalized axes).
        beta_initializer, gamma_initializer: as for BatchNormalization.
        beta_regularizer, gamma_regularizer: as for BatchNormalization.
        beta_constraint, gamma_constraint: as for BatchNormalization.

    Example:
        >>> LayerNormalization()(np.array([[1.0, 3.0]])).numpy()
        array([[-0.9995004,  0.9995004]], dtype=float32)
    """

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 **kwargs):
        super().__init__(epsilon, center, scale, beta_initializer, gamma_initializer,
                         beta_regularizer, gamma_regularizer, beta_constraint,
                         gamma_constraint, **kwargs)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if not axes or any(isinstance(a, bool) or not isinstance(a, int) for a in axes):
            raise TypeError(f"LayerNormalization layer '{self.name}': expected an int or a "
                            f"list/tuple of ints for the argument 'axis', but received: "
                            f"{axis!r}")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis

    def build(self, input_shape):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        self._axes = self._canonical_axes(axes, input_shape)
        self._add_scale_offset(tuple(input_shape[a] for a in self._axes))

    def call(self, inputs):
        return kernels.layer_normalization(inputs, self.gamma, self.beta, self._axes,
                                           self.epsilon)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
