"""TensorFlow tutorial programs that feed fit from tf.data, a generator or a PyDataset,
run with only ``import myelin as tf`` changed, on real MNIST slices.

Each trains 10,000 images for 2 epochs and is checked on 2,000 test images; the
accuracy floors sit below what the runs measured (noted next to each).
"""

import math
import os
from pathlib import Path

import numpy as np
import pytest

import myelin as tf

_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
pytestmark = pytest.mark.skipif(not (_DATA / "mnist" / "mnist.npz").is_file(),
                                reason="MNIST needs $MYELIN_DATASETS/mnist/mnist.npz")


@pytest.fixture(scope="module")
def mnist():
    (x_train, y_train), (x_test, y_test) = tf.keras.datasets.mnist.load_data()
    return (x_train[:10_000], y_train[:10_000]), (x_test[:2_000], y_test[:2_000])


def mlp():
    tf.keras.utils.set_random_seed(0)
    return tf.keras.Sequential([
        tf.keras.layers.Flatten(input_shape=(28, 28)),
        tf.keras.layers.Dense(64, activation="relu"),
        tf.keras.layers.Dense(10),
    ])


def compile_(model):
    model.compile(optimizer=tf.keras.optimizers.Adam(0.001),
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[tf.keras.metrics.SparseCategoricalAccuracy()])
    return model


def test_numpy_tutorial_shuffle_batch_prefetch_with_dataset_validation(mnist):
    # "Load NumPy data" (tf.data) with the prefetch of "Better performance with tf.data".
    (train_examples, train_labels), (test_examples, test_labels) = mnist
    train_dataset = tf.data.Dataset.from_tensor_slices((train_examples / 255.0, train_labels))
    test_dataset = tf.data.Dataset.from_tensor_slices((test_examples / 255.0, test_labels))
    train_dataset = train_dataset.shuffle(1024).batch(64).prefetch(tf.data.AUTOTUNE)
    test_dataset = test_dataset.batch(64)
    model = compile_(mlp())
    history = model.fit(train_dataset, epochs=2, validation_data=test_dataset, verbose=0)
    _, accuracy = model.evaluate(test_dataset, verbose=0)
    assert history.history["val_sparse_categorical_accuracy"][-1] == pytest.approx(accuracy)
    assert accuracy > 0.86  # measured 0.890


def test_map_normalisation_cache_shuffle_batch_prefetch(mnist):
    # The "TensorFlow Datasets" Keras example: map -> cache -> shuffle -> batch -> prefetch.
    (x_train, y_train), (x_test, y_test) = mnist

    def normalize_img(image, label):
        return tf.cast(image, tf.float32) / 255.0, label

    ds_train = tf.data.Dataset.from_tensor_slices((x_train, y_train))
    ds_train = ds_train.map(normalize_img, num_parallel_calls=tf.data.AUTOTUNE)
    ds_train = ds_train.cache().shuffle(len(x_train)).batch(128).prefetch(tf.data.AUTOTUNE)
    ds_test = tf.data.Dataset.from_tensor_slices((x_test, y_test))
    ds_test = ds_test.map(lambda x, y: (x / 255, y)).batch(128).cache()
    model = compile_(mlp())
    model.fit(ds_train, epochs=2, validation_data=ds_test, verbose=0)
    _, accuracy = model.evaluate(ds_test, verbose=0)
    assert accuracy > 0.85  # measured 0.880 (batches of 128)


def test_generator_with_steps_per_epoch(mnist):
    (x_train, y_train), (x_test, y_test) = mnist

    def generator(batch_size=64):
        rng = np.random.default_rng(0)
        while True:  # endless, as generator tutorials write them
            index = rng.integers(0, len(x_train), batch_size)
            yield x_train[index] / 255.0, y_train[index]

    model = compile_(mlp())
    steps = len(x_train) // 64
    history = model.fit(generator(), steps_per_epoch=steps, epochs=2, verbose=0)
    assert len(history.history["loss"]) == 2
    _, accuracy = model.evaluate(x_test / 255.0, y_test, verbose=0)
    assert accuracy > 0.86  # measured 0.894


class DiskBatches(tf.keras.utils.PyDataset):
    """Reads batch i from its own .npy files: only the batches in flight are in memory."""

    def __init__(self, folder, count, **kwargs):
        super().__init__(**kwargs)
        self.folder, self.count = Path(folder), count

    def __len__(self):
        return self.count

    def __getitem__(self, idx):
        x = np.load(self.folder / f"x_{idx}.npy")
        y = np.load(self.folder / f"y_{idx}.npy")
        return x.astype("float32") / 255.0, y


def test_pydataset_reading_batches_from_disk(mnist, tmp_path):
    (x_train, y_train), (x_test, y_test) = mnist
    batch_size = 64
    count = math.ceil(len(x_train) / batch_size)
    for i in range(count):
        part = slice(i * batch_size, (i + 1) * batch_size)
        np.save(tmp_path / f"x_{i}.npy", x_train[part])
        np.save(tmp_path / f"y_{i}.npy", y_train[part])
    train = DiskBatches(tmp_path, count, workers=2, max_queue_size=4)
    model = compile_(mlp())
    model.fit(train, epochs=2, verbose=0)
    _, accuracy = model.evaluate(x_test / 255.0, y_test, verbose=0)
    assert accuracy > 0.86  # measured 0.890
