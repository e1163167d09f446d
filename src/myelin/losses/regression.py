"""Regression losses: mean absolute error, mean squared error, Huber."""

from .. import ops
from .loss import LossFunctionWrapper, aligned


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
        >>> float(myelin.reduce_mean(huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])))
        0.155
    """
    y_true, y_pred = aligned(y_true, y_pred, "huber")
    error = ops.subtract(y_pred, y_true)
    abs_error = ops.abs(error)
    quadratic = ops.multiply(ops.square(error), 0.5)
    linear = ops.subtract(ops.multiply(abs_error, delta), 0.5 * delta * delta)
    return ops.reduce_mean(ops.where(abs_error._data <= delta, quadratic, linear), axis=-1)


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
        >>> float(MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8]))
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
