"""Cross-entropy losses: binary, categorical (one-hot) and sparse categorical.

With ``from_logits=True`` they call the fused kernels of ``myelin.ops.fused``
(gradient ``p - y``, finite for any logit); with probabilities they clip to
``[1e-7, 1 - 1e-7]`` as Keras does.
"""

import warnings

import numpy as np

from .. import ops
from ..autodiff import Tensor
from ..ops import fused
from .loss import LossFunctionWrapper, aligned, numeric_pair, numeric_predictions
from .probability import (
    EPSILON,
    BinaryCrossentropyFromProbs,
    CategoricalCrossentropyFromProbs,
)


def _last_axis(axis, ndim, where):
    if axis not in (-1, ndim - 1):
        raise ValueError(f"{where}: only the last axis holds classes here (axis=-1), "
                         f"received axis={axis}.")


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Per-sample binary cross-entropy, averaged over ``axis`` (the last).

    Args:
        y_true: 0/1 labels, shaped like ``y_pred`` (``(n,)`` against ``(n, 1)`` works).
        y_pred: probabilities, or logits with ``from_logits=True``.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; squeezes the labels towards 0.5.
        axis: the averaged axis.

    Example:
        >>> binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]).numpy()
        array([0.9162905 , 0.71355796], dtype=float32)
    """
    y_true, y_pred = aligned(y_true, y_pred, "binary_crossentropy")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"binary_crossentropy: y_true of shape {y_true.shape} must have the "
                         f"shape of y_pred, {y_pred.shape}.")
    if label_smoothing:
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), 0.5 * label_smoothing)
    if from_logits:
        elementwise = fused.sigmoid_cross_entropy(y_true, y_pred)
    else:
        elementwise = BinaryCrossentropyFromProbs.apply(y_pred, y_true)
    return ops.reduce_mean(elementwise, axis=axis)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """Per-sample cross-entropy between one-hot ``y_true`` and ``y_pred``.

    Args:
        y_true: one-hot (or soft) labels, shape ``(n, classes)``.
        y_pred: probabilities (normalized to sum 1 first), or logits.
        from_logits: whether ``y_pred`` holds logits.
        label_smoothing: in [0, 1]; mixes the labels with the uniform distribution.
        axis: the class axis (the last).

    Example:
        >>> categorical_crossentropy([[0, 1, 0], [0, 0, 1]],
        ...                          [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]).numpy()
        array([0.05129331, 2.3025851 ], dtype=float32)
    """
    y_true, y_pred = numeric_pair(y_true, y_pred, "categorical_crossentropy")
    _last_axis(axis, y_pred.ndim, "categorical_crossentropy")
    if y_true.shape != y_pred.shape:
        raise ValueError(
            f"categorical_crossentropy: expected one-hot y_true of shape {y_pred.shape}, "
            f"received shape {y_true.shape}. For integer class labels use "
            f"sparse_categorical_crossentropy."
        )
    if y_pred.shape[-1] == 1:
        warnings.warn(
            f"categorical_crossentropy: expected y_pred of shape (batch_size, num_classes) "
            f"with num_classes > 1, received {y_pred.shape}. For two classes use "
            f"binary_crossentropy.", SyntaxWarning, stacklevel=2)
    if label_smoothing:
        classes = y_true.shape[-1]
        y_true = ops.add(ops.multiply(y_true, 1.0 - label_smoothing), label_smoothing / classes)
    if from_logits:
        return fused.softmax_cross_entropy(y_true, y_pred, where="categorical_crossentropy")
    return CategoricalCrossentropyFromProbs.apply(y_pred, y_true)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, axis=-1):
    """Per-sample cross-entropy between integer labels and ``y_pred``.

    Args:
        y_true: class indices, shape ``(n,)`` or ``(n, 1)``.
        y_pred: probabilities, or logits with ``from_logits=True``; shape
            ``(n, classes)``.
        from_logits: whether ``y_pred`` holds logits.
        axis: the class axis (the last).

    Example:
        >>> sparse_categorical_crossentropy([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]).numpy()
        array([0.05129344, 2.3025851 ], dtype=float32)
    """
    y_pred = numeric_predictions(y_pred, "sparse_categorical_crossentropy")
    _last_axis(axis, y_pred.ndim, "sparse_categorical_crossentropy")
    labels = np.asarray(y_true._data if isinstance(y_true, Tensor) else y_true)
    if labels.ndim == y_pred.ndim and labels.shape[-1] == 1:
        labels = labels[..., 0]
    if not from_logits:
        # Keras: the log of the clipped probabilities is used as logits
        y_pred = ops.log(ops.clip_by_value(y_pred, EPSILON, 1.0 - EPSILON))
    return fused.softmax_cross_entropy(labels, y_pred, sparse=True,
                                       where="sparse_categorical_crossentropy")


class _Crossentropy(LossFunctionWrapper):
    def __init__(self, fn, from_logits, reduction, name, dtype, **kwargs):
        super().__init__(fn, reduction=reduction, name=name, dtype=dtype,
                         from_logits=from_logits, **kwargs)
        self.from_logits = from_logits
        for key, value in kwargs.items():
            setattr(self, key, value)


class BinaryCrossentropy(_Crossentropy):
    """Binary cross-entropy averaged over the batch (see ``binary_crossentropy``).

    Example:
        >>> bce = BinaryCrossentropy(from_logits=True)
        >>> round(float(bce([0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8])), 4)
        0.8654
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy", dtype=None):
        super().__init__(binary_crossentropy, from_logits, reduction, name, dtype,
                         label_smoothing=label_smoothing, axis=axis)


class CategoricalCrossentropy(_Crossentropy):
    """Categorical cross-entropy for one-hot labels, averaged over the batch.

    Example:
        >>> cce = CategoricalCrossentropy()
        >>> round(float(cce([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy", dtype=None):
        super().__init__(categorical_crossentropy, from_logits, reduction, name, dtype,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(_Crossentropy):
    """Categorical cross-entropy for integer labels, averaged over the batch.

    Example:
        >>> scce = SparseCategoricalCrossentropy()
        >>> round(float(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 3)
        1.177
    """

    def __init__(self, from_logits=False, reduction="sum_over_batch_size", axis=-1,
                 name="sparse_categorical_crossentropy", dtype=None):
        super().__init__(sparse_categorical_crossentropy, from_logits, reduction, name, dtype,
                         axis=axis)
