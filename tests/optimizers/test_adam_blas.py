"""Adam's moments go through one BLAS ``axpby`` pass each and its step through ``axpy``:
the numbers must stay those of Keras's formula (float64, by hand) to float32 rounding,
the NumPy fallback must agree with the BLAS path, and chunks are sized by the L2 cache."""

import numpy as np
import pytest

import myelin as my
from myelin import backend
from myelin.optimizers import adam, chunks


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_axpby_scales_and_adds_in_place(dtype):
    rng = np.random.default_rng(0)
    x, y = rng.standard_normal(10_000).astype(dtype), rng.standard_normal(10_000).astype(dtype)
    expected = 0.1 * x.astype(np.float64) + 0.9 * y.astype(np.float64)
    if not backend.axpby(0.1, x, 0.9, y):
        pytest.skip("this NumPy build's BLAS exposes no axpby")
    np.testing.assert_allclose(y, expected, rtol=1e-5 if dtype == np.float32 else 1e-12,
                               atol=1e-7)


_ONES = np.ones((40, 30), np.float32)


@pytest.mark.parametrize("x, y", [
    (_ONES.T, np.zeros((30, 40), np.float32)),  # not C-contiguous
    (_ONES, np.zeros((40, 30), np.float64)),  # dtype mismatch
    (_ONES, np.zeros(7, np.float32)),  # size mismatch
    (_ONES.astype(np.float16), np.zeros((40, 30), np.float16)),  # no half-precision axpby
    (_ONES, np.zeros((80, 30), np.float32)[::2]),  # a strided view
])
def test_axpby_refuses_what_it_cannot_take_and_leaves_it_untouched(x, y):
    assert backend.axpby(1.0, x, 0.5, y) is False
    assert not y.any()


def keras_adam(start, grads, lr=0.01, b1=0.9, b2=0.999, eps=1e-7):
    """Keras 3's Adam.update_step in float64: the formulas as Keras writes them."""
    w, m, v = start.astype(np.float64), np.zeros(start.shape), np.zeros(start.shape)
    for t, g in enumerate(grads, 1):
        alpha = lr * np.sqrt(1 - b2**t) / (1 - b1**t)
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        w -= m * alpha / (np.sqrt(v) + eps)
    return w, m, v


def test_adam_on_a_chunked_weight_follows_keras_formula():
    rng = np.random.default_rng(3)
    start = rng.standard_normal((300, 500)).astype(np.float32)  # 150 k: several chunks
    grads = [rng.standard_normal(start.shape).astype(np.float32) for _ in range(5)]
    w = my.Variable(start.copy())
    opt = my.optimizers.Adam(0.01)
    opt.chunk_size = 65536
    for g in grads:
        opt.apply_gradients([(my.constant(g), w)])
    expected_w, expected_m, expected_v = keras_adam(start, grads)
    assert np.abs(w.numpy() - start).max() > 0.04  # five steps of ~lr did move it
    np.testing.assert_allclose(w.numpy(), expected_w, rtol=2e-6, atol=1e-6)
    m, v = (opt.slot(w, name) for name in ("momentum", "velocity"))
    np.testing.assert_allclose(m, expected_m, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(v, expected_v, rtol=1e-5, atol=1e-9)


def test_numpy_fallback_gives_the_blas_path_numbers(monkeypatch):
    rng = np.random.default_rng(4)
    start = rng.standard_normal((200, 300)).astype(np.float32)
    grads = [rng.standard_normal(start.shape).astype(np.float32) for _ in range(4)]
    results = []
    for blas in (True, False):
        if not blas:  # a NumPy build without OpenBLAS's level-1 routines
            monkeypatch.setattr(backend, "axpby", lambda *a: False)
            monkeypatch.setattr(backend, "axpy", lambda *a: False)
        w = my.Variable(start.copy())
        opt = my.optimizers.Adam(0.01)
        for g in grads:
            opt.apply_gradients([(my.constant(g), w)])
        results.append(w.numpy())
    np.testing.assert_allclose(results[0], results[1], rtol=1e-6, atol=1e-7)


def test_update_moments_on_a_transposed_gradient_matches_a_copy():
    rng = np.random.default_rng(5)
    grad = rng.standard_normal((30, 20)).astype(np.float32).T  # not C-contiguous
    outs = []
    for g in (grad, np.ascontiguousarray(grad)):
        m, v, tmp = np.full((20, 30), 0.5, np.float32), np.ones((20, 30), np.float32), \
            np.empty((20, 30), np.float32)
        adam.update_moments(g, m, v, tmp, 0.9, 0.999)
        outs.append((m, v))
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_allclose(outs[0][0], 0.45 + 0.1 * grad, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("l2, expected", [
    (2 * 2**20, 65536),  # Intel Xeon (Sapphire Rapids): 2 MB a core
    (2**20, 32768),
    (512 * 2**10, 16384),  # AMD EPYC Zen 2/3
    (64 * 2**10, 8192),  # never below 8 K: the Python cost per chunk
    (32 * 2**20, 131072),  # never above 128 K
    (0, 8192),
])
def test_chunk_size_follows_the_l2_cache(l2, expected):
    assert chunks.chunk_size_for(l2) == expected


@pytest.mark.parametrize("text, expected", [("2048K\n", 2 * 2**20), ("1M", 2**20),
                                            ("garbage", 2**20)])
def test_l2_size_is_read_from_sysfs_text(tmp_path, text, expected):
    path = tmp_path / "size"
    path.write_text(text)
    assert chunks._l2_bytes(str(path)) == expected
    assert chunks._l2_bytes(str(tmp_path / "missing")) == 2**20
