"""ONNX export of the image reshaping, spatial dropout and augmentation layers:
onnxruntime agrees with predict within 1e-5."""

import numpy as np
import pytest

from myelin import keras
from myelin.layers import (
    Conv2D,
    Cropping1D,
    Cropping2D,
    Flatten,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    SpatialDropout1D,
    SpatialDropout2D,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
)
from myelin.saving import export_model

ort = pytest.importorskip("onnxruntime")
RNG = np.random.default_rng(8)


def _check(layers, input_shape, tmp_path):
    model = keras.Sequential([keras.Input(shape=input_shape), *layers])
    x = RNG.normal(size=(3, *input_shape)).astype(np.float32)
    path = tmp_path / "model.onnx"
    export_model(model, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["output"], {"input": x})[0]
    expected = model.predict(x, verbose=0)
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) <= 1e-5


@pytest.mark.parametrize("layers", [
    [ZeroPadding2D(((1, 2), (0, 3))), Cropping2D(((2, 0), (1, 1)))],
    [Cropping2D(((0, 1), (2, 0))), UpSampling2D((2, 3))],
    [UpSampling2D((3, 2), interpolation="bilinear"), SpatialDropout2D(0.5)],
    [RandomFlip(), RandomRotation(0.2), RandomZoom(0.1), RandomTranslation(0.1, 0.2),
     RandomContrast(0.3)],
    [RandomCrop(4, 3), Conv2D(2, 2)],
    [RandomCrop(7, 6)],
    [RandomCrop(9, 8), Flatten()],
], ids=["pad-crop", "crop-nearest", "bilinear-dropout", "augmentation", "crop-resize",
        "crop-exact", "crop-upscale"])
def test_2d_layers(layers, tmp_path):
    _check(layers, (7, 9, 2), tmp_path)


def test_1d_layers(tmp_path):
    _check([ZeroPadding1D((2, 1)), Cropping1D((0, 3)), UpSampling1D(3), SpatialDropout1D(0.3)],
           (6, 4), tmp_path)
