"""myelin.random: TF names, dtypes, distributions, one seed for everything."""

import numpy as np
import pytest

import myelin.random as tfrandom
from myelin import backend


def test_set_seed_replays_the_stream():
    tfrandom.set_seed(42)
    a = tfrandom.normal([3]).numpy(), tfrandom.uniform([3]).numpy()
    tfrandom.set_seed(42)
    b = tfrandom.normal([3]).numpy(), tfrandom.uniform([3]).numpy()
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert tfrandom.set_seed is backend.set_seed


def test_normal_statistics_and_dtype():
    x = tfrandom.normal([20000], mean=3.0, stddev=0.5)
    assert x.dtype == np.float32 and x.shape == (20000,)
    assert abs(float(np.mean(x)) - 3.0) < 0.02 and abs(float(np.std(x)) - 0.5) < 0.02
    assert tfrandom.normal([2], dtype="float64").dtype == np.float64
    assert tfrandom.normal([2], dtype="float16").dtype == np.float16


def test_numpy_float64_parameters_keep_float32():
    # seed 004 passes stddev = 2 / np.sqrt(n), a np.float64
    x = tfrandom.truncated_normal((4, 3), stddev=2 / np.sqrt(784))
    assert x.dtype == np.float32


def test_truncated_normal_stays_within_two_stddev():
    x = tfrandom.truncated_normal([50000], mean=1.0, stddev=0.1).numpy()
    assert x.min() >= 0.8 - 1e-6 and x.max() <= 1.2 + 1e-6
    # the standard normal truncated to [-2, 2] has std 0.8796
    assert abs(x.std() / 0.1 - 0.8796) < 0.01


def test_uniform_ranges():
    x = tfrandom.uniform([10000], minval=-2.0, maxval=3.0).numpy()
    assert x.dtype == np.float32 and x.min() >= -2.0 and x.max() < 3.0
    assert abs(x.mean() - 0.5) < 0.05
    unit = tfrandom.uniform([1000]).numpy()
    assert unit.min() >= 0.0 and unit.max() < 1.0
    ints = tfrandom.uniform([1000], minval=2, maxval=5, dtype="int32").numpy()
    assert ints.dtype == np.int32 and set(np.unique(ints)) == {2, 3, 4}


def test_uniform_and_normal_errors():
    with pytest.raises(ValueError, match=r"uniform: an integer dtype \(int64\) needs maxval"):
        tfrandom.uniform([2], dtype="int64")
    with pytest.raises(TypeError, match="normal: dtype must be a float type, received int32"):
        tfrandom.normal([2], dtype="int32")
    with pytest.raises(TypeError, match="uniform: dtype must be a float or integer type"):
        tfrandom.uniform([2], dtype=bool)


def test_shuffle_permutes_the_first_axis():
    x = np.arange(10).reshape(5, 2)
    out = tfrandom.shuffle(x).numpy()
    assert sorted(out[:, 0].tolist()) == [0, 2, 4, 6, 8]
    np.testing.assert_array_equal(out[:, 1] - out[:, 0], 1)  # rows stay whole
