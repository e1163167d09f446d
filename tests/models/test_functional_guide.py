"""Keras's functional API guide programs, with only the imports changed.

The fast MNIST test trains on a slice; the ``full_data`` one is the guide's run on all of
MNIST. The toy ResNet (Conv2D blocks) trains on random images here, since CIFAR10 is not
among the test datasets; a Dense version of its residual blocks shows it learning.
"""

import os
from pathlib import Path

import numpy as np
import pytest

import myelin as tf
from myelin import keras  # was: import keras
from myelin.graph import reset_default_graph
from myelin.keras import layers  # was: from keras import layers
from myelin.layers import clear_session

_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
needs_mnist = pytest.mark.skipif(not (_DATA / "mnist" / "mnist.npz").is_file(),
                                 reason="MNIST needs $MYELIN_DATASETS/mnist/mnist.npz")


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()
    yield
    reset_default_graph()  # op names recorded here must not leak into other tests


def _mnist_guide(tmp_path, train_rows, test_rows):
    inputs = keras.Input(shape=(784,))
    dense = layers.Dense(64, activation="relu")
    x = dense(inputs)
    x = layers.Dense(64, activation="relu")(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs=inputs, outputs=outputs, name="mnist_model")

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    x_train = x_train.reshape(60000, 784).astype("float32") / 255
    x_test = x_test.reshape(10000, 784).astype("float32") / 255
    x_train, y_train = x_train[:train_rows], y_train[:train_rows]
    x_test, y_test = x_test[:test_rows], y_test[:test_rows]

    model.compile(
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=keras.optimizers.RMSprop(),
        metrics=[keras.metrics.SparseCategoricalAccuracy()],
    )
    history = model.fit(x_train, y_train, batch_size=64, epochs=2, validation_split=0.2,
                        verbose=0)
    test_scores = model.evaluate(x_test, y_test, verbose=0)

    path = str(tmp_path / "path_to_my_model.keras")
    model.save(path)
    predictions = model.predict(x_test, verbose=0)
    del model
    model = keras.models.load_model(path)  # recreate the exact same model from the file
    np.testing.assert_array_equal(model.predict(x_test, verbose=0), predictions)
    return history.history, test_scores


@needs_mnist
def test_mnist_guide_on_a_slice(tmp_path):
    history, (loss, accuracy) = _mnist_guide(tmp_path, 12000, 2000)
    assert set(history) == {"loss", "sparse_categorical_accuracy", "val_loss",
                            "val_sparse_categorical_accuracy"}
    assert history["loss"][1] < history["loss"][0]
    assert accuracy >= 0.86  # measured 0.887 (9,600 training rows, 2 epochs)


@needs_mnist
@pytest.mark.full_data
def test_mnist_guide_full_data(tmp_path):
    _, (_, accuracy) = _mnist_guide(tmp_path, 60000, 10000)
    assert accuracy >= 0.95  # the guide reports ~0.96


def test_ticket_model_with_loss_dicts_and_loss_weights():
    num_tags = 12  # Number of unique issue tags
    num_words = 10000  # Size of vocabulary obtained when preprocessing text data
    num_departments = 4  # Number of departments for predictions

    title_input = keras.Input(shape=(None,), name="title")
    body_input = keras.Input(shape=(None,), name="body")
    tags_input = keras.Input(shape=(num_tags,), name="tags")
    title_features = layers.Embedding(num_words, 64)(title_input)
    body_features = layers.Embedding(num_words, 64)(body_input)
    # Reduce sequence of embedded words in the title into a single 128-dimensional vector
    title_features = layers.LSTM(128)(title_features)
    # Reduce sequence of embedded words in the body into a single 32-dimensional vector
    body_features = layers.LSTM(32)(body_features)
    x = layers.concatenate([title_features, body_features, tags_input])
    priority_pred = layers.Dense(1, name="priority")(x)
    department_pred = layers.Dense(num_departments, name="department")(x)
    model = keras.Model(
        inputs=[title_input, body_input, tags_input],
        outputs={"priority": priority_pred, "department": department_pred},
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=[
            keras.losses.BinaryCrossentropy(from_logits=True),
            keras.losses.CategoricalCrossentropy(from_logits=True),
        ],
        loss_weights=[1.0, 0.2],
    )
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss={
            "priority": keras.losses.BinaryCrossentropy(from_logits=True),
            "department": keras.losses.CategoricalCrossentropy(from_logits=True),
        },
        loss_weights={"priority": 1.0, "department": 0.2},
    )
    title_data = np.random.randint(num_words, size=(1280, 10))
    body_data = np.random.randint(num_words, size=(1280, 100))
    tags_data = np.random.randint(2, size=(1280, num_tags)).astype("float32")
    priority_targets = np.random.random(size=(1280, 1))
    dept_targets = np.random.randint(2, size=(1280, num_departments))
    history = model.fit(
        {"title": title_data, "body": body_data, "tags": tags_data},
        {"priority": priority_targets, "department": dept_targets},
        epochs=2,
        batch_size=32,
        verbose=0,
    )
    h = history.history
    assert list(h) == ["loss", "department_loss", "priority_loss"]
    for epoch in range(2):  # the total is the weighted sum of the outputs' losses
        expected = h["priority_loss"][epoch] + 0.2 * h["department_loss"][epoch]
        assert h["loss"][epoch] == pytest.approx(expected, rel=1e-5)
    predictions = model.predict([title_data[:3], body_data[:3], tags_data[:3]], verbose=0)
    assert predictions["priority"].shape == (3, 1)
    assert predictions["department"].shape == (3, 4)


