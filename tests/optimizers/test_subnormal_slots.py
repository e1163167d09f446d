"""Optimizer slots never stay subnormal (they slow every later pass on Intel CPUs)."""

import numpy as np
import pytest

from myelin import optimizers
from myelin.autodiff import Variable
from myelin.optimizers import optimizer as base
from myelin.optimizers.subnormal import FLUSH_EVERY, flush_subnormals


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_flush_zeroes_subnormals_and_keeps_every_normal_number(dtype):
    info = np.finfo(dtype)
    normal = np.array([info.tiny, -info.tiny, 1.0, -2.5, info.max, 0.0], dtype)
    subnormal = np.array([info.tiny / 2, -info.tiny / 4, info.smallest_subnormal], dtype)
    a = np.concatenate([normal, subnormal])
    flush_subnormals(a)
    assert a[:6].tobytes() == normal.tobytes()  # bit for bit
    assert np.all(a[6:] == 0)


def test_flush_leaves_integer_arrays_alone():
    a = np.array([0, 1, -3])
    flush_subnormals(a)
    assert a.tolist() == [0, 1, -3]


def _adam_after_zero_gradients(steps):
    """Adam on one weight that gets one gradient, then ``steps - 1`` zero gradients: its
    first moment decays by 0.9 a step, into float32's subnormal range after ~830."""
    w = Variable(np.ones(3, np.float32))
    opt = optimizers.Adam(learning_rate=1e-3)
    opt.apply([np.ones(3, np.float32)], [w])
    for _ in range(steps - 1):
        opt.apply([np.zeros(3, np.float32)], [w])
    return opt.slot(w, "momentum"), w


def test_adam_moments_of_zero_gradients_are_flushed_not_subnormal():
    steps = 848  # a multiple of FLUSH_EVERY; 0.1 * 0.9**847 ~ 1.7e-40 is subnormal
    assert steps % FLUSH_EVERY == 0
    m, w = _adam_after_zero_gradients(steps)
    assert np.all(m == 0)
    assert np.all(np.isfinite(w.numpy())) and np.all(w.numpy() < 1)


def test_without_the_flush_the_same_moments_would_be_subnormal(monkeypatch):
    monkeypatch.setattr(base, "FLUSH_EVERY", 10**9)  # the check above can fail
    m, _ = _adam_after_zero_gradients(848)
    tiny = np.finfo(np.float32).tiny
    assert np.all((m != 0) & (np.abs(m) < tiny))
