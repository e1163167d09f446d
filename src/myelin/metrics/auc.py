"""AUC: the area under the ROC or precision-recall curve, by Keras 3's Riemann sum.

Confusion counts are kept at ``num_thresholds`` thresholds: ``i / (n - 1)`` for the
inner ones and ``-1e-7`` / ``1 + 1e-7`` at the ends, so that predictions of exactly
0 and 1 are counted on the right side. The curve through those points is summed as
trapezoids (``"interpolation"``), or with the lower/upper of each pair of heights
(``"minoring"``/``"majoring"``); the PR curve's interpolation follows Davis &
Goadrich (2006): true and false positives vary linearly between thresholds, the
precision between them does not.
"""

import numpy as np

from ..layers.naming import auto_name
from . import confusion
from .metric import Metric

_CURVES = {"roc": "ROC", "pr": "PR", "prgain": "PRGAIN"}
_SUMMATIONS = ("interpolation", "minoring", "majoring")


def _choice(value, allowed, what):
    key = value.lower() if isinstance(value, str) else value
    if key not in allowed:
        options = sorted(set(allowed.values() if isinstance(allowed, dict) else allowed))
        raise ValueError(f"AUC: {what} must be one of {options}, received {value!r}.")
    return allowed[key] if isinstance(allowed, dict) else key


