"""The tf.nn and tf.math namespaces: cross-entropy wrappers, in_top_k, dropout, extras."""

import numpy as np
import pytest

import myelin.math as tfmath
import myelin.nn as nn
import myelin.ops as ops
from myelin import backend
from myelin.autodiff import GradientTape, Variable, constant
from myelin.testing import gradcheck

LOGITS = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0]])
LABELS = np.array([0, 1])
RNG_X = np.random.default_rng(4).normal(size=(4, 3))


def _reference_loss():
    log_p = LOGITS - np.log(np.exp(LOGITS).sum(-1, keepdims=True))
    return -log_p[np.arange(2), LABELS]


def test_sparse_cross_entropy_keyword_and_positional():
    expected = _reference_loss()
    by_keyword = nn.sparse_softmax_cross_entropy_with_logits(labels=LABELS, logits=LOGITS)
    positional = nn.sparse_softmax_cross_entropy_with_logits(LABELS, LOGITS)
    np.testing.assert_allclose(by_keyword.numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(positional.numpy(), expected, rtol=1e-6)
    with pytest.raises(ValueError, match="pass both labels and logits"):
        nn.sparse_softmax_cross_entropy_with_logits(logits=LOGITS)


def test_sparse_cross_entropy_label_errors_name_the_function():
    with pytest.raises(ValueError, match=r"sparse_softmax_cross_entropy_with_logits: received a "
                                         r"label value of 3 which is outside the valid range "
                                         r"of \[0, 3\)"):
        nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 3], logits=LOGITS)


def test_dense_cross_entropy_and_its_axis():
    onehot = np.eye(3)[LABELS]
    out = nn.softmax_cross_entropy_with_logits(labels=onehot, logits=LOGITS)
    np.testing.assert_allclose(out.numpy(), _reference_loss(), rtol=1e-6)
    out0 = nn.softmax_cross_entropy_with_logits(onehot.T, LOGITS.T, axis=0)
    np.testing.assert_allclose(out0.numpy(), _reference_loss(), rtol=1e-6)
    assert gradcheck(lambda y, z: nn.softmax_cross_entropy_with_logits(y, z, axis=0),
                     onehot.T.copy(), LOGITS.T.copy())


def test_sigmoid_cross_entropy_matches_the_formula():
    z, x = np.array([0.0, 1.0, 0.3]), np.array([-2.0, 0.5, 3.0])
    out = nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x).numpy()
    p = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(out, -(z * np.log(p) + (1 - z) * np.log(1 - p)), rtol=1e-6)
    assert gradcheck(lambda a: nn.sigmoid_cross_entropy_with_logits(z, a), x)


def test_in_top_k_tf2_order_with_ties():
    targets = [0, 1, 3]
    predictions = [[1.2, -0.3, 2.8, 5.2], [0.1, 0.0, 0.0, 0.0], [0.0, 0.5, 0.3, 0.3]]
    out = tfmath.in_top_k(targets, predictions, 2)
    assert out.dtype == np.bool_ and out.numpy().tolist() == [False, True, True]


def test_in_top_k_tf1_order_as_in_seed_004():
    logits = constant([[0.1, 0.9, 0.0], [0.8, 0.1, 0.1]])
    y = constant([1, 2])
    assert nn.in_top_k(logits, y, 1).numpy().tolist() == [True, False]
    assert nn.in_top_k(y, logits, 1).numpy().tolist() == [True, False]
    assert nn.in_top_k(logits, y, 3).numpy().tolist() == [True, True]


def test_in_top_k_non_finite_and_out_of_range_are_false():
    predictions = [[np.nan, 1.0], [np.inf, 0.0], [1.0, 2.0]]
    assert tfmath.in_top_k([0, 0, 5], predictions, 2).numpy().tolist() == [False, False, False]


def test_in_top_k_errors():
    with pytest.raises(ValueError, match=r"in_top_k: expected targets of shape \(batch,\)"):
        tfmath.in_top_k([0, 1, 2], [[1.0, 2.0]], 1)
    with pytest.raises(TypeError, match="in_top_k: targets must be integers"):
        tfmath.in_top_k([0.0], [[1.0, 2.0]], 1)


