"""Keras's guide "Writing a training loop from scratch" (TensorFlow version), with only
the imports changed: GradientTape, ``@tf.function`` steps and SparseCategoricalAccuracy
updated batch by batch, on a real slice of MNIST (plain NumPy batches stand in for
tf.data)."""

import os
from pathlib import Path

import numpy as np
import pytest

import myelin as tf
from myelin import keras

_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
needs_mnist = pytest.mark.skipif(not (_DATA / "mnist" / "mnist.npz").is_file(),
                                 reason="MNIST needs $MYELIN_DATASETS/mnist/mnist.npz")


@needs_mnist
def test_training_loop_from_scratch_on_mnist():
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = np.reshape(x_train[:6000], (-1, 784)).astype("float32") / 255
    x_test = np.reshape(x_test[:1000], (-1, 784)).astype("float32") / 255
    y_train, y_test = y_train[:6000], y_test[:1000]

    keras.utils.set_random_seed(0)
    model = keras.Sequential([
        keras.Input(shape=(784,), name="digits"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(64, activation="relu"),
        keras.layers.Dense(10, name="predictions"),
    ])
    optimizer = keras.optimizers.Adam(learning_rate=1e-3)
    loss_fn = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    train_acc_metric = keras.metrics.SparseCategoricalAccuracy()
    val_acc_metric = keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def train_step(x, y):
        with tf.GradientTape() as tape:
            logits = model(x, training=True)
            loss_value = loss_fn(y, logits)
        grads = tape.gradient(loss_value, model.trainable_weights)
        optimizer.apply_gradients(zip(grads, model.trainable_weights, strict=True))
        train_acc_metric.update_state(y, logits)
        return loss_value

    @tf.function
    def test_step(x, y):
        val_logits = model(x, training=False)
        val_acc_metric.update_state(y, val_logits)

    batch_size, train_accs, losses = 32, [], []
    for epoch in range(2):
        order = np.random.default_rng(epoch).permutation(len(x_train))
        for start in range(0, len(x_train), batch_size):
            batch = order[start:start + batch_size]
            losses.append(float(train_step(x_train[batch], y_train[batch])))
        train_accs.append(float(train_acc_metric.result()))
        train_acc_metric.reset_state()
    for start in range(0, len(x_test), 64):
        test_step(x_test[start:start + 64], y_test[start:start + 64])
    val_acc = float(val_acc_metric.result())
    val_acc_metric.reset_state()

    assert train_accs[1] > train_accs[0] > 0.7
    assert np.mean(losses[-50:]) < 0.5 * np.mean(losses[:50])
    assert val_acc >= 0.88
    # the metric accumulated over 16 batches equals the accuracy computed at once
    predicted = np.argmax(model.predict(x_test, verbose=0), axis=-1)
    assert val_acc == pytest.approx(np.mean(predicted == y_test), abs=1e-7)
    assert optimizer.iterations.numpy() == 2 * 188
    assert float(val_acc_metric.result()) == 0.0
