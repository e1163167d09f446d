"""Regression metrics: mean absolute and mean squared error on NumPy arrays."""

import numpy as np

from ..losses.shapes import squeeze_or_expand_to_same_rank
from .metric import MeanMetricWrapper, as_numpy


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
