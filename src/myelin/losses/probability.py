"""Cross-entropies computed from probabilities, clipped to ``[EPSILON, 1 - EPSILON]``
as Keras does, each one op (forward and backward in one pass, no chain of small ops).
"""

import numpy as np

from ..autodiff import Function

EPSILON = 1e-7  # Keras's backend.epsilon()


class BinaryCrossentropyFromProbs(Function):
    """Elementwise ``-(y log p + (1 - y) log(1 - p))`` with ``p`` clipped."""

    def forward(self, p, y):
        c = np.clip(p, EPSILON, 1 - EPSILON)
        self.c, self.y, self.inside = c, y, (p >= EPSILON) & (p <= 1 - EPSILON)
        return -(y * np.log(c) + (1 - y) * np.log1p(-c))

    def backward(self, grad):
        c, y = self.c, self.y
        gp = grad * ((1 - y) / (1 - c) - y / c) * self.inside if self.needs[0] else None
        gy = grad * (np.log1p(-c) - np.log(c)) if self.needs[1] else None
        return gp, gy


class CategoricalCrossentropyFromProbs(Function):
    """Per-example ``-sum(y log q)`` over the last axis, ``q = p / sum(p)`` clipped."""

    def forward(self, p, y):
        self.total = p.sum(axis=-1, keepdims=True)
        q = p / self.total
        self.inside = (q >= EPSILON) & (q <= 1 - EPSILON)
        self.c, self.q, self.y = np.clip(q, EPSILON, 1 - EPSILON), q, y
        return -(y * np.log(self.c)).sum(axis=-1)

    def backward(self, grad):
        g = grad[..., None]
        gp = gy = None
        if self.needs[0]:
            gq = -g * self.y / self.c * self.inside
            # through the normalization q = p / sum(p)
            gp = (gq - (gq * self.q).sum(axis=-1, keepdims=True)) / self.total
        if self.needs[1]:
            gy = -g * np.log(self.c)
        return gp, gy
