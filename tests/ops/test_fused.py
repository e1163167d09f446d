"""Fused kernels: dense, cross-entropies and embedding lookup against finite differences."""

import numpy as np
import pytest

import myelin.nn as nn
from myelin.autodiff import GradientTape, Variable, constant
from myelin.ops.fused import (
    FUSED_ACTIVATIONS,
    dense,
    embedding_lookup,
    sigmoid_cross_entropy,
    softmax_cross_entropy,
)
from myelin.testing import gradcheck

RNG = np.random.default_rng(3)


@pytest.mark.parametrize("activation", sorted(FUSED_ACTIVATIONS))
@pytest.mark.parametrize("with_bias", [True, False])
@pytest.mark.parametrize("x_shape", [(5, 3), (2, 4, 3)])
def test_dense_gradients(activation, with_bias, x_shape):
    x, kernel, bias = RNG.normal(size=x_shape), RNG.normal(size=(3, 4)), RNG.normal(size=4)
    if with_bias:
        assert gradcheck(lambda a, k, b: dense(a, k, b, activation=activation), x, kernel, bias)
    else:
        assert gradcheck(lambda a, k: dense(a, k, activation=activation), x, kernel)


def test_dense_value():
    x, kernel, bias = RNG.normal(size=(5, 3)), RNG.normal(size=(3, 4)), RNG.normal(size=4)
    out = dense(constant(x), constant(kernel), constant(bias), activation="relu")
    np.testing.assert_allclose(out.numpy(), np.maximum(x @ kernel + bias, 0))


def test_sparse_softmax_cross_entropy_value_and_gradient():
    logits, labels = RNG.normal(size=(4, 5)), np.array([0, 4, 4, 2])
    loss = softmax_cross_entropy(labels, constant(logits), sparse=True).numpy()
    log_p = logits - np.log(np.exp(logits).sum(-1, keepdims=True))
    np.testing.assert_allclose(loss, -log_p[np.arange(4), labels])
    assert gradcheck(lambda z: softmax_cross_entropy(labels, z, sparse=True), logits)
    assert gradcheck(lambda z: softmax_cross_entropy(labels[:3].reshape(3, 1), z, sparse=True),
                     RNG.normal(size=(3, 1, 5)))


def test_dense_softmax_cross_entropy_gradient_in_logits_and_labels():
    logits = RNG.normal(size=(3, 4))
    labels = RNG.dirichlet(np.ones(4), size=3)
    assert gradcheck(lambda z, y: softmax_cross_entropy(y, z), logits, labels)
    unnormalized = RNG.uniform(0.1, 1.0, (3, 4))  # rows not summing to 1 still check
    assert gradcheck(lambda z, y: softmax_cross_entropy(y, z), logits, unnormalized)


def test_sigmoid_cross_entropy_gradient_in_logits_and_labels():
    logits, labels = RNG.normal(size=(3, 4)), RNG.uniform(size=(3, 4))
    assert gradcheck(lambda z, y: sigmoid_cross_entropy(y, z), logits, labels)


def test_embedding_lookup_with_repeated_indices():
    table = RNG.normal(size=(5, 3))
    ids = np.array([[1, 4, 1], [1, 0, 0]])
    assert gradcheck(lambda p: embedding_lookup(p, ids), table)
    w = Variable(table)
    with GradientTape() as tape:
        y = embedding_lookup(w, ids)
    np.testing.assert_array_equal(tape.gradient(y, w).numpy()[:, 0], [2, 3, 0, 0, 1])


def test_embedding_gradient_from_a_feature_major_upstream_gradient():
    """An LSTM hands the Embedding its input gradient as a feature-major view; the
    scatter then walks each feature's contiguous run, with the same sums."""
    from myelin.ops.fused import EmbeddingLookup, _feature_major_order

    ids = RNG.integers(0, 7, size=(4, 6))
    grad = RNG.normal(size=(3, 6, 4)).transpose(2, 1, 0)  # (batch, steps, features) view
    assert _feature_major_order(grad, 2, 3) == (1, 0)
    assert _feature_major_order(np.ascontiguousarray(grad), 2, 3) is None
    assert _feature_major_order(grad[:, ::-1], 2, 3) is None  # go_backwards' view
    op = EmbeddingLookup(ids)
    op.forward(RNG.normal(size=(7, 3)))
    want = np.zeros((7, 3))
    np.add.at(want, ids, np.ascontiguousarray(grad))
    np.testing.assert_allclose(op.backward(grad), want, atol=1e-12)
    np.testing.assert_allclose(op.backward(grad[:, ::-1]), op.backward(
        np.ascontiguousarray(grad[:, ::-1])), atol=1e-12)


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    logits = Variable([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, 1000.0]])
    for sparse, labels in [(True, np.array([1, 2])), (False, np.eye(3, dtype=np.float32)[[1, 2]])]:
        with GradientTape() as tape:
            loss = softmax_cross_entropy(labels, logits, sparse=sparse)
        np.testing.assert_allclose(loss.numpy(), [2000.0, 0.0])
        g = tape.gradient(loss, logits).numpy()
        assert np.all(np.isfinite(g))
        np.testing.assert_allclose(g, _softmax(logits.numpy()) - np.eye(3)[[1, 2]], atol=1e-6)


def test_sigmoid_cross_entropy_is_stable_for_huge_logits():
    logits = Variable([1000.0, -1000.0, 1000.0, -1000.0])
    labels = np.array([1.0, 0.0, 0.0, 1.0], np.float32)
    with GradientTape() as tape:
        loss = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits)
    np.testing.assert_allclose(loss.numpy(), [0.0, 0.0, 1000.0, 1000.0])
    g = tape.gradient(loss, logits).numpy()
    np.testing.assert_array_equal(g, [0.0, 0.0, 1.0, -1.0])  # p - y with p in {0, 1}


def test_embedding_gradient_through_average_pooling_matches_finite_differences():
    """The pooled path receives a gradient broadcast along the sequence axis."""
    from myelin.layers.pooling.global_average_pooling1d import _MaskedMean

    ids = np.array([[1, 3, 3, 0], [2, 2, 2, 4]])
    table = np.random.default_rng(3).normal(size=(5, 3))
    assert gradcheck(
        lambda t: _MaskedMean.apply(embedding_lookup(t, ids), axis=1, weights=None,
                                    keepdims=False),
        table,
    )
