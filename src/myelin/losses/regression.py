"""Regression losses: absolute, squared, percentage and logarithmic errors, Huber,
log-cosh and cosine similarity, with Keras 3's formulas."""

import math

from .. import ops
from ..ops.activation import softplus
from .loss import LossFunctionWrapper, aligned
from .probability import EPSILON


def mean_absolute_error(y_true, y_pred):
    """Per-sample ``mean(abs(y_true - y_pred))`` over the last axis.

    Example:
        >>> mean_absolute_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
        array([0.5], dtype=float32)
    """
    y_true, y_pred = aligned(y_true, y_pred, "mean_absolute_error")
    return ops.reduce_mean(ops.abs(ops.subtract(y_true, y_pred)), axis=-1)


def mean_squared_error(y_true, y_pred):
    """Per-sample ``mean(square(y_true - y_pred))`` over the last axis.

    Example:
        >>> mean_squared_error([[0.0, 1.0]], [[1.0, 1.0]]).numpy()
        array([0.5], dtype=float32)
    """
    y_true, y_pred = aligned(y_true, y_pred, "mean_squared_error")
    return ops.reduce_mean(ops.square(ops.subtract(y_true, y_pred)), axis=-1)


def huber(y_true, y_pred, delta=1.0):
    """Per-sample Huber loss: quadratic for errors up to ``delta``, linear beyond.

    ``0.5 * e**2`` where ``|e| <= delta``, else ``delta * |e| - 0.5 * delta**2``,
    averaged over the last axis.

    Example:
        >>> round(float(myelin.reduce_mean(huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]))), 6)
        0.155
    """
    y_true, y_pred = aligned(y_true, y_pred, "huber")
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(ops.square(error), 0.5)
    linear = ops.subtract(ops.multiply(abs_error, delta), 0.5 * delta * delta)
    return ops.reduce_mean(ops.where(abs_error._data <= delta, quadratic, linear), axis=-1)


def mean_absolute_percentage_error(y_true, y_pred):
    """Per-sample ``100 * mean(|y_true - y_pred| / max(|y_true|, 1e-7))``.

    Example:
        >>> mean_absolute_percentage_error([[2.0, 4.0]], [[1.0, 5.0]]).numpy()
        array([37.5], dtype=float32)
    """
    y_true, y_pred = aligned(y_true, y_pred, "mean_absolute_percentage_error")
    scale = ops.maximum(ops.abs(y_true), EPSILON)
    ratio = ops.abs(ops.divide(ops.subtract(y_true, y_pred), scale))
    return ops.multiply(ops.reduce_mean(ratio, axis=-1), 100.0)


def mean_squared_logarithmic_error(y_true, y_pred):
    """Per-sample ``mean((log(1 + p) - log(1 + t))**2)``, both clipped below at 1e-7.

    Example:
        >>> round(float(mean_squared_logarithmic_error([[0.0]], [[1.718281828]])[0]), 6)
        1.0
    """
    y_true, y_pred = aligned(y_true, y_pred, "mean_squared_logarithmic_error")
    first = ops.log(ops.add(ops.maximum(y_pred, EPSILON), 1.0))
    second = ops.log(ops.add(ops.maximum(y_true, EPSILON), 1.0))
    return ops.reduce_mean(ops.square(ops.subtract(first, second)), axis=-1)


def log_cosh(y_true, y_pred):
    """Per-sample ``mean(log(cosh(y_pred - y_true)))``: about ``x**2 / 2`` for small
    errors and ``|x| - log(2)`` for large ones; computed as
    ``x + softplus(-2x) - log(2)``, which never overflows.

    Example:
        >>> round(float(log_cosh([[0.0]], [[1.0]])[0]), 6)
        0.433781
    """
    y_true, y_pred = aligned(y_true, y_pred, "log_cosh")
    error = ops.subtract(y_pred, y_true)
    value = ops.add(error, softplus(ops.multiply(error, -2.0)))
    return ops.reduce_mean(ops.subtract(value, math.log(2.0)), axis=-1)


