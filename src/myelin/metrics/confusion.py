"""Confusion-matrix counts at thresholds, as Keras 3 accumulates them.

A prediction counts as positive at threshold ``t`` when ``y_pred > t``; a label is
positive when it is non-zero. Evenly spaced thresholds (``i / (n - 1)``, possibly
widened by an epsilon at both ends, as ``AUC`` uses) are counted in one pass by
bucketing each prediction, the others threshold by threshold; both give Keras's
counts, including its clipping of predictions to ``[0, 1]`` in the bucketed case.
"""

import numpy as np

from ..losses.shapes import squeeze_or_expand_to_same_rank
from .metric import numeric

NEG_INF = -1e10  # the threshold Keras uses with top_k: every kept prediction counts
EPSILON = 1e-7  # Keras's backend.epsilon(), which widens AUC's end thresholds


def check_thresholds(thresholds, where):
    """``thresholds`` (one number or a list) as a list of floats in ``[0, 1]``."""
    values = list(thresholds) if isinstance(thresholds, (list, tuple, np.ndarray)) else [
        thresholds]
    bad = [t for t in values if isinstance(t, bool) or not isinstance(t, (int, float, np.number))
           or not 0 <= t <= 1]
    if bad or not values:
        raise ValueError(f"{where}: thresholds must be numbers in [0, 1], received "
                         f"{thresholds!r}.")
    return [float(t) for t in values]


def evenly_spaced(thresholds):
    """Whether ``thresholds`` are ``i / (n - 1)`` for ``i = 0 .. n - 1`` (n >= 3)."""
    n = len(thresholds)
    if n < 3:
        return False
    return bool(np.allclose(thresholds, np.arange(n, dtype=np.float32) / (n - 1),
                            atol=EPSILON))


def _top_k(y_pred, k):
    """Keep the ``k`` largest scores of each row, push the others to ``NEG_INF``."""
    order = np.argsort(-y_pred, axis=-1, kind="stable")[..., :k]
    keep = np.zeros(y_pred.shape, dtype=bool)
    np.put_along_axis(keep, order, True, axis=-1)
    return np.where(keep, y_pred, NEG_INF)


def prepare(y_true, y_pred, sample_weight, where, top_k=None, class_id=None,
            multi_label=False, label_weights=None):
    """Labels, predictions and weights as ``(n, labels)`` float arrays.

    Follows Keras's ``update_confusion_matrix_variables``: ranks aligned, weights
    broadcast to the predictions, ``top_k``/``class_id`` applied, then everything
    flattened to one column unless ``multi_label``.

    Raises:
        ValueError: naming ``where`` for non-numeric input or shapes that do not match.
    """
    y_pred = numeric(y_pred, where, "y_pred").astype(np.float32)
    y_true = numeric(y_true, where, "y_true")
    y_pred, y_true = squeeze_or_expand_to_same_rank(y_pred, y_true)
    weight = None
    if sample_weight is not None:
        weight = np.expand_dims(numeric(sample_weight, where, "sample_weight"), -1)
        _, weight = squeeze_or_expand_to_same_rank(y_true, weight, expand_rank_1=False)
    try:
        y_true = np.broadcast_to(y_true, y_pred.shape)
        weight = None if weight is None else np.broadcast_to(weight, y_pred.shape)
    except ValueError:
        weights = "" if sample_weight is None else (
            f" and sample_weight of shape {np.shape(sample_weight)}")
        raise ValueError(f"{where}: y_true of shape {np.shape(y_true)}{weights} must match "
                         f"y_pred of shape {y_pred.shape}.") from None
    if top_k is not None:
        y_pred = _top_k(y_pred, top_k)
    if class_id is not None:
        if y_pred.ndim < 2 or not -y_pred.shape[-1] <= class_id < y_pred.shape[-1]:
            raise ValueError(f"{where}: class_id={class_id} needs y_pred of shape "
                             f"(samples, classes) with that class, received {y_pred.shape}.")
        y_true, y_pred = y_true[..., class_id, None], y_pred[..., class_id, None]
        weight = None if weight is None else weight[..., class_id, None]
    if label_weights is not None and not multi_label:
        label_weights = np.broadcast_to(label_weights, y_pred.shape)
        weight = label_weights if weight is None else weight * label_weights
    weight = np.ones(y_pred.shape) if weight is None else weight
    if multi_label:
        return y_true != 0, y_pred, weight
    return (y_true != 0).reshape(-1, 1), y_pred.reshape(-1, 1), weight.reshape(-1, 1)


def counts(positive, y_pred, weight, thresholds, evenly):
    """Weighted ``(tp, fp, positives, negatives)``: tp and fp of shape
    ``(thresholds, labels)``, the totals of shape ``(labels,)``."""
    pos_w = np.where(positive, weight, 0.0)
    neg_w = np.where(positive, 0.0, weight)
    n, labels = y_pred.shape
    if evenly:
        size = len(thresholds)
        bucket = np.ceil(np.clip(y_pred, 0.0, 1.0) * np.float32(size - 1)).astype(np.int64) - 1
        if thresholds[0] < 0.0 or thresholds[-1] > 1.0:
            # with epsilon-widened ends every prediction exceeds the first threshold
            bucket = np.maximum(bucket, 0)
        kept = bucket >= 0
        slot = (bucket * labels + np.arange(labels))[kept]

        def tally(w):
            per_bucket = np.bincount(slot, w[kept], minlength=size * labels)
            return np.cumsum(per_bucket.reshape(size, labels)[::-1], axis=0)[::-1]

        tp, fp = tally(pos_w), tally(neg_w)
    else:
        cuts = np.asarray(thresholds, dtype=np.float32)
        tp = np.stack([np.where(y_pred > t, pos_w, 0.0).sum(axis=0) for t in cuts])
        fp = np.stack([np.where(y_pred > t, neg_w, 0.0).sum(axis=0) for t in cuts])
    return tp, fp, pos_w.sum(axis=0), neg_w.sum(axis=0)


def divide_no_nan(x, y):
    """``x / y`` with 0 where ``y`` is 0 (Keras's ``divide_no_nan``)."""
    out = np.zeros(np.broadcast_shapes(np.shape(x), np.shape(y)))
    np.divide(x, y, out=out, where=np.broadcast_to(y != 0, out.shape))
    return out
