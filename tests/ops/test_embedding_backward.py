"""The embedding gradient scatters two float columns at a time as one complex column:
the sums must be exactly those of a plain per-row ``np.add.at``, for every width,
dtype and both backward branches (a full gradient, and the sequence-constant
gradient of an average pooling)."""

import numpy as np
import pytest

from myelin.ops.fused import EmbeddingLookup


def _reference(table_shape, ids, grad):
    out = np.zeros(table_shape, dtype=grad.dtype)
    np.add.at(out, ids.reshape(-1), grad.reshape((-1, *table_shape[1:])))
    return out


def _backward(table, ids, grad):
    op = EmbeddingLookup(ids)
    op.forward(table)
    return op.backward(grad)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("width", [1, 6, 7])
def test_full_gradient_matches_per_row_scatter_add(dtype, width):
    rng = np.random.default_rng(width)
    table = rng.standard_normal((13, width)).astype(dtype)
    ids = rng.integers(0, 13, (9, 11))
    ids[:, :4] = 0  # many repeats of one row, as padding gives
    grad = rng.standard_normal((9, 11, width)).astype(dtype)
    got = _backward(table, ids, grad)
    assert got.dtype == dtype and got.shape == table.shape
    np.testing.assert_array_equal(got, _reference(table.shape, ids, grad))
    assert got[0].any()


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("width", [16, 5])
def test_pooling_gradient_matches_per_row_scatter_add(dtype, width):
    rng = np.random.default_rng(width + 1)
    table = rng.standard_normal((50, width)).astype(dtype)
    ids = rng.integers(0, 50, (8, 30))
    per_sample = rng.standard_normal((8, 1, width)).astype(dtype)
    grad = np.broadcast_to(per_sample, (8, 30, width))  # what average pooling hands back
    assert grad.strides[1] == 0
    got = _backward(table, ids, grad)
    np.testing.assert_array_equal(got, _reference(table.shape, ids, np.ascontiguousarray(grad)))


def test_multi_dimensional_rows_and_transposed_gradient():
    rng = np.random.default_rng(3)
    table = rng.standard_normal((7, 2, 3)).astype(np.float32)  # width 6 over two axes
    ids = rng.integers(0, 7, 10)
    grad = np.asfortranarray(rng.standard_normal((10, 2, 3)).astype(np.float32))
    got = _backward(table, ids, grad)
    np.testing.assert_array_equal(got, _reference(table.shape, ids, np.ascontiguousarray(grad)))
