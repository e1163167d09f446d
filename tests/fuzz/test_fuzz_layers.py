"""Issue 17, item 1: every public layer called on fuzzed inputs.

Each layer of ``myelin.keras.layers`` is built with valid arguments on a valid input,
then called on a fuzzed one (rank 0-5, zero-size axes, any dtype, NaN/inf/huge/denormal
values, training on or off). The call returns a tensor (checked against NumPy for the
layers with a one-line formula) or raises a myelin error naming the layer, and a failed
call leaves every weight unchanged.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import _strategies as fz  # noqa: E402

from myelin.keras import layers  # noqa: E402


def _text():
    return layers.TextVectorization(max_tokens=6, vocabulary=["a", "b", "nan"])


# name: (factory, ranks a valid input may have, kind of valid input, merge layer?)
LAYERS = {
    "Activation": (lambda: layers.Activation("tanh"), range(0, 6), "float", False),
    "ActivityRegularization": (lambda: layers.ActivityRegularization(0.1), range(1, 6),
                               "float", False),
    "Add": (layers.Add, range(1, 6), "float", True),
    "Average": (layers.Average, range(1, 6), "float", True),
    "Maximum": (layers.Maximum, range(1, 6), "float", True),
    "Minimum": (layers.Minimum, range(1, 6), "float", True),
    "Multiply": (layers.Multiply, range(1, 6), "float", True),
    "Subtract": (layers.Subtract, range(1, 6), "float", True),
    "Concatenate": (layers.Concatenate, range(1, 6), "float", True),
    "Dot": (lambda: layers.Dot(axes=-1), [2], "float", True),
    "AveragePooling1D": (lambda: layers.AveragePooling1D(2), [3], "float", False),
    "MaxPooling1D": (lambda: layers.MaxPooling1D(2), [3], "float", False),
    "AveragePooling2D": (lambda: layers.AveragePooling2D(2), [4], "float", False),
    "MaxPooling2D": (lambda: layers.MaxPooling2D(2), [4], "float", False),
    "GlobalAveragePooling1D": (layers.GlobalAveragePooling1D, [3], "float", False),
    "GlobalMaxPooling1D": (layers.GlobalMaxPooling1D, [3], "float", False),
    "GlobalAveragePooling2D": (layers.GlobalAveragePooling2D, [4], "float", False),
    "GlobalMaxPooling2D": (layers.GlobalMaxPooling2D, [4], "float", False),
    "BatchNormalization": (layers.BatchNormalization, range(2, 6), "float", False),
    "LayerNormalization": (layers.LayerNormalization, range(2, 6), "float", False),
    "Normalization": (lambda: layers.Normalization(mean=0.5, variance=2.0), range(1, 6),
                      "float", False),
    "Bidirectional": (lambda: layers.Bidirectional(layers.SimpleRNN(2)), [3], "float", False),
    "CategoryEncoding": (lambda: layers.CategoryEncoding(num_tokens=4), [1, 2], "int", False),
    "Conv1D": (lambda: layers.Conv1D(2, 2), [3], "float", False),
    "Conv2D": (lambda: layers.Conv2D(2, 2), [4], "float", False),
    "Conv2DTranspose": (lambda: layers.Conv2DTranspose(2, 2), [4], "float", False),
    "DepthwiseConv2D": (lambda: layers.DepthwiseConv2D(2), [4], "float", False),
    "SeparableConv2D": (lambda: layers.SeparableConv2D(2, 2), [4], "float", False),
    "Cropping1D": (lambda: layers.Cropping1D(1), [3], "float", False),
    "Cropping2D": (lambda: layers.Cropping2D(1), [4], "float", False),
    "Dense": (lambda: layers.Dense(3), range(2, 6), "float", False),
    "Dropout": (lambda: layers.Dropout(0.5), range(0, 6), "float", False),
    "GaussianNoise": (lambda: layers.GaussianNoise(0.1), range(0, 6), "float", False),
    "SpatialDropout1D": (lambda: layers.SpatialDropout1D(0.5), [3], "float", False),
    "SpatialDropout2D": (lambda: layers.SpatialDropout2D(0.5), [4], "float", False),
    "ELU": (layers.ELU, range(0, 6), "float", False),
    "LeakyReLU": (layers.LeakyReLU, range(0, 6), "float", False),
    "PReLU": (layers.PReLU, range(2, 6), "float", False),
    "ReLU": (layers.ReLU, range(0, 6), "float", False),
    "Softmax": (layers.Softmax, range(1, 6), "float", False),
    "Embedding": (lambda: layers.Embedding(5, 2), range(1, 4), "int", False),
    "Flatten": (layers.Flatten, range(1, 6), "float", False),
    "Permute": (lambda: layers.Permute((2, 1)), [3], "float", False),
    "RepeatVector": (lambda: layers.RepeatVector(2), [2], "float", False),
    "Reshape": (lambda: layers.Reshape((-1,)), range(1, 6), "float", False),
    "Rescaling": (lambda: layers.Rescaling(2.0, offset=-1.0), range(0, 6), "float", False),
    "GRU": (lambda: layers.GRU(2), [3], "float", False),
    "LSTM": (lambda: layers.LSTM(2), [3], "float", False),
    "SimpleRNN": (lambda: layers.SimpleRNN(2, return_sequences=True), [3], "float", False),
    "RNN": (lambda: layers.RNN(layers.LSTMCell(2)), [3], "float", False),
    "Hashing": (lambda: layers.Hashing(4), range(1, 3), "int", False),
    "IntegerLookup": (lambda: layers.IntegerLookup(vocabulary=[1, 2, 3]), range(1, 3), "int",
                      False),
    "StringLookup": (lambda: layers.StringLookup(vocabulary=["a", "b"]), range(1, 3), "str",
                     False),
    "TextVectorization": (_text, [1, 2], "str", False),
    "Masking": (lambda: layers.Masking(0.0), [3], "float", False),
    "RandomContrast": (lambda: layers.RandomContrast(0.5), [3, 4], "float", False),
    "RandomCrop": (lambda: layers.RandomCrop(2, 2), [3, 4], "float", False),
    "RandomFlip": (layers.RandomFlip, [3, 4], "float", False),
    "RandomRotation": (lambda: layers.RandomRotation(0.1), [3, 4], "float", False),
    "RandomTranslation": (lambda: layers.RandomTranslation(0.1, 0.1), [3, 4], "float", False),
    "RandomZoom": (lambda: layers.RandomZoom(0.1), [3, 4], "float", False),
    "TimeDistributed": (lambda: layers.TimeDistributed(layers.Dense(2)), [3], "float", False),
    "UpSampling1D": (layers.UpSampling1D, [3], "float", False),
    "UpSampling2D": (layers.UpSampling2D, [4], "float", False),
    "ZeroPadding1D": (layers.ZeroPadding1D, [3], "float", False),
    "ZeroPadding2D": (layers.ZeroPadding2D, [4], "float", False),
    "Lambda": (lambda: layers.Lambda(lambda x: x * 2.0), range(0, 6), "float", False),
}
# Aliases, abstract bases and pieces used through others (cells run inside RNN).
NOT_CALLED = {"AvgPool1D", "AvgPool2D", "Convolution1D", "Convolution2D",
              "Convolution2DTranspose", "GlobalAvgPool1D", "GlobalAvgPool2D",
              "GlobalMaxPool1D", "GlobalMaxPool2D", "MaxPool1D", "MaxPool2D",
              "SeparableConvolution2D", "InputLayer", "KerasTensor", "Layer",
              "GRUCell", "LSTMCell", "SimpleRNNCell"}

REFERENCES = {  # NumPy formulas for float inputs (x, layer) -> expected output
    "ReLU": lambda x, layer: np.maximum(x, 0),
    "Rescaling": lambda x, layer: x * 2.0 - 1.0,
    "Flatten": lambda x, layer: x.reshape(x.shape[0], -1),
    "Reshape": lambda x, layer: x.reshape(x.shape[0], -1),
    "Activation": lambda x, layer: np.tanh(x),
    "Normalization": lambda x, layer: (x - 0.5) / np.sqrt(2.0),
    "Dense": lambda x, layer: x @ layer.kernel.numpy() + layer.bias.numpy(),
}


def test_every_public_layer_is_fuzzed():
    public = {n for n in dir(layers) if isinstance(getattr(layers, n), type)
              and not n.startswith("_")}
    assert public - NOT_CALLED == set(LAYERS), "a public layer has no fuzz target"


@st.composite
def layer_case(draw, name):
    """A valid build input of an allowed rank, and a fuzzed input for the call."""
    _, ranks, kind, _ = LAYERS[name]
    rank = draw(st.sampled_from(list(ranks)))
    shape = tuple(draw(st.lists(st.integers(1, 4), min_size=rank, max_size=rank)))
    if kind == "str":
        valid = np.full(shape, "a", dtype=object)
    elif kind == "int":
        valid = np.ones(shape, np.int64)
    else:
        valid = np.ones(shape, np.float32)
    how = draw(st.sampled_from(["values", "values", "dtype", "shape", "any"]))
    if how == "values":  # the valid shape and dtype, hostile values
        dtypes = ["float32", "float64"] if kind == "float" else ["int64", "int32"]
        fuzzed = draw(fz.shaped(shape, dtypes))
    elif how == "dtype":
        fuzzed = draw(fz.shaped(shape))
    elif how == "shape":  # another shape, zero-size axes allowed
        fuzzed = draw(fz.arrays(dtypes=[str(valid.dtype)], max_dims=5))
    else:
        fuzzed = draw(fz.arrays())
    return valid, fuzzed, draw(st.booleans())


def _inputs(x, merge):
    return [x, x] if merge else x


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_on_fuzzed_inputs(name):
    factory, _, _, merge = LAYERS[name]

    @fz.FUZZ
    @given(case=layer_case(name))
    def run(case):
        valid, fuzzed, training = case
        layer = factory()
        # Wrappers may let the wrapped layer refuse, naming itself.
        inner = getattr(layer, "layer", None) or getattr(layer, "forward_layer", None)
        names = (name, layer.name) + ((type(inner).__name__,) if inner else ())
        _, error = fz.call(lambda: layer(_inputs(valid, merge)), *names)
        if error is not None:  # refusing a valid shape is allowed only with a clean error
            return
        before = fz.snapshot(layer.weights)
        out, error = fz.call(lambda: layer(_inputs(fuzzed, merge), training=training), *names)
        if error is not None:
            fz.assert_unchanged(before, layer.weights, name)
            return
        result = fz.to_numpy(out[0] if isinstance(out, (list, tuple)) else out)
        assert isinstance(result, np.ndarray)
        reference = REFERENCES.get(name)
        if reference and fuzzed.dtype.kind == "f" and fuzzed.ndim >= 2 \
                and np.isfinite(fuzzed).all() and np.abs(fuzzed).max(initial=0) < 1e30:
            expected = reference(fuzzed.astype(np.float64), layer)
            np.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-5)

    run()
