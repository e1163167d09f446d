"""ONNX export of convolutions and poolings: onnxruntime agrees with predict within 1e-5."""

import numpy as np
import pytest

from myelin import keras
from myelin.layers import (
    AveragePooling1D,
    AveragePooling2D,
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    Dense,
    DepthwiseConv2D,
    Dropout,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
    SeparableConv2D,
)
from myelin.saving import export_model

ort = pytest.importorskip("onnxruntime")
RNG = np.random.default_rng(4)


def _check(layers, input_shape, tmp_path):
    model = keras.Sequential([keras.Input(shape=input_shape), *layers])
    for w in model.weights:  # random biases too, so a dropped bias would show
        w.assign(RNG.normal(scale=0.5, size=w.shape).astype(np.float32))
    x = RNG.normal(size=(3, *input_shape)).astype(np.float32)
    path = tmp_path / "model.onnx"
    export_model(model, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["output"], {"input": x})[0]
    expected = model.predict(x, verbose=0)
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) <= 1e-5


def test_keras_mnist_convnet(tmp_path):
    _check([Conv2D(32, 3, activation="relu"), MaxPooling2D(2), Conv2D(64, 3, activation="relu"),
            MaxPooling2D(2), Flatten(), Dropout(0.5), Dense(10, activation="softmax")],
           (28, 28, 1), tmp_path)


@pytest.mark.parametrize("layers", [
    [Conv2D(4, (3, 2), strides=(2, 1), padding="same", activation="tanh")],
    [Conv2D(6, 3, dilation_rate=2, groups=3, use_bias=False)],
    [Conv2D(3, 2, strides=2, padding="same"), MaxPooling2D(3, strides=2, padding="same")],
    [DepthwiseConv2D(3, depth_multiplier=2, padding="same", activation="relu")],
    [SeparableConv2D(5, 3, depth_multiplier=2, activation="sigmoid")],
    [Conv2DTranspose(4, 3, strides=2, padding="same")],
    [Conv2DTranspose(2, 3, strides=2)],
    [Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=0)],
    [AveragePooling2D(3, strides=2, padding="same"), GlobalMaxPooling2D()],
    [AveragePooling2D(2), GlobalAveragePooling2D(keepdims=True)],
], ids=["conv-same-strided", "conv-grouped-dilated", "conv-maxpool-same", "depthwise",
        "separable", "transpose-same", "transpose-valid", "transpose-output-padding",
        "avgpool-same-globalmax", "avgpool-globalavg-keepdims"])
def test_2d_layers(layers, tmp_path):
    _check(layers, (9, 8, 3), tmp_path)


@pytest.mark.parametrize("layers", [
    [Conv1D(4, 3, padding="causal", dilation_rate=2, activation="relu"), MaxPooling1D(2)],
    [Conv1D(4, 3, strides=2, padding="same"), AveragePooling1D(3, strides=1, padding="same"),
     GlobalMaxPooling1D()],
], ids=["causal", "same-strided"])
def test_1d_layers(layers, tmp_path):
    _check(layers, (11, 2), tmp_path)
