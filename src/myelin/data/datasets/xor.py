"""The XOR truth table: the smallest problem a single-layer perceptron cannot solve."""

from __future__ import annotations

import numpy as np


def load_data(dtype: str = "float32"):
    """Return the four XOR input pairs and their outputs.

    Args:
        dtype: Float dtype of both arrays.

    Returns:
        ``(x, y)``: ``x`` of shape ``(4, 2)`` with rows ``[0,0], [0,1], [1,0], [1,1]``
        and ``y`` of shape ``(4, 1)`` with ``[0], [1], [1], [0]``.
    """
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=dtype)
    y = np.array([[0], [1], [1], [0]], dtype=dtype)
    return x, y
