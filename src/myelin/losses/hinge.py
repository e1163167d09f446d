"""Hinge losses for maximum-margin classifiers, with Keras 3's formulas.

Binary labels may be 0/1 or -1/1: labels that are all 0 or 1 are mapped to -1/1
first, as Keras does.
"""

import numpy as np

from .. import ops
from .loss import LossFunctionWrapper, aligned, numeric_pair


def _signed_labels(y_true):
    """0/1 labels as -1/1; any other labels unchanged."""
    data = y_true._data
    if np.all((data == 0) | (data == 1)):
        return ops.subtract(ops.multiply(y_true, 2.0), 1.0)
    return y_true


def _margins(y_true, y_pred, where):
    y_true, y_pred = aligned(y_true, y_pred, where)
    return ops.maximum(ops.subtract(1.0, ops.multiply(_signed_labels(y_true), y_pred)), 0.0)


def hinge(y_true, y_pred):
    """Per-sample ``mean(max(1 - y_true * y_pred, 0))`` over the last axis.

    Example:
        >>> hinge([[0.0, 1.0]], [[0.6, 0.4]]).numpy()
        array([1.1], dtype=float32)
    """
    return ops.reduce_mean(_margins(y_true, y_pred, "hinge"), axis=-1)


def squared_hinge(y_true, y_pred):
    """Per-sample ``mean(max(1 - y_true * y_pred, 0)**2)`` over the last axis.

    Example:
        >>> squared_hinge([[0.0, 1.0]], [[0.6, 0.4]]).numpy()
        array([1.46], dtype=float32)
    """
    return ops.reduce_mean(ops.square(_margins(y_true, y_pred, "squared_hinge")), axis=-1)


def categorical_hinge(y_true, y_pred):
    """Per-sample ``max(neg - pos + 1, 0)``: ``pos`` is the score of the true class
    (``sum(y_true * y_pred)``), ``neg`` the best score among the others.

    Example:
        >>> categorical_hinge([[0.0, 1.0, 0.0]], [[0.3, 0.5, 0.2]]).numpy()
        array([0.8], dtype=float32)
    """
    y_true, y_pred = numeric_pair(y_true, y_pred, "categorical_hinge")
    if y_true.shape != y_pred.shape:
        raise ValueError(f"categorical_hinge: expected one-hot y_true of shape {y_pred.shape}, "
                         f"received shape {y_true.shape}.")
    pos = ops.reduce_sum(ops.multiply(y_true, y_pred), axis=-1)
    neg = ops.reduce_max(ops.multiply(ops.subtract(1.0, y_true), y_pred), axis=-1)
    return ops.maximum(ops.add(ops.subtract(neg, pos), 1.0), 0.0)


class Hinge(LossFunctionWrapper):
    """``mean(max(1 - y_true * y_pred, 0))``, averaged over the batch.

    Example:
        >>> round(float(Hinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.3
    """

    def __init__(self, reduction="sum_over_batch_size", name="hinge", dtype=None):
        super().__init__(hinge, reduction=reduction, name=name, dtype=dtype)


class SquaredHinge(LossFunctionWrapper):
    """``mean(max(1 - y_true * y_pred, 0)**2)``, averaged over the batch.

    Example:
        >>> round(float(SquaredHinge()([[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.86
    """

    def __init__(self, reduction="sum_over_batch_size", name="squared_hinge", dtype=None):
        super().__init__(squared_hinge, reduction=reduction, name=name, dtype=dtype)


class CategoricalHinge(LossFunctionWrapper):
    """The categorical hinge (see ``categorical_hinge``), averaged over the batch.

    Example:
        >>> round(float(CategoricalHinge()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 3)
        1.4
    """

    def __init__(self, reduction="sum_over_batch_size", name="categorical_hinge",
                 dtype=None):
        super().__init__(categorical_hinge, reduction=reduction, name=name, dtype=dtype)
