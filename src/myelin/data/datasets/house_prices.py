"""The 15-house table of the "housing prices" tutorial: area (sq. ft) -> price (USD).

The values are the tutorial's own, so its single-neuron regression runs unchanged.
Prices grow roughly linearly with area, with noise.
"""

from __future__ import annotations

import numpy as np

_AREAS = [3765, 7530, 11295, 15060, 18825, 22590, 26355, 30120, 33885, 37650, 41415, 45180,
          48945, 52710, 56475]  # fmt: skip
_PRICES = [16203815, 11924806, 15363025, 20681588, 23343728, 31297816, 45029324, 48653516,
           43981690, 52140160, 64208930, 59116732, 69043050, 66664916, 77795170]  # fmt: skip


def load_data(dtype: str = "float32"):
    """Return the tutorial's house areas and prices.

    Args:
        dtype: Float dtype of both arrays. float32 (the default) rounds prices above
            2**24 to the nearest representable value (at most 4 USD off); pass
            ``"float64"`` for the exact integers.

    Returns:
        ``(x, y)``: areas of shape ``(15, 1)`` (one feature per row, as the
        tutorial's ``build((None, 1))`` expects) and prices of shape ``(15,)``.

    Example:
        >>> x, y = house_prices.load_data()
        >>> x.shape, y.shape
        ((15, 1), (15,))
    """
    return np.asarray(_AREAS, dtype=dtype).reshape(-1, 1), np.asarray(_PRICES, dtype=dtype)
