"""All weight penalties of a model as one op: the trainer's fast path for regularizers.

``model.losses`` builds each penalty from a handful of ops per weight (abs/square,
sum, scale, add), which costs more than a small network's forward pass. For the
built-in L1/L2/L1L2 regularizers, ``WeightPenalty`` computes the same sum in one
forward over raw arrays, with the gradient ``l1 * sign(w) + 2 * l2 * w`` per weight.
"""

import numpy as np

from .. import backend
from ..autodiff import Function
from .regularizers import L1, L1L2, L2


def factors(regularizer):
    """``(l1, l2)`` of a built-in regularizer, or None for any other callable."""
    if type(regularizer) is L1L2:
        return regularizer.l1, regularizer.l2
    if type(regularizer) is L1:
        return regularizer.l1, 0.0
    if type(regularizer) is L2:
        return 0.0, regularizer.l2
    return None


class WeightPenalty(Function):
    """``sum_i l1_i * sum(|w_i|) + l2_i * sum(w_i ** 2)`` over the given weights."""

    def __init__(self, factors):
        self.factors = factors

    def forward(self, *weights):
        self.weights = weights
        total = 0.0
        for w, (l1, l2) in zip(weights, self.factors, strict=True):
            # np.add.reduce: the sums of ndarray.sum without its Python wrapper
            if l1:
                total += l1 * float(np.add.reduce(np.abs(w), axis=None, dtype=np.float64))
            if l2:
                total += l2 * float(backend.sum_of_squares(w))
        return np.asarray(total, dtype=weights[0].dtype)

    def backward(self, grad):
        out = []
        for w, need, (l1, l2) in zip(self.weights, self.needs, self.factors, strict=True):
            if not need:
                out.append(None)
                continue
            g = (2.0 * l2) * w if l2 else np.zeros_like(w)
            if l1:
                g = g + l1 * np.sign(w)
            out.append(g if grad == 1 else g * grad)  # fit's seed is 1: x * 1 == x
        return tuple(out)


def weight_penalty(variables):
    """A function computing the weights' total penalty as one op, or None when some
    regularizer is not a built-in L1/L2/L1L2 (the caller then uses ``model.losses``)."""
    regularized = [v for v in variables if v.regularizer is not None]
    pairs = [factors(v.regularizer) for v in regularized]
    if not regularized or any(p is None for p in pairs):
        return None
    return lambda: WeightPenalty.apply(*regularized, factors=tuple(pairs))
