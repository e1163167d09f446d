"""Learning-rate schedules: Keras 3's formulas by hand, values printed by Keras 3.15.1,
serialization, and use inside an optimizer."""

import math

import numpy as np
import pytest

from myelin import optimizers
from myelin.autodiff import Variable

S = optimizers.schedules
STEPS = [0, 1, 3, 4, 5, 7, 10, 13, 20, 26, 31, 40]


def values(schedule):
    return np.array([float(schedule(s)) for s in STEPS])


def test_polynomial_decay_by_hand():
    s = S.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0)
    assert s(0) == pytest.approx(0.1)
    assert s(5) == pytest.approx(0.09 * 0.25 + 0.01)  # (0.1 - 0.01) * (1 - 0.5)**2 + 0.01
    assert s(10) == pytest.approx(0.01) and s(25) == pytest.approx(0.01)
    cyc = S.PolynomialDecay(0.1, 10, end_learning_rate=0.01, power=2.0, cycle=True)
    # step 13 lies in the second period: horizon 20, p = 13 / 20
    assert cyc(13) == pytest.approx(0.09 * (1 - 13 / 20) ** 2 + 0.01)
    assert cyc(0) == pytest.approx(0.1)


def test_cosine_decay_by_hand():
    s = S.CosineDecay(0.1, 20, alpha=0.1)
    assert s(5) == pytest.approx(0.1 * (0.9 * 0.5 * (1 + math.cos(math.pi / 4)) + 0.1))
    assert s(20) == pytest.approx(0.01) and s(100) == pytest.approx(0.01)
    warm = S.CosineDecay(0.0, 20, warmup_target=0.2, warmup_steps=5)
    assert warm(2) == pytest.approx(0.2 * 2 / 5)  # linear rise from 0 to 0.2
    assert warm(5) == pytest.approx(0.2)
    assert warm(15) == pytest.approx(0.2 * 0.5 * (1 + math.cos(math.pi * 10 / 20)))
    assert warm(1000) == pytest.approx(0.0, abs=1e-12)


def test_cosine_decay_restarts_by_hand():
    s = S.CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5, alpha=0.1)
    assert s(5) == pytest.approx(0.9 * 0.5 * (1 + math.cos(math.pi * 0.5)) + 0.1)
    # the second period starts at step 10, lasts 20 steps and peaks at m_mul
    assert s(10) == pytest.approx(0.9 * 0.5 + 0.1)
    assert s(20) == pytest.approx(0.9 * 0.5 * 0.5 * (1 + math.cos(math.pi * 0.5)) + 0.1)
    flat = S.CosineDecayRestarts(1.0, 10, t_mul=1.0)
    assert flat(10) == pytest.approx(1.0) and flat(15) == pytest.approx(0.5)


def test_values_printed_by_keras():
    # keras 3.15.1, float(schedule(step)) for the steps of STEPS
    cases = {
        S.PolynomialDecay(0.1, 10): [
            0.1, 0.09001, 0.07003, 0.06004, 0.05005, 0.03007, 0.0001, 0.0001, 0.0001,
            0.0001, 0.0001, 0.0001],
        S.PolynomialDecay(0.1, 10, 0.01, power=2.0, cycle=True): [
            0.1, 0.0829, 0.0541, 0.0424, 0.0325, 0.0181, 0.01, 0.021025, 0.01, 0.0116,
            0.01455625, 0.01],
        S.CosineDecay(0.1, 20, alpha=0.1): [
            0.1, 0.09944598, 0.09509529, 0.09140576, 0.08681981, 0.07542958, 0.055,
            0.03457044, 0.01, 0.01, 0.01, 0.01],
        S.CosineDecay(0.0, 20, warmup_target=0.2, warmup_steps=5): [
            0, 0.04, 0.12, 0.16, 0.2, 0.1951057, 0.1707107, 0.1309017, 0.02928932, 0, 0, 0],
        S.CosineDecay(0.05, 20, alpha=0.2, warmup_target=0.2, warmup_steps=0): [
            0.2, 0.1990151, 0.1912805, 0.1847214, 0.1765686, 0.1563192, 0.12, 0.08368077,
            0.04, 0.04, 0.04, 0.04],
        S.CosineDecayRestarts(0.1, 5): [
            0.1, 0.09045085, 0.03454914, 0.00954915, 0.1, 0.09045085, 0.05, 0.009549156,
            0.08535534, 0.04217828, 0.009549156, 0.09619398],
        S.CosineDecayRestarts(0.1, 5, t_mul=1.0, m_mul=0.5, alpha=0.1): [
            0.1, 0.09140576, 0.04109422, 0.01859424, 0.055, 0.03945288, 0.0325, 0.01777356,
            0.015625, 0.01254393, 0.01127197, 0.01035156],
        S.CosineDecayRestarts(0.1, 4, t_mul=1.5, m_mul=0.8): [
            0.1, 0.08535534, 0.01464466, 0.08000001, 0.07464102, 0.04, 0.064, 0.048,
            0.05050996, 0.02411149, 0.001543868, 0.02859172],
    }
    for schedule, keras_values in cases.items():
        np.testing.assert_allclose(values(schedule), keras_values, rtol=2e-6, atol=1e-8,
                                   err_msg=type(schedule).__name__)


@pytest.mark.parametrize("schedule", [
    S.PolynomialDecay(0.1, 10, 0.01, power=2.0, cycle=True),
    S.CosineDecay(0.0, 20, alpha=0.1, warmup_target=0.2, warmup_steps=5),
    S.CosineDecayRestarts(0.1, 4, t_mul=1.5, m_mul=0.8, alpha=0.05),
    S.InverseTimeDecay(0.1, 5, 0.5, staircase=True)])
def test_serialization_round_trip(schedule):
    back = S.deserialize(S.serialize(schedule))
    assert type(back) is type(schedule) and back.get_config() == schedule.get_config()
    np.testing.assert_array_equal(values(back), values(schedule))
    opt = optimizers.Adam.from_config(optimizers.Adam(schedule).get_config())
    np.testing.assert_array_equal(values(opt._learning_rate), values(schedule))


def test_optimizer_follows_a_cosine_warmup():
    opt = optimizers.SGD(S.CosineDecay(0.0, 4, warmup_target=1.0, warmup_steps=2))
    w = Variable([0.0])
    for _ in range(6):  # rates 0, 0.5, 1, cos steps 0.8536, 0.5, 0.1464
        opt.apply_gradients([(np.array([1.0], np.float32), w)])
    expected = 0 + 0.5 + 1 + 0.5 * (1 + math.cos(math.pi / 4)) + 0.5 + 0.5 * (
        1 + math.cos(3 * math.pi / 4))
    assert w.numpy()[0] == pytest.approx(-expected, rel=1e-6)
