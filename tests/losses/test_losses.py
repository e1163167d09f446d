"""Losses: Keras-documented values, hand computations, shapes, gradients, lookup."""

import numpy as np
import pytest

from myelin import losses
from myelin.autodiff import GradientTape, Variable
from myelin.testing import gradcheck

Y2 = np.array([[0, 1], [0, 0]])
LOGITS2 = np.array([[-18.6, 0.51], [2.94, -12.8]])
ONEHOT = np.array([[0, 1, 0], [0, 0, 1]])
PROBS = np.array([[0.05, 0.95, 0], [0.1, 0.8, 0.1]])


def value(t):
    return np.asarray(t.numpy(), dtype=np.float64)


def test_binary_crossentropy_keras_docstring_values():
    bce = losses.BinaryCrossentropy(from_logits=True)
    assert float(bce(Y2, LOGITS2)) == pytest.approx(0.8654, abs=1e-4)
    assert float(bce(Y2, LOGITS2, sample_weight=[0.8, 0.2])) == pytest.approx(0.243, abs=1e-3)
    assert float(losses.BinaryCrossentropy(from_logits=True, reduction="sum")(Y2, LOGITS2)) \
        == pytest.approx(1.730, abs=1e-3)
    per_sample = losses.BinaryCrossentropy(from_logits=True, reduction=None)(Y2, LOGITS2)
    np.testing.assert_allclose(value(per_sample), [0.235, 1.496], atol=1e-3)
    probs = losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    np.testing.assert_allclose(value(probs), [0.916, 0.714], atol=1e-3)


def test_categorical_and_sparse_keras_docstring_values():
    for loss, labels in ((losses.CategoricalCrossentropy, ONEHOT),
                         (losses.SparseCategoricalCrossentropy, np.array([1, 2]))):
        assert float(loss()(labels, PROBS)) == pytest.approx(1.177, abs=1e-3)
        assert float(loss()(labels, PROBS, sample_weight=np.array([0.3, 0.7]))) == \
            pytest.approx(0.814, abs=1e-3)
        assert float(loss(reduction="sum")(labels, PROBS)) == pytest.approx(2.354, abs=1e-3)
        np.testing.assert_allclose(value(loss(reduction=None)(labels, PROBS)),
                                   [0.0513, 2.303], atol=1e-3)


def test_regression_losses_by_hand():
    assert float(losses.MeanSquaredError()([1.0, 0.0, 1.0], [0.9, 0.1, 0.8])) == \
        pytest.approx(0.02, abs=1e-6)
    y, p = np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
    np.testing.assert_allclose(value(losses.mean_absolute_error(y, p)), [0.5, 0.5])
    np.testing.assert_allclose(value(losses.mean_squared_error(y, p * 3)), [6.5, 4.5])
    # Huber: |e| = 0.6, 0.6 -> 0.18 ; 0.4, 0.6 -> (0.08 + 0.18) / 2 = 0.13
    h = losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])
    np.testing.assert_allclose(value(h), [0.18, 0.13], atol=1e-6)
    assert float(losses.Huber()([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])) == \
        pytest.approx(0.155, abs=1e-6)
    # beyond delta: delta * |e| - delta^2 / 2 = 0.5 * 3 - 0.125
    assert float(losses.Huber(delta=0.5)([[0.0]], [[3.0]])) == pytest.approx(1.375)


def test_label_smoothing_by_hand():
    # binary: labels 1 -> 0.95, 0 -> 0.05 with smoothing 0.1
    got = losses.binary_crossentropy([[1.0, 0.0]], [[0.7, 0.2]], label_smoothing=0.1)
    want = -np.mean([0.95 * np.log(0.7) + 0.05 * np.log(0.3),
                     0.05 * np.log(0.2) + 0.95 * np.log(0.8)])
    assert float(got[0]) == pytest.approx(want, rel=1e-5)
    # categorical: 0.1 / 3 off-target, 0.9 + 0.1 / 3 on target
    got = losses.categorical_crossentropy([[0, 1, 0]], [[0.2, 0.7, 0.1]], label_smoothing=0.1)
    t = np.array([0.1 / 3, 0.9 + 0.1 / 3, 0.1 / 3])
    assert float(got[0]) == pytest.approx(-np.sum(t * np.log([0.2, 0.7, 0.1])), rel=1e-5)


def test_probabilities_are_clipped_like_keras():
    # -log(1 - float32(1 - 1e-7)) = 15.942 and -log(1e-7) = 16.118, averaged
    got = value(losses.binary_crossentropy([[0.0, 1.0]], [[1.0, 0.0]]))
    assert got[0] == pytest.approx((15.9424 + 16.1181) / 2, abs=1e-3)
    # categorical probabilities are normalized to sum 1 before the log
    a = losses.categorical_crossentropy([[0, 1]], [[1.0, 3.0]])
    assert float(a[0]) == pytest.approx(-np.log(0.75), rel=1e-6)


def test_from_logits_matches_probabilities():
    z = np.array([[0.3, -1.2, 2.0], [1.0, 0.5, -0.5]], dtype=np.float32)
    p = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    for fn, y in ((losses.categorical_crossentropy, ONEHOT),
                  (losses.sparse_categorical_crossentropy, [1, 2])):
        np.testing.assert_allclose(value(fn(y, z, from_logits=True)), value(fn(y, p)),
                                   rtol=1e-5)
    s = 1 / (1 + np.exp(-z))
    np.testing.assert_allclose(
        value(losses.binary_crossentropy(ONEHOT, z, from_logits=True)),
        value(losses.binary_crossentropy(ONEHOT, s)), rtol=1e-5)