# Keras 3.15.1's summary of the guide's toy ResNet (keras 3.15.1, 80-column terminal).
KERAS_TOY_RESNET = """\
Model: "toy_resnet"
┏━━━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┳━━━━━━━━━━━━┳━━━━━━━━━━━━━━━━━━━┓
┃ Layer (type)        ┃ Output Shape      ┃    Param # ┃ Connected to      ┃
┡━━━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━╇━━━━━━━━━━━━╇━━━━━━━━━━━━━━━━━━━┩
│ img (InputLayer)    │ (None, 32, 32, 3) │          0 │ -                 │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d (Conv2D)     │ (None, 30, 30,    │        896 │ img[0][0]         │
│                     │ 32)               │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_1 (Conv2D)   │ (None, 28, 28,    │     18,496 │ conv2d[0][0]      │
│                     │ 64)               │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ max_pooling2d       │ (None, 9, 9, 64)  │          0 │ conv2d_1[0][0]    │
│ (MaxPooling2D)      │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_2 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ max_pooling2d[0]… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_3 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ conv2d_2[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add (Add)           │ (None, 9, 9, 64)  │          0 │ conv2d_3[0][0],   │
│                     │                   │            │ max_pooling2d[0]… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_4 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_5 (Conv2D)   │ (None, 9, 9, 64)  │     36,928 │ conv2d_4[0][0]    │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ add_1 (Add)         │ (None, 9, 9, 64)  │          0 │ conv2d_5[0][0],   │
│                     │                   │            │ add[0][0]         │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ conv2d_6 (Conv2D)   │ (None, 7, 7, 64)  │     36,928 │ add_1[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ global_average_poo… │ (None, 64)        │          0 │ conv2d_6[0][0]    │
│ (GlobalAveragePool… │                   │            │                   │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense (Dense)       │ (None, 256)       │     16,640 │ global_average_p… │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dropout (Dropout)   │ (None, 256)       │          0 │ dense[0][0]       │
├─────────────────────┼───────────────────┼────────────┼───────────────────┤
│ dense_1 (Dense)     │ (None, 10)        │      2,570 │ dropout[0][0]     │
└─────────────────────┴───────────────────┴────────────┴───────────────────┘
 Total params: 223,242 (872.04 KB)
 Trainable params: 223,242 (872.04 KB)
 Non-trainable params: 0 (0.00 B)
"""


