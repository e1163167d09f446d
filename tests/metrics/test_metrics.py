"""Metrics: stateful accumulation against NumPy, Keras-documented values, and the
compile-time resolution of "accuracy"."""

import numpy as np
import pytest

from myelin import losses, metrics
from myelin.autodiff import Tensor, constant


def test_mean_accumulates_weighted_values_across_batches():
    m = metrics.Mean()
    rng = np.random.default_rng(0)
    batches = [(rng.normal(size=7), rng.uniform(size=7)) for _ in range(5)]
    for values, weights in batches:
        m.update_state(values, sample_weight=weights)
    v = np.concatenate([b[0] for b in batches])
    w = np.concatenate([b[1] for b in batches])
    assert float(m.result()) == pytest.approx(np.sum(v * w) / np.sum(w), rel=1e-6)
    m.reset_state()
    assert float(m.result()) == 0.0
    m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
    assert float(m.result()) == 2.0


def test_result_is_a_float32_scalar_tensor():
    m = metrics.Mean()
    m.update_state([1.0, 2.0])
    result = m.result()
    assert isinstance(result, Tensor) and result.shape == () and result.dtype == np.float32
    assert result.numpy() == 1.5


def test_accuracy_classes_keras_values():
    assert float(metrics.BinaryAccuracy()([[1], [1], [0], [0]],
                                          [[0.98], [1], [0], [0.6]])) == 0.75
    assert float(metrics.BinaryAccuracy(threshold=0.7)([[1], [0]], [[0.65], [0.6]])) == 0.5
    sparse = metrics.SparseCategoricalAccuracy()
    assert float(sparse([[2], [1]], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]])) == 0.5
    assert float(metrics.SparseCategoricalAccuracy()([2, 1], [[0.1, 0.6, 0.3],
                                                              [0.05, 0.95, 0]])) == 0.5
    cat = metrics.CategoricalAccuracy()
    assert float(cat([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]])) == 0.5
    acc = metrics.Accuracy()
    assert float(acc([[1], [2], [3], [4]], [[0], [2], [3], [4]])) == 0.75
    # weighted: the second (wrong) sample weighs 3
    w = metrics.BinaryAccuracy()
    w.update_state([1, 0], [0.9, 0.9], sample_weight=[1.0, 3.0])
    assert float(w.result()) == 0.25


def test_top_k_accuracies():
    pred = np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0.0]])
    assert float(metrics.TopKCategoricalAccuracy(k=1)([[0, 0, 1], [0, 1, 0]], pred)) == 0.5
    assert float(metrics.TopKCategoricalAccuracy(k=2)([[0, 0, 1], [0, 1, 0]], pred)) == 1.0
    assert float(metrics.SparseTopKCategoricalAccuracy(k=1)([2, 1], pred)) == 0.5
    assert float(metrics.SparseTopKCategoricalAccuracy(k=2)([[2], [1]], pred)) == 1.0
    # a tie at the boundary counts as inside the top k, as tf.math.in_top_k says
    assert metrics.sparse_top_k_categorical_accuracy([0], [[0.5, 0.5, 0.1]], k=1)[0] == 1.0
    assert metrics.TopKCategoricalAccuracy().k == 5


def test_regression_metrics_match_numpy_over_batches():
    rng = np.random.default_rng(1)
    mae, mse = metrics.MeanAbsoluteError(), metrics.MeanSquaredError()
    ys, ps = [], []
    for _ in range(4):
        y, p = rng.normal(size=(6, 3)), rng.normal(size=(6, 3)).astype(np.float32)
        mae.update_state(y, constant(p))
        mse.update_state(y, p)
        ys.append(y)
        ps.append(p)
    y, p = np.concatenate(ys), np.concatenate(ps)
    assert float(mae.result()) == pytest.approx(np.abs(y - p).mean(), rel=1e-5)
    assert float(mse.result()) == pytest.approx(np.square(y - p).mean(), rel=1e-5)
    # (n,) labels against (n, 1) predictions line up instead of broadcasting
    assert float(metrics.MeanAbsoluteError()([1.0, 2.0], [[1.5], [2.5]])) == 0.5


