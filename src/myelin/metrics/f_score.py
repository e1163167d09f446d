"""F-beta and F1 scores: the weighted harmonic mean of precision and recall."""

import numpy as np

from ..ops.fused import row_max
from .confusion import EPSILON
from .metric import Metric, numeric

_AVERAGES = (None, "micro", "macro", "weighted")


class FBetaScore(Metric):
    """``(1 + beta**2) * P * R / (beta**2 * P + R)`` per class, as Keras 3 computes it.

    Predictions become 0/1 first: above ``threshold``, or, without one, the arg-max
    of each row (a row of zeros predicts nothing). Counts are summed over samples
    (per class, or over everything with ``average="micro"``).

    Args:
        average: None (one score per class), ``"micro"``, ``"macro"`` (mean of the
            class scores) or ``"weighted"`` (mean weighted by each class's support).
        beta: weight of recall against precision, a float > 0 (default 1.0).
        threshold: a float in (0, 1], or None for the arg-max.
        name: the metric's name.
        dtype: result dtype.

    Example:
        >>> m = FBetaScore(beta=2.0, threshold=0.5)
        >>> m([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
        ...   [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]).numpy().round(4)
        array([0.3846, 0.9091, 0.8333], dtype=float32)
    """

    _direction = "up"

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score",
                 dtype=None):
        where = type(self).__name__
        if average not in _AVERAGES:
            raise ValueError(f"{where}: average must be one of {list(_AVERAGES)}, received "
                             f"{average!r}.")
        if not isinstance(beta, float) or not beta > 0:
            raise ValueError(f"{where}: beta must be a Python float > 0, received {beta!r}.")
        if threshold is not None and (not isinstance(threshold, float)
                                      or not 0.0 < threshold <= 1.0):
            raise ValueError(f"{where}: threshold must be a Python float in (0, 1] or "
                             f"None, received {threshold!r}.")
        super().__init__(name=name, dtype=dtype)
        self.average, self.beta, self.threshold = average, beta, threshold
        # the class count is learned from the first batch, as Keras builds on it
        self._width, self.totals = None, None

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch of ``(samples, classes)`` labels and scores."""
        y_true = numeric(y_true, self._where, "y_true")
        y_pred = numeric(y_pred, self._where, "y_pred").astype(np.float32)
        if y_pred.ndim != 2 or y_true.shape != y_pred.shape:
            raise ValueError(f"{self._where} expects 2D inputs of shape (batch_size, "
                             f"classes), received y_true of shape {y_true.shape} and y_pred "
                             f"of shape {y_pred.shape}.")
        if self._width is not None and y_pred.shape[1] != self._width:
            raise ValueError(f"{self._where}: expected {self._width} classes as before, "
                             f"received y_pred of shape {y_pred.shape}.")
        if self.threshold is None:
            top = row_max(y_pred)
            hit = (y_pred >= top) & (np.abs(y_pred) > 1e-9)
        else:
            hit = y_pred > self.threshold
        hit = hit.astype(np.float64)
        weight = 1.0
        if sample_weight is not None:
            weight = numeric(sample_weight, self._where, "sample_weight")
            weight = weight.reshape(weight.shape + (1,) * (y_true.ndim - weight.ndim))
        axis = None if self.average == "micro" else 0
        batch = [np.sum(v * weight, axis=axis) for v in
                 (hit * y_true, hit * (1 - y_true), (1 - hit) * y_true, y_true)]
        if self._width is None:
            self._width = y_pred.shape[1]
            self.totals = [np.zeros_like(v) for v in batch]
        for total, value in zip(self.totals, batch, strict=True):
            total += value

    def result(self):
        """The score(s): per class with ``average=None``, else one number."""
        if self._width is None:
            return self._tensor(0.0)
        tp, fp, fn, support = self.totals
        precision = tp / (tp + fp + EPSILON)
        recall = tp / (tp + fn + EPSILON)
        b2 = self.beta ** 2
        score = precision * recall / (b2 * precision + recall + EPSILON) * (1 + b2)
        if self.average == "weighted":
            score = np.sum(score * support / (np.sum(support) + EPSILON))
        elif self.average is not None:
            score = np.mean(score)
        return self._tensor(score)

    def reset_state(self):
        if self.totals is not None:
            for total in self.totals:
                total[...] = 0.0

    def get_config(self):
        return {**super().get_config(), "average": self.average, "beta": self.beta,
                "threshold": self.threshold}


class F1Score(FBetaScore):
    """The F1 score ``2 * P * R / (P + R)`` (``FBetaScore`` with ``beta=1``).

    Args:
        average: None (one score per class), ``"micro"``, ``"macro"`` or
            ``"weighted"``.
        threshold: a float in (0, 1], or None for the arg-max of each row.
        name: the metric's name (default ``f1_score``).
        dtype: result dtype.

    Example:
        >>> m = F1Score(threshold=0.5)
        >>> m([[1, 1, 1], [1, 0, 0], [1, 1, 0]],
        ...   [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]).numpy().round(4)
        array([0.5   , 0.8   , 0.6667], dtype=float32)
    """

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name,
                         dtype=dtype)

    def get_config(self):
        config = super().get_config()
        del config["beta"]
        return config
