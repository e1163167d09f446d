"""Keras's rank alignment of ``y_true`` and ``y_pred`` (shared by losses and metrics).

Labels of shape ``(n,)`` against predictions of shape ``(n, 1)`` are the common
case: the rank-1 side gets a trailing axis, so the two line up elementwise instead
of broadcasting to ``(n, n)``.
"""

import numpy as np

from .. import ops
from ..autodiff import Tensor


def _squeeze_last(x):
    return ops.squeeze(x, axis=-1) if isinstance(x, Tensor) else np.squeeze(x, axis=-1)


def _expand_last(x):
    return ops.expand_dims(x, -1) if isinstance(x, Tensor) else np.expand_dims(x, -1)


def squeeze_or_expand_to_same_rank(x1, x2, expand_rank_1=True):
    """Make ranks equal when they differ by one and the longer has a last axis of 1.

    A rank-1 shorter input gains an axis (``expand_rank_1``); otherwise the longer
    one loses its size-1 last axis. Works on Tensors (differentiably) and arrays.

    Returns:
        ``(x1, x2)`` with equal ranks where that rule applies, else unchanged.
    """
    r1, r2 = len(x1.shape), len(x2.shape)
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            return x1, _expand_last(x2)
        return _squeeze_last(x1), x2
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            return _expand_last(x1), x2
        return x1, _squeeze_last(x2)
    return x1, x2
