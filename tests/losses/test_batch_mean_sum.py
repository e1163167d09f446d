"""The batch-mean kernels' mean is NumPy's ``mean`` to the bit (sum, then the division
by an ``intp`` count), for every float dtype and for 2-D values."""

import numpy as np
import pytest

from myelin.losses.batch_mean import _mean


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("shape", [(1,), (15, 1), (200,), (37, 3), (1000,)])
def test_mean_is_numpys_mean(dtype, shape):
    rng = np.random.default_rng(sum(shape))
    for scale in (1e-3, 1.0, 1e3):
        values = (rng.normal(size=shape) * scale).astype(dtype)
        ours, numpys = _mean(values, np.dtype(dtype)), values.mean(dtype=dtype)
        assert type(ours) is type(numpys) and ours == numpys
