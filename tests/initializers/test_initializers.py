"""Initializers: statistics of large draws, Keras's fans and defaults, seeding."""

import math

import numpy as np
import pytest

from myelin import backend, initializers

SHAPE = (400, 600)  # fan_in 400, fan_out 600: 240k draws


def test_fans_like_keras():
    assert initializers.compute_fans(()) == (1, 1)
    assert initializers.compute_fans((7,)) == (7, 7)
    assert initializers.compute_fans((3, 5)) == (3, 5)
    assert initializers.compute_fans((3, 3, 16, 32)) == (144, 288)
    assert initializers.compute_fans((5, 8, 4)) == (40, 20)


def test_glorot_uniform_limit_and_spread():
    w = initializers.GlorotUniform()(SHAPE)
    limit = math.sqrt(6 / (400 + 600))
    assert w.dtype == np.float32 and w.shape == SHAPE
    assert np.abs(w).max() <= limit and np.abs(w).max() > 0.99 * limit
    assert abs(w.mean()) < 0.002
    assert w.std() == pytest.approx(limit / math.sqrt(3), rel=0.01)


def test_he_uniform_limit():
    w = initializers.HeUniform()(SHAPE)
    limit = math.sqrt(6 / 400)
    assert np.abs(w).max() <= limit and w.std() == pytest.approx(limit / math.sqrt(3), rel=0.01)


@pytest.mark.parametrize("cls, variance", [
    (initializers.GlorotNormal, 2 / (400 + 600)),
    (initializers.HeNormal, 2 / 400),
    (initializers.LecunNormal, 1 / 400),
])
def test_truncated_variance_scaling_keeps_the_variance(cls, variance):
    w = cls()(SHAPE)
    stddev = math.sqrt(variance) / 0.87962566103423978  # before truncation
    assert np.abs(w).max() <= 2 * stddev
    assert w.std() == pytest.approx(math.sqrt(variance), rel=0.01)
    assert abs(w.mean()) < 0.01 * stddev


def test_random_normal_uniform_truncated_defaults():
    n = initializers.RandomNormal()(SHAPE)
    assert n.mean() == pytest.approx(0.0, abs=5e-4) and n.std() == pytest.approx(0.05, rel=0.01)
    n2 = initializers.RandomNormal(mean=3.0, stddev=2.0)(SHAPE)
    assert n2.mean() == pytest.approx(3.0, abs=0.02) and n2.std() == pytest.approx(2.0, rel=0.01)
    u = initializers.RandomUniform()(SHAPE)
    assert u.min() >= -0.05 and u.max() < 0.05 and u.std() == pytest.approx(0.1 / math.sqrt(12),
                                                                          rel=0.01)
    t = initializers.TruncatedNormal()(SHAPE)
    assert np.abs(t).max() <= 0.1 and t.std() == pytest.approx(0.05 * 0.8796, rel=0.01)


def test_constant_family():
    np.testing.assert_array_equal(initializers.Zeros()((2, 3)), np.zeros((2, 3)))
    np.testing.assert_array_equal(initializers.Ones()((4,)), np.ones(4))
    c = initializers.Constant(0.5)((2,), dtype="float64")
    assert c.dtype == np.float64 and c.tolist() == [0.5, 0.5]
    assert initializers.Zeros()((3,), dtype="int32").dtype == np.int32


def test_global_seed_replays_draws():
    backend.set_seed(7)
    a = initializers.GlorotUniform()((3, 4))
    b = initializers.GlorotUniform()((3, 4))
    backend.set_seed(7)
    np.testing.assert_array_equal(initializers.GlorotUniform()((3, 4)), a)
    np.testing.assert_array_equal(initializers.GlorotUniform()((3, 4)), b)
    assert not np.array_equal(a, b)


def test_seed_argument_is_independent_and_repeats_like_keras():
    init = initializers.HeNormal(seed=3)
    first = init((5, 5))
    backend.rng().random(10)  # the library stream moving does not matter
    np.testing.assert_array_equal(init((5, 5)), first)
    np.testing.assert_array_equal(initializers.HeNormal(seed=3)((5, 5)), first)
    assert not np.array_equal(initializers.HeNormal(seed=4)((5, 5)), first)


def test_get_aliases_classes_instances_and_configs():
    assert isinstance(initializers.get("glorot_uniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("GlorotUniform"), initializers.GlorotUniform)
    assert isinstance(initializers.get("zeros"), initializers.Zeros)
    assert isinstance(initializers.get(initializers.HeNormal), initializers.HeNormal)
    inst = initializers.RandomNormal(stddev=0.2)
    assert initializers.get(inst) is inst
    assert initializers.get(None) is None
    config = initializers.serialize(initializers.RandomUniform(-1.0, 2.0, seed=5))
    assert config == {"class_name": "RandomUniform",
                      "config": {"minval": -1.0, "maxval": 2.0, "seed": 5}}
    back = initializers.get(config)
    assert (back.minval, back.maxval, back.seed) == (-1.0, 2.0, 5)
    assert initializers.GlorotUniform(seed=1).get_config() == {"seed": 1}
    assert initializers.Constant(3.0).get_config() == {"value": 3.0}


def test_errors_name_the_problem():
    with pytest.raises(ValueError, match="Did you mean 'glorot_uniform'"):
        initializers.get("glorot_unifrom")
    with pytest.raises(ValueError, match="float dtype"):
        initializers.GlorotUniform()((2, 2), dtype="int32")
    with pytest.raises(ValueError, match="non-negative integers"):
        initializers.Zeros()((2, -1))
    with pytest.raises(ValueError, match="mode must be one of"):
        initializers.VarianceScaling(mode="fan_sideways")
    with pytest.raises(ValueError, match="seed must be an integer"):
        initializers.RandomNormal(seed="abc")
