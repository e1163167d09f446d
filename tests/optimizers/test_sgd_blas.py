"""Plain SGD updates large variables with one BLAS axpy (``backend.axpy``): the numbers
must be those of Keras's ``w -= lr * g``, and anything axpy cannot take falls back."""

import numpy as np
import pytest

import myelin as my
from myelin import backend


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_axpy_adds_a_scaled_array_in_place(dtype):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(10_000).astype(dtype), rng.standard_normal(10_000).astype(dtype)
    expected = y.astype(np.float64) - 0.25 * x.astype(np.float64)
    before = y.copy()
    if not backend.axpy(-0.25, x, y):
        pytest.skip("this NumPy build's BLAS exposes no axpy")
    assert not np.array_equal(y, before)
    np.testing.assert_allclose(y, expected, rtol=1e-6 if dtype == np.float32 else 1e-12)


def test_axpy_refuses_what_it_cannot_take_and_leaves_it_untouched():
    x = np.ones((40, 30), np.float32)
    for args in [(x.T, np.zeros((30, 40), np.float32)),  # not C-contiguous
                 (x, np.zeros((40, 30), np.float64)),  # dtype mismatch
                 (x, np.zeros(7, np.float32)),  # size mismatch
                 (x.astype(np.float16), np.zeros((40, 30), np.float16))]:  # no half axpy
        y = args[1]
        assert backend.axpy(1.0, args[0], y) is False
        assert not y.any()
    frozen = np.zeros((40, 30), np.float32)
    frozen.flags.writeable = False
    assert backend.axpy(1.0, x, frozen) is False


def test_plain_sgd_on_a_large_weight_matches_keras_rule():
    rng = np.random.default_rng(1)
    start = rng.standard_normal((300, 100)).astype(np.float32)  # above the axpy threshold
    grads = [rng.standard_normal(start.shape).astype(np.float32) for _ in range(3)]
    w = my.Variable(start.copy())
    opt = my.optimizers.SGD(0.05)
    expected = start.astype(np.float64)
    for g in grads:
        opt.apply_gradients([(my.constant(g), w)])
        expected -= 0.05 * g
    np.testing.assert_allclose(w.numpy(), expected, rtol=1e-5, atol=1e-6)
    assert int(opt.iterations.numpy()) == 3
    # the same steps on a transposed (non-contiguous) gradient take the NumPy path
    w2 = my.Variable(start.T.copy())
    opt2 = my.optimizers.SGD(0.05)
    for g in grads:
        opt2.apply_gradients([(g.T, w2)])
    np.testing.assert_allclose(w2.numpy(), expected.T, rtol=1e-5, atol=1e-6)


def test_plain_sgd_keeps_weight_decay_clipping_and_constraints():
    rng = np.random.default_rng(2)
    start = rng.standard_normal((128, 128)).astype(np.float32)
    g = rng.standard_normal(start.shape).astype(np.float32)
    w = my.Variable(start.copy())
    w.constraint = my.constraints.NonNeg()  # what Layer.add_weight sets
    opt = my.optimizers.SGD(0.1, weight_decay=0.01, clipnorm=1.0)
    opt.apply_gradients([(my.constant(g), w)])
    decayed = start.astype(np.float64) * (1 - 0.01 * 0.1)
    clipped = g / max(np.linalg.norm(g.astype(np.float64)), 1.0)
    np.testing.assert_allclose(w.numpy(), np.maximum(decayed - 0.1 * clipped, 0), atol=1e-6)


def test_axpy_restores_the_callers_blas_thread_count():
    x, y = np.ones(20_000, np.float32), np.zeros(20_000, np.float32)
    if not backend.axpy(1.0, x, y):
        pytest.skip("this NumPy build's BLAS exposes no axpy")
    threads = backend._axpy["threads"]  # openblas_set_num_threads_local: returns the old count
    previous = threads(3)
    assert backend.axpy(1.0, x, y)  # runs on one thread, then puts 3 back
    assert threads(previous) == 3
    np.testing.assert_array_equal(y, 2.0)