def test_shapes_n_against_n_by_1_line_up():
    y = np.array([1.0, 0.0, 1.0, 0.0])
    p = np.array([[0.8], [0.3], [0.4], [0.1]])
    for name in ("mae", "mse", "binary_crossentropy", "huber"):
        loss = losses.get(name)
        assert float(loss(y, p)) == pytest.approx(float(loss(y[:, None], p)), rel=1e-6)
    assert float(losses.get("mae")(y, p)) == pytest.approx(np.mean(np.abs(y - p[:, 0])),
                                                           rel=1e-6)
    sparse = losses.SparseCategoricalCrossentropy()
    assert float(sparse([[1], [2]], PROBS)) == pytest.approx(float(sparse([1, 2], PROBS)))


def test_shape_errors_name_loss_and_shapes():
    with pytest.raises(ValueError, match=r"categorical_crossentropy.*\(2, 3\).*\(2,\).*sparse"):
        losses.CategoricalCrossentropy()(np.array([1, 2]), PROBS)
    with pytest.raises(ValueError, match=r"mean_squared_error.*\(3, 2\).*\(3, 4\)"):
        losses.mean_squared_error(np.zeros((3, 2)), np.zeros((3, 4)))
    with pytest.raises(ValueError, match="outside the valid range"):
        losses.sparse_categorical_crossentropy([0, 3], PROBS)
    with pytest.raises(ValueError, match="reduction must be one of"):
        losses.MeanSquaredError(reduction="avg")


def test_reductions():
    values = np.array([[1.0], [3.0]])
    mse = losses.MeanSquaredError
    assert float(mse(reduction="mean_with_sample_weight")(np.zeros((2, 1)), values,
                                                          sample_weight=[1.0, 3.0])) == \
        pytest.approx((1 + 27) / 4)
    assert float(mse()(np.zeros((2, 1)), values, sample_weight=[1.0, 3.0])) == \
        pytest.approx((1 + 27) / 2)


@pytest.mark.parametrize("fn, y, p", [
    (losses.mean_absolute_error, [[0.0, 1.0], [2.0, 0.0]], [[0.3, 0.6], [1.1, -0.4]]),
    (losses.mean_squared_error, [[0.0, 1.0], [2.0, 0.0]], [[0.3, 0.6], [1.1, -0.4]]),
    (losses.huber, [[0.0, 1.0], [2.0, 0.0]], [[0.3, 0.6], [0.4, -0.4]]),
    (losses.binary_crossentropy, [[0.0, 1.0], [1.0, 0.0]], [[0.3, 0.6], [0.8, 0.2]]),
    (losses.categorical_crossentropy, ONEHOT, [[0.2, 0.5, 0.3], [0.1, 0.3, 0.6]]),
    (losses.sparse_categorical_crossentropy, np.array([1, 2]), [[0.2, 0.5, 0.3],
                                                                [0.1, 0.3, 0.6]]),
])
def test_gradients_match_finite_differences(fn, y, p):
    assert gradcheck(lambda pred: fn(y, pred), np.array(p))


@pytest.mark.parametrize("fn, y", [
    (losses.binary_crossentropy, [[0.0, 1.0], [1.0, 0.0]]),
    (losses.categorical_crossentropy, [[0, 1.0], [1.0, 0]]),
    (losses.sparse_categorical_crossentropy, np.array([1, 0])),
])
def test_logit_gradients_match_finite_differences(fn, y):
    assert gradcheck(lambda z: fn(y, z, from_logits=True), np.array([[0.4, -1.1], [2.0, 0.3]]))


def test_gradient_of_reduced_loss_flows_to_weights():
    w = Variable([[0.5], [-0.25]])
    x = np.array([[1.0, 2.0], [3.0, 1.0]], dtype=np.float32)
    y = np.array([1.0, 0.0])
    with GradientTape() as tape:
        loss = losses.MeanSquaredError()(y, x @ w)
    # d/dw mean((xw - y)^2) = 2/n * x^T (xw - y)
    residual = x @ w.numpy() - y[:, None]
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), x.T @ residual, rtol=1e-6)


def test_get_and_attributes():
    mae = losses.get("mae")
    assert mae.name == "mae" and mae.fn is losses.mean_absolute_error
    assert losses.get("mean_absolute_error").name == "mean_absolute_error"
    scce = losses.get("sparse_categorical_crossentropy")
    assert scce.fn is losses.sparse_categorical_crossentropy and scce.from_logits is False
    assert isinstance(losses.get("BinaryCrossentropy"), losses.BinaryCrossentropy)
    assert isinstance(losses.get(losses.Huber), losses.Huber)
    inst = losses.CategoricalCrossentropy(from_logits=True)
    assert losses.get(inst) is inst and inst.from_logits is True
    assert losses.get(losses.mae).fn is losses.mean_absolute_error
    assert inst.get_config() == {"name": "categorical_crossentropy", "reduction":
                                 "sum_over_batch_size", "from_logits": True,
                                 "label_smoothing": 0.0, "axis": -1}
    with pytest.raises(ValueError, match="Did you mean 'mean_squared_error'"):
        losses.get("mean_squared_eror")


def test_serialize_round_trip():
    for loss in (losses.get("mse"), losses.BinaryCrossentropy(from_logits=True),
                 losses.Huber(delta=2.0)):
        back = losses.deserialize(losses.serialize(loss))
        assert type(back) is type(loss) and back.get_config() == loss.get_config()