def _l2_normalize(x, axis):
    """``x / max(||x||, 1e-7)`` along ``axis`` (Keras's rsqrt form), zero stays zero."""
    squares = ops.reduce_sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(squares, EPSILON * EPSILON)))


def cosine_similarity(y_true, y_pred, axis=-1):
    """Per-sample negative cosine similarity along ``axis``: -1 for the same direction,
    0 for orthogonal vectors (or a zero vector), 1 for opposite ones.

    Example:
        >>> cosine_similarity([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]]).numpy()
        array([-0.        , -0.99999994], dtype=float32)
    """
    y_true, y_pred = aligned(y_true, y_pred, "cosine_similarity")
    product = ops.multiply(_l2_normalize(y_true, axis), _l2_normalize(y_pred, axis))
    return ops.negative(ops.reduce_sum(product, axis=axis))


class MeanAbsoluteError(LossFunctionWrapper):
    """``mean(abs(y_true - y_pred))``, averaged over the batch.

    Example:
        >>> float(MeanAbsoluteError()([[0, 1], [0, 0]], [[1, 1], [1, 0]]))
        0.5
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error",
                 dtype=None):
        super().__init__(mean_absolute_error, reduction=reduction, name=name, dtype=dtype)


class MeanSquaredError(LossFunctionWrapper):
    """``mean(square(y_true - y_pred))``, averaged over the batch.

    Example:
        >>> round(float(MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])), 6)
        0.02
    """

    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error",
                 dtype=None):
        super().__init__(mean_squared_error, reduction=reduction, name=name, dtype=dtype)


class Huber(LossFunctionWrapper):
    """The Huber loss (see ``huber``), averaged over the batch.

    Args:
        delta: where the loss changes from quadratic to linear (default 1.0).
    """

    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss",
                 dtype=None):
        if not delta > 0:
            raise ValueError(f"Huber: delta must be positive, received {delta!r}.")
        super().__init__(huber, reduction=reduction, name=name, dtype=dtype, delta=delta)
        self.delta = delta


class MeanAbsolutePercentageError(LossFunctionWrapper):
    """``100 * mean(|y_true - y_pred| / |y_true|)``, averaged over the batch.

    Example:
        >>> float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]]))
        37.5
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_absolute_percentage_error", dtype=None):
        super().__init__(mean_absolute_percentage_error, reduction=reduction, name=name,
                         dtype=dtype)


class MeanSquaredLogarithmicError(LossFunctionWrapper):
    """``mean((log(1 + y_pred) - log(1 + y_true))**2)``, averaged over the batch.

    Example:
        >>> round(float(MeanSquaredLogarithmicError()([[0.0]], [[1.718281828]])), 5)
        1.0
    """

    def __init__(self, reduction="sum_over_batch_size",
                 name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(mean_squared_logarithmic_error, reduction=reduction, name=name,
                         dtype=dtype)


class LogCosh(LossFunctionWrapper):
    """``mean(log(cosh(y_pred - y_true)))``, averaged over the batch.

    Example:
        >>> round(float(LogCosh()([[0.0, 0.0]], [[1.0, -1.0]])), 6)
        0.433781
    """

    def __init__(self, reduction="sum_over_batch_size", name="log_cosh", dtype=None):
        super().__init__(log_cosh, reduction=reduction, name=name, dtype=dtype)


class CosineSimilarity(LossFunctionWrapper):
    """Negative cosine similarity along ``axis``, averaged over the batch (minimizing
    it aligns the predictions with the targets).

    Args:
        axis: the feature axis (default -1).

    Example:
        >>> loss = CosineSimilarity()
        >>> round(float(loss([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 6)
        -0.5
    """

    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity",
                 dtype=None):
        super().__init__(cosine_similarity, reduction=reduction, name=name, dtype=dtype,
                         axis=axis)
        self.axis = axis