def test_dropout_scales_kept_values_and_masks_the_gradient():
    backend.set_seed(0)
    x = Variable(np.ones((200, 50), np.float32))
    with GradientTape() as tape:
        y = nn.dropout(x, rate=0.25)
    out = y.numpy()
    assert set(np.unique(out)) == {0.0, np.float32(1 / 0.75)}
    assert abs((out == 0).mean() - 0.25) < 0.02
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), out)  # d(x*mask)/dx = mask


def test_dropout_noise_shape_rate_zero_and_errors():
    x = ops.ones([4, 6])
    rows = nn.dropout(x, 0.5, noise_shape=[4, 1]).numpy()
    assert all(len(set(r)) == 1 for r in rows)  # one decision per row
    assert nn.dropout(x, 0.0) is x
    with pytest.raises(ValueError, match=r"dropout: rate must be in \[0, 1\), received 1.0"):
        nn.dropout(x, 1.0)
    with pytest.raises(ValueError, match=r"dropout: noise_shape \(3, 1\) does not broadcast"):
        nn.dropout(x, 0.5, noise_shape=(3, 1))


def test_dropout_is_reproducible_from_the_library_seed():
    backend.set_seed(5)
    a = nn.dropout(ops.ones([10]), 0.5).numpy()
    backend.set_seed(5)
    np.testing.assert_array_equal(nn.dropout(ops.ones([10]), 0.5).numpy(), a)


def test_bias_add_and_l2_loss():
    x, b = RNG_X, np.array([1.0, -1.0, 0.5])
    np.testing.assert_allclose(nn.bias_add(constant(x), constant(b)).numpy(), x + b)
    assert gradcheck(nn.bias_add, x, b)
    with pytest.raises(ValueError, match=r"bias_add: bias must be 1-D .* bias of shape \(2,\) "
                                         r"for value of shape \(4, 3\)"):
        nn.bias_add(constant(x), constant([1.0, 2.0]))
    assert float(nn.l2_loss(constant([3.0, 4.0]))) == 12.5
    assert gradcheck(nn.l2_loss, x)


def test_embedding_lookup_in_nn():
    out = nn.embedding_lookup(constant([[1.0, 2.0], [3.0, 4.0]]), [1, 1])
    assert out.numpy().tolist() == [[3.0, 4.0], [3.0, 4.0]]


def test_variance_and_std():
    for axis in (None, 0, [1]):
        np_axis = None if axis is None else tuple(np.atleast_1d(axis))
        var = tfmath.reduce_variance(constant(RNG_X), axis=axis)
        np.testing.assert_allclose(var.numpy(), RNG_X.var(axis=np_axis), rtol=1e-5)
        std = tfmath.reduce_std(constant(RNG_X), axis=axis, keepdims=True)
        np.testing.assert_allclose(std.numpy(), RNG_X.std(axis=np_axis, keepdims=True),
                                   rtol=1e-5)
    assert gradcheck(lambda a: tfmath.reduce_variance(a, axis=0), RNG_X)
    assert gradcheck(lambda a: tfmath.reduce_std(a, axis=1), RNG_X)


def test_divide_no_nan():
    x, y = Variable([1.0, 2.0, 3.0]), Variable([2.0, 0.0, 4.0])
    with GradientTape() as tape:
        out = tfmath.divide_no_nan(x, y)
    assert out.numpy().tolist() == [0.5, 0.0, 0.75]
    gx, gy = tape.gradient(out, [x, y])
    np.testing.assert_allclose(gx.numpy(), [0.5, 0.0, 0.25])
    np.testing.assert_allclose(gy.numpy(), [-0.25, 0.0, -3 / 16])


def test_math_namespace_exports():
    for name in tfmath.__all__:
        assert callable(getattr(tfmath, name)), name
    assert tfmath.reduce_sum is ops.reduce_sum and tfmath.sigmoid is nn.sigmoid
    for name in nn.__all__:
        assert callable(getattr(nn, name)), name
