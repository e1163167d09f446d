"""The fit guard's per-epoch checks: finiteness from one sum, snapshots refreshed in place."""

import numpy as np
import pytest

from myelin.models.fit_guard import _finite
from myelin.models.snapshot import Snapshot


@pytest.mark.parametrize("values, finite", [
    ([1.0, -2.0], True),
    ([np.nan, 1.0], False),
    ([np.inf, -np.inf], False),  # the sum is NaN
    ([3e38, 3e38, 3e38], True),  # the float32 sum overflows: the full check decides
    ([3e38, 3e38, np.inf], False),
    ([], True),
])
def test_finite_matches_isfinite_all(values, finite):
    array = np.asarray(values, np.float32)
    with np.errstate(over="ignore", invalid="ignore"):  # as inside fit
        assert _finite(array) is finite or _finite(array) == finite
    assert bool(np.isfinite(array).all()) == finite


def test_snapshot_refreshes_in_place_and_replaces_on_a_new_shape():
    a, b = np.ones(3, np.float32), np.zeros((2, 2))
    snap = Snapshot([a, b])
    a += 1
    assert snap.update([a, b]) is snap  # the same arrays: copied into the old buffers
    np.testing.assert_array_equal(snap.arrays()[0], [2, 2, 2])
    a += 1
    assert snap.arrays()[0][0] == 2  # a copy, not the live array
    other = snap.update([np.ones(4, np.float32), b])
    assert other is not snap and other.arrays()[0].shape == (4,)
