"""Edge cases where myelin must match TensorFlow/Keras exactly: gradients at ties and at
clipped probabilities, metric thresholds, label shapes, id bounds, validation rows."""

import numpy as np
import pytest

import myelin as tf
from myelin.models import data_adapter


def test_maximum_and_minimum_give_the_gradient_to_the_first_argument_at_ties():
    a = tf.Variable([1.0, 2.0, 3.0])
    b = tf.Variable([1.0, 3.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        high, low = tf.maximum(a, b), tf.minimum(a, b)
    # TF: maximum's gradient goes to x where x >= y, minimum's where x <= y.
    np.testing.assert_array_equal(tape.gradient(high, a).numpy(), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(tape.gradient(high, b).numpy(), [0.0, 1.0, 0.0])
    np.testing.assert_array_equal(tape.gradient(low, a).numpy(), [1.0, 1.0, 0.0])
    np.testing.assert_array_equal(tape.gradient(low, b).numpy(), [0.0, 0.0, 1.0])


def test_binary_crossentropy_gradient_is_zero_where_probabilities_are_clipped():
    p = tf.Variable([0.0, 1.0, 0.5, 1.0])
    y = tf.constant([1.0, 0.0, 1.0, 1.0])
    with tf.GradientTape() as tape:
        loss = tf.keras.losses.binary_crossentropy(y, p)
    grad = tape.gradient(loss, p).numpy()
    # Keras clips to [eps, 1 - eps] (eps = 1e-7): no gradient flows where the clip acts,
    # and -y / p / n elsewhere.
    np.testing.assert_allclose(grad, [0.0, 0.0, -1.0 / 0.5 / 4, 0.0], atol=1e-6)
    # Keras's value, in float32 as Keras computes it (1 - 1e-7 rounds to 0.99999988)
    eps = np.float32(1e-7)
    clipped = np.clip(np.array([0.0, 1.0, 0.5, 1.0], np.float32), eps, 1 - eps)
    terms = -(y.numpy() * np.log(clipped) + (1 - y.numpy()) * np.log(1 - clipped))
    assert float(loss) == pytest.approx(float(terms.mean()), rel=1e-6)


def test_binary_accuracy_counts_a_prediction_at_the_threshold_as_class_zero():
    y_true = np.array([1.0, 0.0, 1.0])
    y_pred = np.array([0.5, 0.5, 0.5000001])
    # Keras: y_pred > threshold (strict)
    np.testing.assert_array_equal(tf.keras.metrics.binary_accuracy(y_true, y_pred),
                                  [0.0, 1.0, 1.0])
    metric = tf.keras.metrics.BinaryAccuracy(threshold=0.7)
    metric.update_state([1.0, 1.0], [0.7, 0.71])
    assert float(metric.result()) == 0.5


def test_sparse_categorical_accuracy_takes_labels_of_shape_n_by_1():
    probabilities = np.array([[0.2, 0.8], [0.9, 0.1], [0.6, 0.4]])
    column = np.array([[1], [1], [0]])
    np.testing.assert_array_equal(
        tf.keras.metrics.sparse_categorical_accuracy(column, probabilities), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(
        tf.keras.metrics.sparse_categorical_accuracy(column[:, 0], probabilities),
        [1.0, 0.0, 1.0])


def test_an_embedding_id_equal_to_input_dim_is_refused():
    layer = tf.keras.layers.Embedding(10, 2)
    assert layer(np.array([[9]])).shape == (1, 1, 2)
    with pytest.raises(ValueError, match=r"index 10 is outside \[0, 10\)"):
        layer(np.array([[3, 10]]))
    model = tf.keras.Sequential([tf.keras.layers.Embedding(10, 2), tf.keras.layers.Flatten(),
                                 tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    with pytest.raises(ValueError, match=r"contains the id 10 at index \(0, 1\)"):
        model.fit(np.array([[1.0, 10.0]]), np.array([1.0]), verbose=0)  # float ids, said as int


@pytest.mark.parametrize("n, split, validation_rows", [(9, 0.25, 3), (10, 0.3, 3), (7, 0.5, 4)])
def test_validation_split_keeps_the_floor_of_the_training_rows(n, split, validation_rows):
    # Keras 3: split_at = floor(n * (1 - validation_split)); the rest validates.
    x = np.arange(n, dtype=np.float32)[:, None]
    train, val = data_adapter.train_validation_split((x, x, None), split, "fit")
    assert len(train[0]) == n - validation_rows and len(val[0]) == validation_rows
    np.testing.assert_array_equal(val[0][:, 0], np.arange(n - validation_rows, n))
    model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(x, x, validation_split=split, epochs=1, shuffle=False, verbose=0)
    expected = model.evaluate(x[n - validation_rows:], x[n - validation_rows:], verbose=0)
    assert history.history["val_loss"][0] == pytest.approx(expected, rel=1e-6)


def test_pad_sequences_names_a_word_that_is_not_an_id():
    with pytest.raises(ValueError, match="pad_sequences: sequence 0 holds 'a', which is not a "
                                         "int32 value"):
        tf.keras.preprocessing.sequence.pad_sequences([["a", "b"], ["c"]])
    padded = tf.keras.preprocessing.sequence.pad_sequences([["a", "b"], ["c"]], dtype=object,
                                                           value="")
    assert padded.tolist() == [["a", "b"], ["", "c"]]