def test_function_forms():
    np.testing.assert_array_equal(metrics.binary_accuracy([1, 1, 0, 0], [0.98, 1, 0, 0.6]),
                                  [1, 1, 1, 0])
    np.testing.assert_array_equal(
        metrics.sparse_categorical_accuracy([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]), [0, 1])
    np.testing.assert_allclose(metrics.mean_absolute_error([[0, 1], [0, 0]],
                                                           [[1, 1], [0, 0]]), [0.5, 0.0])


@pytest.mark.parametrize("loss, output_shape, expected", [
    ("binary_crossentropy", None, metrics.BinaryAccuracy),
    (losses.BinaryCrossentropy(from_logits=True), (None, 4), metrics.BinaryAccuracy),
    ("sparse_categorical_crossentropy", (None, 10), metrics.SparseCategoricalAccuracy),
    (losses.SparseCategoricalCrossentropy, None, metrics.SparseCategoricalAccuracy),
    ("categorical_crossentropy", (None, 10), metrics.CategoricalAccuracy),
    (losses.categorical_crossentropy, None, metrics.CategoricalAccuracy),
    ("mse", (None, 1), metrics.BinaryAccuracy),
])
def test_accuracy_resolves_from_loss_and_output(loss, output_shape, expected):
    for name in ("accuracy", "acc"):
        m = metrics.get(name, loss=loss, output_shape=output_shape)
        assert type(m) is expected and m.name == name


def test_accuracy_without_hints_uses_keras3_shape_rule():
    pred = np.array([[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]])
    sparse = metrics.get("accuracy")
    assert float(sparse([1, 1], pred)) == 0.5  # labels of lower rank: sparse categorical
    onehot = metrics.get("accuracy")
    assert float(onehot([[0, 1, 0], [0, 0, 1]], pred)) == 0.5  # same shape: categorical
    binary = metrics.get("accuracy")
    assert float(binary([[1], [0]], [[0.7], [0.6]])) == 0.5  # one unit: binary


def test_get_names_like_keras_history():
    assert isinstance(metrics.get("mae"), metrics.MeanAbsoluteError)
    assert metrics.get("mae").name == "mae"
    assert metrics.get("mean_squared_error").name == "mean_squared_error"
    assert isinstance(metrics.get("binary_accuracy"), metrics.BinaryAccuracy)
    assert metrics.get(metrics.MeanSquaredError).name == "mean_squared_error"
    inst = metrics.BinaryAccuracy(name="bin")
    assert metrics.get(inst) is inst
    m = metrics.get("binary_crossentropy")
    assert m.name == "binary_crossentropy"
    assert float(m([[1.0], [0.0]], [[0.5], [0.5]])) == pytest.approx(np.log(2), rel=1e-6)

    def my_error(y_true, y_pred):
        return np.abs(y_true - y_pred)

    assert metrics.get(my_error).name == "my_error"
    from_loss = metrics.get(losses.MeanSquaredError())
    assert from_loss.name == "mean_squared_error"
    assert float(from_loss([[0.0], [0.0]], [[1.0], [3.0]])) == 5.0


def test_unknown_metric_suggests_closest():
    with pytest.raises(ValueError, match="Did you mean 'accuracy'"):
        metrics.get("accuracyy")
    with pytest.raises(ValueError, match="Could not interpret"):
        metrics.get(None)


def test_config_round_trip_and_direction():
    m = metrics.TopKCategoricalAccuracy(k=3, name="top3")
    back = metrics.deserialize(metrics.serialize(m))
    assert back.k == 3 and back.name == "top3"
    assert metrics.BinaryAccuracy(threshold=0.3).get_config() == {
        "name": "binary_accuracy", "dtype": "float32", "threshold": 0.3}
    assert metrics.BinaryAccuracy._direction == "up"
    assert metrics.MeanAbsoluteError._direction == "down"
