"""Regression metrics: absolute, squared (and its root), percentage and logarithmic
errors, log-cosh and cosine similarity."""

import numpy as np

from .. import losses, ops
from ..losses.shapes import squeeze_or_expand_to_same_rank
from .metric import Mean, MeanMetricWrapper, as_numpy, numeric


def _aligned(y_true, y_pred):
    y_pred = as_numpy(y_pred)
    y_true = as_numpy(y_true).astype(y_pred.dtype if y_pred.dtype.kind == "f" else np.float64)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


def mean_absolute_error(y_true, y_pred):
    """Per-sample ``mean(|y_true - y_pred|)`` over the last axis."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return np.abs(y_true - y_pred).mean(axis=-1)


def mean_squared_error(y_true, y_pred):
    """Per-sample ``mean((y_true - y_pred) ** 2)`` over the last axis."""
    y_true, y_pred = _aligned(y_true, y_pred)
    return np.square(y_true - y_pred).mean(axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """Per-sample cosine similarity along ``axis`` (the metric's sign: 1 for the same
    direction, where the loss ``losses.cosine_similarity`` gives -1)."""
    return ops.negative(losses.cosine_similarity(y_true, y_pred, axis=axis))


class MeanAbsoluteError(MeanMetricWrapper):
    """Running mean absolute error.

    Example:
        >>> m = MeanAbsoluteError()
        >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
        0.25
    """

    _direction = "down"

    def __init__(self, name="mean_absolute_error", dtype=None):
        super().__init__(mean_absolute_error, name=name, dtype=dtype)


class MeanSquaredError(MeanMetricWrapper):
    """Running mean squared error.

    Example:
        >>> m = MeanSquaredError()
        >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
        0.25
    """

    _direction = "down"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name=name, dtype=dtype)


class RootMeanSquaredError(Mean):
    """``sqrt(mean((y_true - y_pred)**2))`` over everything seen (the root is taken of
    the running mean, not averaged per batch).

    Example:
        >>> m = RootMeanSquaredError()
        >>> float(m([[0, 1], [0, 0]], [[1, 1], [0, 0]]))
        0.5
    """

    _direction = "down"

    def __init__(self, name="root_mean_squared_error", dtype=None):
        super().__init__(name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        y_true = numeric(y_true, self._where, "y_true")
        y_pred = numeric(y_pred, self._where, "y_pred")
        y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
        try:
            error = np.square(y_pred - y_true)
        except ValueError:
            raise ValueError(f"{self._where}: y_true of shape {y_true.shape} does not match "
                             f"y_pred of shape {y_pred.shape}.") from None
        super().update_state(error, sample_weight=sample_weight)

    def result(self):
        return self._tensor(np.sqrt(self.total / self.count) if self.count else 0.0)


class _LossMetric(MeanMetricWrapper):
    """A running mean of a loss function's per-sample values (Keras's metric classes
    of the same name); the loss keeps its one definition in ``myelin.losses``."""

    _direction = "down"
    _loss = None

    def __init__(self, name, dtype=None, **kwargs):
        super().__init__(type(self)._loss, name=name, dtype=dtype, **kwargs)


class MeanAbsolutePercentageError(_LossMetric):
    """Running ``100 * mean(|y_true - y_pred| / |y_true|)``.

    Example:
        >>> float(MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]]))
        37.5
    """

    _loss = staticmethod(losses.mean_absolute_percentage_error)

    def __init__(self, name="mean_absolute_percentage_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class MeanSquaredLogarithmicError(_LossMetric):
    """Running ``mean((log(1 + y_pred) - log(1 + y_true))**2)``."""

    _loss = staticmethod(losses.mean_squared_logarithmic_error)

    def __init__(self, name="mean_squared_logarithmic_error", dtype=None):
        super().__init__(name=name, dtype=dtype)


class LogCoshError(_LossMetric):
    """Running ``mean(log(cosh(y_pred - y_true)))``."""

    _loss = staticmethod(losses.log_cosh)

    def __init__(self, name="logcosh", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CosineSimilarity(_LossMetric):
    """Running cosine similarity along ``axis`` (1 for the same direction: the
    opposite sign of the loss of the same name).

    Example:
        >>> m = CosineSimilarity()
        >>> round(float(m([[0.0, 1.0], [1.0, 1.0]], [[1.0, 0.0], [1.0, 1.0]])), 6)
        0.5
    """

    _direction = "up"
    _loss = staticmethod(cosine_similarity)

    def __init__(self, name="cosine_similarity", dtype=None, axis=-1):
        super().__init__(name=name, dtype=dtype, axis=axis)
        self.axis = axis
