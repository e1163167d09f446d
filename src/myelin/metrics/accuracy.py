"""Accuracy metrics (functions and stateful classes) with Keras 3's rules.

Each function returns one float per sample (1.0 for a hit); the classes average
them over everything seen since the last reset.
"""

import numpy as np

from .. import backend
from ..losses.shapes import squeeze_or_expand_to_same_rank
from .metric import MeanMetricWrapper, as_numpy


def _hits(matches):
    return np.asarray(matches, dtype=backend.floatx())


def accuracy(y_true, y_pred):
    """1.0 where ``y_true == y_pred`` exactly (e.g. class ids against class ids)."""
    y_true, y_pred = squeeze_or_expand_to_same_rank(as_numpy(y_true), as_numpy(y_pred))
    return _hits(y_true == y_pred)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where ``y_pred > threshold`` agrees with the 0/1 label ``y_true``.

    Returns:
        float hits shaped like the rank-aligned inputs (Keras 3 keeps a last axis of
        size 1); ``BinaryAccuracy`` averages them.

    Example:
        >>> binary_accuracy([1, 1, 0, 0], [0.98, 1, 0, 0.6])
        array([1., 1., 1., 0.], dtype=float32)
    """
    y_true, y_pred = squeeze_or_expand_to_same_rank(as_numpy(y_true), as_numpy(y_pred))
    return _hits(y_true == (y_pred > threshold).astype(y_true.dtype))


def categorical_accuracy(y_true, y_pred):
    """1.0 where the arg-max of the one-hot ``y_true`` equals that of ``y_pred``."""
    y_true, y_pred = as_numpy(y_true), as_numpy(y_pred)
    return _hits(np.argmax(y_true, axis=-1) == np.argmax(y_pred, axis=-1))


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where the integer label ``y_true`` (shape ``(n,)`` or ``(n, 1)``) equals the
    arg-max of ``y_pred``."""
    y_true, y_pred = as_numpy(y_true), as_numpy(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return _hits(y_true == np.argmax(y_pred, axis=-1))


def _in_top_k(targets, predictions, k):
    """Whether each target's score is at least the k-th largest score (ties count)."""
    predictions = predictions.reshape(-1, predictions.shape[-1])
    targets = targets.reshape(-1).astype(np.int64)
    k = min(k, predictions.shape[-1])
    kth = -np.partition(-predictions, k - 1, axis=-1)[:, k - 1]
    return np.take_along_axis(predictions, targets[:, None], axis=-1)[:, 0] >= kth


def top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the one-hot target is among the ``k`` highest predicted scores."""
    y_true, y_pred = as_numpy(y_true), as_numpy(y_pred)
    targets = np.argmax(y_true, axis=-1)
    return _hits(_in_top_k(targets, y_pred, k).reshape(targets.shape))


def sparse_top_k_categorical_accuracy(y_true, y_pred, k=5):
    """1.0 where the integer target is among the ``k`` highest predicted scores."""
    y_true, y_pred = as_numpy(y_true), as_numpy(y_pred)
    if y_true.ndim == y_pred.ndim and y_true.shape[-1] == 1:
        y_true = y_true[..., 0]
    return _hits(_in_top_k(y_true, y_pred, k).reshape(y_true.shape))


class _AccuracyMetric(MeanMetricWrapper):
    _direction = "up"


class Accuracy(_AccuracyMetric):
    """How often predictions equal labels exactly."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name=name, dtype=dtype)


class BinaryAccuracy(_AccuracyMetric):
    """How often ``y_pred > threshold`` matches the 0/1 labels.

    Example:
        >>> m = BinaryAccuracy()
        >>> float(m([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]))
        0.75
    """

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name=name, dtype=dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(_AccuracyMetric):
    """How often the arg-max of the predictions matches the one-hot labels."""

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name=name, dtype=dtype)


class SparseCategoricalAccuracy(_AccuracyMetric):
    """How often the arg-max of the predictions matches the integer labels.

    Example:
        >>> m = SparseCategoricalAccuracy()
        >>> float(m([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]))
        0.5
    """

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name=name, dtype=dtype)


class TopKCategoricalAccuracy(_AccuracyMetric):
    """How often the one-hot target is among the top ``k`` predictions."""

    def __init__(self, k=5, name="top_k_categorical_accuracy", dtype=None):
        super().__init__(top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


class SparseTopKCategoricalAccuracy(_AccuracyMetric):
    """How often the integer target is among the top ``k`` predictions."""

    def __init__(self, k=5, name="sparse_top_k_categorical_accuracy", dtype=None):
        super().__init__(sparse_top_k_categorical_accuracy, name=name, dtype=dtype, k=k)
        self.k = k


def _is_binary_or_sparse(y_true, y_pred):
    """Keras 3's choice of accuracy from the label and prediction shapes."""
    is_binary = y_pred.shape[-1] == 1
    is_sparse = y_true.ndim < y_pred.ndim or (y_true.shape[-1] == 1 and y_pred.shape[-1] > 1)
    return is_binary, is_sparse


class ShapeResolvedAccuracy(_AccuracyMetric):
    """``"accuracy"`` when neither the loss nor the output says which one is meant:
    binary, sparse categorical or categorical, chosen from the shapes of the first
    batch exactly as Keras 3 does."""

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(None, name=name, dtype=dtype)

    def update_state(self, y_true, y_pred, sample_weight=None):
        if self._fn is None:
            binary, sparse = _is_binary_or_sparse(as_numpy(y_true), as_numpy(y_pred))
            self._fn = (binary_accuracy if binary else sparse_categorical_accuracy if sparse
                        else categorical_accuracy)
        super().update_state(y_true, y_pred, sample_weight=sample_weight)