def test_toy_resnet_as_in_the_guide(tmp_path):
    inputs = keras.Input(shape=(32, 32, 3), name="img")
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.Conv2D(64, 3, activation="relu")(x)
    block_1_output = layers.MaxPooling2D(3)(x)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_1_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(block_2_output)
    x = layers.Conv2D(64, 3, activation="relu", padding="same")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Conv2D(64, 3, activation="relu")(block_3_output)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dense(256, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs, outputs, name="toy_resnet")
    lines = []
    model.summary(line_length=76, print_fn=lines.append)
    assert lines == [KERAS_TOY_RESNET]
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["acc"],
    )
    rng = np.random.default_rng(0)
    x_train = rng.random((48, 32, 32, 3), dtype=np.float32)
    y_train = keras.utils.to_categorical(rng.integers(0, 10, 48), 10)
    history = model.fit(x_train, y_train, batch_size=16, epochs=1, validation_split=0.25,
                        verbose=0)
    assert set(history.history) == {"loss", "acc", "val_loss", "val_acc"}
    assert np.isfinite(history.history["loss"][0])
    ort = pytest.importorskip("onnxruntime")
    model.export(tmp_path / "toy_resnet.onnx")
    session = ort.InferenceSession(str(tmp_path / "toy_resnet.onnx"))
    got = session.run(None, {"img": x_train[:4]})[0]
    np.testing.assert_allclose(got, model.predict(x_train[:4], verbose=0), atol=1e-5, rtol=0)


def test_toy_resnet_with_dense_blocks_learns():
    inputs = keras.Input(shape=(32,), name="img")
    x = layers.Dense(32, activation="relu")(inputs)  # guide: Conv2D blocks
    block_1_output = layers.Dense(64, activation="relu")(x)
    x = layers.Dense(64, activation="relu")(block_1_output)
    x = layers.Dense(64, activation="relu")(x)
    block_2_output = layers.add([x, block_1_output])
    x = layers.Dense(64, activation="relu")(block_2_output)
    x = layers.Dense(64, activation="relu")(x)
    block_3_output = layers.add([x, block_2_output])
    x = layers.Dense(256, activation="relu")(block_3_output)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(10)(x)
    model = keras.Model(inputs, outputs, name="toy_resnet")
    assert [layer.name for layer in model.layers if type(layer).__name__ == "Add"] == [
        "add", "add_1"]
    model.compile(
        optimizer=keras.optimizers.RMSprop(1e-3),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
        metrics=["acc"],
    )
    rng = np.random.default_rng(0)
    centers = rng.normal(size=(10, 32)).astype("float32")
    labels = rng.integers(0, 10, 1000)
    x_train = centers[labels] + 0.3 * rng.normal(size=(1000, 32)).astype("float32")
    y_train = keras.utils.to_categorical(labels, 10)
    history = model.fit(x_train, y_train, batch_size=64, epochs=3, validation_split=0.2,
                        verbose=0)
    assert set(history.history) == {"loss", "acc", "val_loss", "val_acc"}
    assert history.history["val_acc"][-1] >= 0.9  # separable clusters


def test_shared_embedding_layer():
    # Embedding for 1000 unique words mapped to 128-dimensional vectors
    shared_embedding = layers.Embedding(1000, 128)
    # Variable-length sequence of integers
    text_input_a = keras.Input(shape=(None,), dtype="int32")
    # Variable-length sequence of integers
    text_input_b = keras.Input(shape=(None,), dtype="int32")
    # Reuse the same layer to encode both inputs
    encoded_input_a = shared_embedding(text_input_a)
    encoded_input_b = shared_embedding(text_input_b)
    model = keras.Model([text_input_a, text_input_b], [encoded_input_a, encoded_input_b])
    ids = np.array([[3, 1, 4]])
    a, b = model([ids, ids])
    np.testing.assert_array_equal(a.numpy(), b.numpy())
    table = shared_embedding.get_weights()[0]
    np.testing.assert_array_equal(a.numpy()[0], table[[3, 1, 4]])
    assert len(model.weights) == 1


def test_ensemble_of_nested_models():
    def get_model():
        inputs = keras.Input(shape=(128,))
        outputs = layers.Dense(1)(inputs)
        return keras.Model(inputs, outputs)

    model1 = get_model()
    model2 = get_model()
    model3 = get_model()
    inputs = keras.Input(shape=(128,))
    y1 = model1(inputs)
    y2 = model2(inputs)
    y3 = model3(inputs)
    outputs = layers.average([y1, y2, y3])
    ensemble_model = keras.Model(inputs=inputs, outputs=outputs)
    x = np.random.default_rng(1).normal(size=(4, 128)).astype("float32")
    expected = np.mean([m.predict(x, verbose=0) for m in (model1, model2, model3)], axis=0)
    np.testing.assert_allclose(ensemble_model.predict(x, verbose=0), expected, rtol=1e-5,
                               atol=1e-6)
    assert tf.reduce_sum(ensemble_model(x)).shape == ()
