"""Losses between distributions and counts: Kullback-Leibler divergence and Poisson."""

from .. import ops
from .loss import LossFunctionWrapper, aligned
from .probability import EPSILON


def kl_divergence(y_true, y_pred):
    """Per-sample ``sum(y_true * log(y_true / y_pred))`` over the last axis, both
    clipped to ``[1e-7, 1]`` as Keras does.

    Example:
        >>> round(float(kl_divergence([[0.5, 0.5]], [[0.25, 0.75]])[0]), 6)
        0.143841
    """
    y_true, y_pred = aligned(y_true, y_pred, "kl_divergence")
    y_true = ops.clip_by_value(y_true, EPSILON, 1.0)
    y_pred = ops.clip_by_value(y_pred, EPSILON, 1.0)
    return ops.reduce_sum(ops.multiply(y_true, ops.log(ops.divide(y_true, y_pred))), axis=-1)


def poisson(y_true, y_pred):
    """Per-sample ``mean(y_pred - y_true * log(y_pred + 1e-7))`` over the last axis: the
    negative log-likelihood of counts ``y_true`` under rates ``y_pred`` (up to a
    constant).

    Example:
        >>> round(float(poisson([[2.0]], [[1.0]])[0]), 6)
        1.0
    """
    y_true, y_pred = aligned(y_true, y_pred, "poisson")
    log_rate = ops.log(ops.add(y_pred, EPSILON))
    return ops.reduce_mean(ops.subtract(y_pred, ops.multiply(y_true, log_rate)), axis=-1)


class KLDivergence(LossFunctionWrapper):
    """The Kullback-Leibler divergence ``KL(y_true || y_pred)``, averaged over the batch.

    Example:
        >>> round(float(KLDivergence()([[0.5, 0.5]], [[0.25, 0.75]])), 6)
        0.143841
    """

    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence", dtype=None):
        super().__init__(kl_divergence, reduction=reduction, name=name, dtype=dtype)


class Poisson(LossFunctionWrapper):
    """The Poisson loss ``mean(y_pred - y_true * log(y_pred))``, averaged over the batch.

    Example:
        >>> round(float(Poisson()([[2.0], [0.0]], [[1.0], [1.0]])), 6)
        1.0
    """

    def __init__(self, reduction="sum_over_batch_size", name="poisson", dtype=None):
        super().__init__(poisson, reduction=reduction, name=name, dtype=dtype)