class AUC(Metric):
    """Area under the ROC curve (default) or the precision-recall curve.

    Args:
        num_thresholds: how many thresholds discretize the curve (default 200, > 1).
        curve: ``"ROC"``, ``"PR"`` or ``"PRGAIN"``.
        summation_method: ``"interpolation"`` (trapezoids; for PR, Davis & Goadrich's
            interpolation), ``"minoring"`` or ``"majoring"``.
        name: the metric's name (default ``auc``, numbered if taken).
        dtype: result dtype.
        thresholds: explicit thresholds in [0, 1] (then ``num_thresholds`` is their
            count plus the two end thresholds).
        multi_label: score each column of ``(samples, labels)`` predictions as its
            own binary problem and average the areas (else flatten everything).
        num_labels: number of labels when ``multi_label`` (optional).
        label_weights: per-label weights: of the averaged areas with
            ``multi_label``, of the counts otherwise.
        from_logits: apply a sigmoid to the predictions first.

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> float(m([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]))
        0.75
    """

    _direction = "up"

    def __init__(self, num_thresholds=200, curve="ROC", summation_method="interpolation",
                 name=None, dtype=None, thresholds=None, multi_label=False, num_labels=None,
                 label_weights=None, from_logits=False):
        self.curve = _choice(curve, _CURVES, "curve")
        self.summation_method = _choice(summation_method, _SUMMATIONS, "summation_method")
        if num_labels is not None and not multi_label:
            raise ValueError("AUC: num_labels is needed only when multi_label=True.")
        self._explicit = thresholds is not None
        if self._explicit:
            inner = sorted(confusion.check_thresholds(thresholds, "AUC"))
            self._evenly = confusion.evenly_spaced([0.0, *inner, 1.0])
        else:
            if isinstance(num_thresholds, bool) or not isinstance(num_thresholds, int) or (
                    num_thresholds <= 1):
                raise ValueError(f"AUC: num_thresholds must be an integer > 1, received "
                                 f"{num_thresholds!r}.")
            inner = [(i + 1) / (num_thresholds - 1) for i in range(num_thresholds - 2)]
            self._evenly = True
        self.num_thresholds = len(inner) + 2
        self._thresholds = [0.0 - confusion.EPSILON, *inner, 1.0 + confusion.EPSILON]
        super().__init__(name=name or auto_name(AUC), dtype=dtype)
        self.multi_label, self.num_labels = bool(multi_label), num_labels
        self.label_weights = (None if label_weights is None
                              else np.asarray(label_weights, dtype=np.float64))
        self.from_logits = bool(from_logits)
        self.reset_state()

    @property
    def thresholds(self):
        """The thresholds the counts are kept at, the two end ones included."""
        return list(self._thresholds)

    def update_state(self, y_true, y_pred, sample_weight=None):
        """Add one batch's weighted counts at every threshold."""
        if self.multi_label and np.ndim(y_pred) != 2:
            raise ValueError(f"{self._where}: y_pred must have rank 2 (samples, labels) when "
                             f"multi_label=True, received shape {np.shape(y_pred)}.")
        positive, pred, weight = confusion.prepare(
            y_true, y_pred, sample_weight, self._where, multi_label=self.multi_label,
            label_weights=None if self.multi_label else self.label_weights)
        if self.from_logits:
            pred = (1.0 / (1.0 + np.exp(-pred.astype(np.float64)))).astype(np.float32)
        if self.tp is not None and self.tp.shape[1] != pred.shape[1]:
            raise ValueError(f"{self._where}: expected {self.tp.shape[1]} labels as before, "
                             f"received y_pred of shape {np.shape(y_pred)}.")
        tp, fp, pos, neg = confusion.counts(positive, pred, weight, self._thresholds,
                                            self._evenly)
        if self.tp is None:
            self.tp, self.fp, self.tn, self.fn = (np.zeros_like(tp) for _ in range(4))
        self.tp += tp
        self.fp += fp
        self.fn += pos - tp
        self.tn += neg - fp

    def reset_state(self):
        # per-label counts take their width from the first batch (or num_labels)
        self.tp = self.fp = self.tn = self.fn = None
        if self.num_labels or not self.multi_label:
            shape = (self.num_thresholds, self.num_labels or 1)
            self.tp, self.fp, self.tn, self.fn = (np.zeros(shape) for _ in range(4))

    def _interpolated_pr(self):
        tp, fp, fn = self.tp, self.fp, self.fn
        dtp = tp[:-1] - tp[1:]
        p = tp + fp
        dp = p[:-1] - p[1:]
        slope = confusion.divide_no_nan(dtp, np.maximum(dp, 0))
        intercept = tp[1:] - slope * p[1:]
        both = (p[:-1] > 0) & (p[1:] > 0)
        ratio = np.where(both, confusion.divide_no_nan(p[:-1], np.maximum(p[1:], 0)), 1.0)
        return confusion.divide_no_nan(slope * (dtp + intercept * np.log(ratio)),
                                       np.maximum(tp[1:] + fn[1:], 0))

    def _riemann_terms(self):
        tp, fp, tn, fn = self.tp, self.fp, self.tn, self.fn
        recall = confusion.divide_no_nan(tp, tp + fn)
        if self.curve == "ROC":
            x, y = confusion.divide_no_nan(fp, fp + tn), recall
        elif self.curve == "PR":
            x, y = recall, confusion.divide_no_nan(tp, tp + fp)
        else:  # PRGAIN: recall and precision gains (Flach & Kull 2015)
            scale = confusion.divide_no_nan(tp + fn, tn + fp)
            x = np.where(tp == 0, 0.0, 1.0 - scale * confusion.divide_no_nan(fn, tp))
            x = np.maximum(x, 0.0)
            y = np.where(tp == 0, 1.0, 1.0 - scale * confusion.divide_no_nan(fp, tp))
        if self.summation_method == "interpolation":
            heights = (y[:-1] + y[1:]) / 2.0
        elif self.summation_method == "minoring":
            heights = np.minimum(y[:-1], y[1:])
        else:
            heights = np.maximum(y[:-1], y[1:])
        return (x[:-1] - x[1:]) * heights

    def result(self):
        """The area (averaged over labels with ``multi_label``)."""
        if self.tp is None:
            return self._tensor(0.0)
        if self.curve == "PR" and self.summation_method == "interpolation":
            terms = self._interpolated_pr()
        else:
            terms = self._riemann_terms()
        by_label = terms.sum(axis=0)
        if not self.multi_label:
            return self._tensor(by_label[0])
        if self.label_weights is None:
            return self._tensor(by_label.mean())
        weights = self.label_weights
        return self._tensor(confusion.divide_no_nan(np.sum(by_label * weights),
                                                    np.sum(weights)))

    def get_config(self):
        config = {**super().get_config(), "num_thresholds": self.num_thresholds,
                  "curve": self.curve, "summation_method": self.summation_method,
                  "multi_label": self.multi_label, "num_labels": self.num_labels,
                  "label_weights": (None if self.label_weights is None
                                    else self.label_weights.tolist()),
                  "from_logits": self.from_logits}
        if self._explicit:
            config["thresholds"] = self._thresholds[1:-1]
        return config
