"""Counts of true/false positives/negatives, precision and recall (Keras 3's rules).

Each metric thresholds the predictions (``y_pred > threshold``, 0.5 by default) and
accumulates weighted counts; given a list of thresholds, ``result()`` has one value
per threshold.
"""

import numpy as np

from ..layers.naming import auto_name
from . import confusion
from .metric import Metric


class _ThresholdMetric(Metric):
    """Shared state: thresholds, optional top_k/class_id, count arrays per threshold."""

    _counted = ()  # which of "tp", "fp", "tn", "fn" this metric keeps

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name=name or auto_name(type(self)), dtype=dtype)
        where = type(self).__name__
        for key, value in (("top_k", top_k), ("class_id", class_id)):
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or (key == "top_k" and value < 1)):
                kind = "a positive integer" if key == "top_k" else "an integer"
                raise ValueError(f"{where}: {key} must be {kind} or None, received {value!r}.")
        self.init_thresholds, self.top_k, self.class_id = thresholds, top_k, class_id
        if thresholds is None:
            self.thresholds = [0.5 if top_k is None else confusion.NEG_INF]
        else:
            self.thresholds = confusion.check_thresholds(thresholds, where)
        self._evenly = confusion.evenly_spaced(self.thresholds)
        self.reset_state()

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's weighted counts at every threshold."""
        positive, pred, weight = confusion.prepare(
            y_true, y_pred, sample_weight, self._where, self.top_k, self.class_id)
        tp, fp, pos, neg = confusion.counts(positive, pred, weight, self.thresholds,
                                            self._evenly)
        batch = {"tp": tp[:, 0], "fp": fp[:, 0], "fn": pos[0] - tp[:, 0],
                 "tn": neg[0] - fp[:, 0]}
        for key in self._counted:
            self._counts[key] += batch[key]

    def reset_state(self):
        self._counts = {key: np.zeros(len(self.thresholds)) for key in self._counted}

    def _scalar_or_vector(self, values):
        return self._tensor(values[0] if len(self.thresholds) == 1 else values)

    def get_config(self):
        return {**super().get_config(), "thresholds": self.init_thresholds}


class _Count(_ThresholdMetric):
    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)

    def result(self):
        return self._scalar_or_vector(self._counts[self._counted[0]])


class TruePositives(_Count):
    """The weighted number of positives predicted positive (``y_pred > threshold``).

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5).
        name: the metric's name (default ``true_positives``, numbered if taken).
        dtype: result dtype.

    Example:
        >>> m = TruePositives()
        >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
        2.0
    """

    _counted = ("tp",)


class FalsePositives(_Count):
    """The weighted number of negatives predicted positive.

    Example:
        >>> float(FalsePositives()([0, 1, 0, 0], [0, 0, 1, 1]))
        2.0
    """

    _counted = ("fp",)


class TrueNegatives(_Count):
    """The weighted number of negatives predicted negative.

    Example:
        >>> float(TrueNegatives()([0, 1, 0, 0], [1, 1, 0, 0]))
        2.0
    """

    _counted = ("tn",)


class FalseNegatives(_Count):
    """The weighted number of positives predicted negative.

    Example:
        >>> float(FalseNegatives()([0, 1, 1, 1], [0, 1, 0, 0]))
        2.0
    """

    _counted = ("fn",)


class Precision(_ThresholdMetric):
    """``tp / (tp + fp)``: the share of predicted positives that are positive.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5; with
            ``top_k``, every kept score counts).
        top_k: only the ``k`` highest scores of each sample count as predictions.
        class_id: score only this class (the column of a ``(samples, classes)``
            prediction).
        name: the metric's name (default ``precision``, numbered if taken).
        dtype: result dtype.

    Example:
        >>> m = Precision()
        >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
        0.6666666865348816
    """

    _counted = ("tp", "fp")
    _direction = "up"

    def result(self):
        tp, fp = self._counts["tp"], self._counts["fp"]
        return self._scalar_or_vector(confusion.divide_no_nan(tp, tp + fp))

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}


class Recall(_ThresholdMetric):
    """``tp / (tp + fn)``: the share of positives predicted positive.

    Args:
        thresholds: a float or a list of floats in [0, 1] (default 0.5; with
            ``top_k``, every kept score counts).
        top_k: only the ``k`` highest scores of each sample count as predictions.
        class_id: score only this class.
        name: the metric's name (default ``recall``, numbered if taken).
        dtype: result dtype.

    Example:
        >>> m = Recall()
        >>> float(m([0, 1, 1, 1], [1, 0, 1, 1]))
        0.6666666865348816
    """

    _counted = ("tp", "fn")
    _direction = "up"

    def result(self):
        tp, fn = self._counts["tp"], self._counts["fn"]
        return self._scalar_or_vector(confusion.divide_no_nan(tp, tp + fn))

    def get_config(self):
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}
