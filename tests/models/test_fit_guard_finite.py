"""The finiteness check of the fit guard's epoch ends and of every batch of data
(``backend.all_finite``): one sum, the full check only on overflow."""

import numpy as np
import pytest

from myelin.backend import all_finite


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
        assert all_finite(array) == finite
    assert bool(np.isfinite(array).all()) == finite

