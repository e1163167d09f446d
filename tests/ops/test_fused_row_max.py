"""``fused.row_max``: the same values as ``max(axis=-1, keepdims=True)`` on every path."""

import numpy as np
import pytest

from myelin.ops.fused import row_max


@pytest.mark.parametrize("shape", [(200, 10), (32, 2), (31, 10), (64, 1), (1, 5), (4, 3, 6)])
def test_row_max_matches_numpy_max(shape):
    z = np.random.default_rng(0).normal(size=shape).astype(np.float32)
    z.reshape(-1)[::7] = np.inf
    z.reshape(-1)[3::11] = np.nan  # a NaN row's max is NaN, as with max
    np.testing.assert_array_equal(row_max(z), z.max(axis=-1, keepdims=True))
    assert row_max(z).shape == shape[:-1] + (1,)
