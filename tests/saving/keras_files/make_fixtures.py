"""Regenerate the Keras-saved fixture files with real Keras 3 (not run by the tests).

Each model is built with a fixed seed, trained one short epoch so its weights and
BatchNormalization statistics differ from their initial values, saved as ``NAME.keras``
(``seq_dense`` also as the legacy Keras-2 ``seq_dense.h5``), and its inputs and Keras's
predictions stored in ``NAME.npz``. Run from this folder with a Python that has Keras 3:

    TF_CPP_MIN_LOG_LEVEL=3 python make_fixtures.py
"""

import keras
import numpy as np
from keras import layers


def seq_dense():
    return keras.Sequential([
        keras.Input((8,)), layers.Dense(16, activation="relu"), layers.Dropout(0.3),
        layers.Dense(3, activation="softmax"),
    ]), np.random.default_rng(1).normal(size=(5, 8)).astype("float32")


def seq_conv():
    return keras.Sequential([
        keras.Input((8, 8, 2)), layers.Conv2D(4, 3, activation="relu"),
        layers.MaxPooling2D(), layers.BatchNormalization(), layers.Flatten(),
        layers.Dense(2),
    ]), np.random.default_rng(2).normal(size=(4, 8, 8, 2)).astype("float32")


def seq_embedding():
    return keras.Sequential([
        keras.Input((7,), dtype="int32"), layers.Embedding(20, 4),
        layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid"),
    ]), np.random.default_rng(3).integers(0, 20, size=(4, 7)).astype("int32")


def functional_concat():
    inputs = keras.Input((6,), name="features")
    a = layers.Dense(4, activation="relu")(inputs)
    b = layers.Dense(3, activation="tanh")(inputs)
    merged = layers.Concatenate()([a, b])
    outputs = layers.Dense(2)(layers.Dropout(0.1)(merged))
    model = keras.Model(inputs, outputs, name="concat_net")
    return model, np.random.default_rng(4).normal(size=(5, 6)).astype("float32")


def seq_recurrent():
    return keras.Sequential([
        keras.Input((5, 3)), layers.LSTM(4, return_sequences=True), layers.GRU(3),
        layers.Dense(1),
    ]), np.random.default_rng(5).normal(size=(4, 5, 3)).astype("float32")


def seq_image_extras():
    return keras.Sequential([
        keras.Input((6, 6, 2)), layers.ZeroPadding2D(1), layers.Conv2DTranspose(3, 3, strides=2),
        layers.DepthwiseConv2D(3), layers.SeparableConv2D(2, 3), layers.UpSampling2D(),
        layers.Cropping2D(2), layers.SpatialDropout2D(0.2), layers.AveragePooling2D(2),
        layers.GlobalMaxPooling2D(),
    ]), np.random.default_rng(6).normal(size=(2, 6, 6, 2)).astype("float32")


def seq_activations_reshaping():
    return keras.Sequential([
        keras.Input((12,)), layers.Dense(12), layers.LeakyReLU(0.2), layers.PReLU(),
        layers.ELU(), layers.ReLU(max_value=2.0), layers.Activation("tanh"),
        layers.Rescaling(2.0, 0.5), layers.LayerNormalization(), layers.Reshape((3, 4)),
        layers.Permute((2, 1)), layers.Conv1D(2, 1), layers.MaxPooling1D(),
        layers.UpSampling1D(), layers.ZeroPadding1D(1), layers.Cropping1D(1),
        layers.Flatten(), layers.RepeatVector(2), layers.Masking(0.0),
        layers.SpatialDropout1D(0.1), layers.GlobalAveragePooling1D(), layers.Softmax(),
    ]), np.random.default_rng(7).normal(size=(3, 12)).astype("float32")


def functional_merges():
    inputs = keras.Input((4,))
    a, b = layers.Dense(3)(inputs), layers.Dense(3)(inputs)
    outputs = layers.Concatenate()([
        layers.Subtract()([a, b]), layers.Multiply()([a, b]), layers.Average()([a, b]),
        layers.Maximum()([a, b]), layers.Minimum()([a, b]), layers.Add()([a, b])])
    return keras.Model(inputs, outputs), np.random.default_rng(8).normal(
        size=(3, 4)).astype("float32")


def seq_nested():
    inner = keras.Sequential([layers.Dense(4, activation="relu"), layers.Dense(3)])
    return keras.Sequential([keras.Input((5,)), inner, layers.Dense(2)]), \
        np.random.default_rng(9).normal(size=(3, 5)).astype("float32")


def main():
    for make in (seq_dense, seq_conv, seq_embedding, functional_concat, seq_recurrent,
                 seq_image_extras, seq_activations_reshaping, functional_merges, seq_nested):
        keras.utils.set_random_seed(0)
        model, x = make()
        y = model.predict(x, verbose=0)
        model.compile(optimizer="adam", loss="mse")
        model.fit(x, np.random.default_rng(0).normal(size=y.shape).astype("float32"),
                  epochs=2, verbose=0)
        model.save(f"{make.__name__}.keras")
        if make is seq_dense:
            model.save("seq_dense.h5")
        np.savez(f"{make.__name__}.npz", x=x, y=model.predict(x, verbose=0))


if __name__ == "__main__":
    main()
