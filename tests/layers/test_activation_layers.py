"""Softmax, ReLU, LeakyReLU, ELU, PReLU: Keras 3's formulas, gradients, shapes, configs."""

import numpy as np
import pytest

from myelin import layers
from myelin.layers import clear_session
from myelin.models import Sequential
from myelin.testing import gradcheck

X = np.array([[-2.0, -0.4, 0.3, 0.9, 4.0]])


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_over_one_or_several_axes():
    x = np.random.default_rng(0).normal(size=(2, 3, 4))
    np.testing.assert_allclose(layers.Softmax(dtype="float64")(x).numpy(), _softmax(x, -1))
    np.testing.assert_allclose(layers.Softmax(axis=1, dtype="float64")(x).numpy(),
                               _softmax(x, 1))
    np.testing.assert_allclose(layers.Softmax(axis=[1, 2], dtype="float64")(x).numpy(),
                               _softmax(x, (1, 2)))
    assert gradcheck(lambda t: layers.Softmax(axis=[1, 2], dtype="float64")(t), x)


def test_relu_variants_follow_keras_formula():
    # Keras: max_value above it, x above threshold, slope * (x - threshold) below.
    out = layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.5)(X).numpy()
    np.testing.assert_allclose(out, [[-0.25, -0.09, -0.02, 0.9, 1.0]], rtol=1e-6)
    np.testing.assert_allclose(layers.ReLU()(X).numpy(), np.maximum(X, 0))
    np.testing.assert_allclose(layers.ReLU(negative_slope=0.2)(X).numpy(),
                               np.where(X > 0, X, 0.2 * X), rtol=1e-6)
    assert gradcheck(lambda t: layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.5,
                                           dtype="float64")(t), X)


def test_leaky_relu_default_slope_is_keras_layer_default():
    np.testing.assert_allclose(layers.LeakyReLU()(X).numpy(), np.where(X > 0, X, 0.3 * X),
                               rtol=1e-6)
    assert layers.LeakyReLU(alpha=0.1).negative_slope == 0.1  # Keras 2 spelling


def test_elu_with_alpha():
    expected = np.where(X > 0, X, 0.5 * np.expm1(X))
    np.testing.assert_allclose(layers.ELU(alpha=0.5)(X).numpy(), expected, rtol=1e-6)
    assert gradcheck(lambda t: layers.ELU(alpha=0.5, dtype="float64")(t), X)


def test_prelu_learns_a_slope_per_element_or_shared():
    x = np.random.default_rng(1).normal(size=(2, 3, 4))
    layer = layers.PReLU(alpha_initializer="random_normal", shared_axes=[1],
                         dtype="float64")
    out = layer(x).numpy()
    alpha = layer.alpha.numpy()
    assert alpha.shape == (1, 4)
    np.testing.assert_allclose(out, np.where(x > 0, x, alpha * x))
    assert gradcheck(_prelu_fn, x[:, :2, :2], alpha[:, :2] + 0.3)


def _prelu_fn(t, alpha):
    layer = layers.PReLU(dtype="float64")
    layer.build((None,) + t.shape[1:])
    layer.alpha = alpha  # differentiate with respect to the slope as well
    return layer.call(t)


@pytest.mark.parametrize("layer", [
    layers.Softmax(axis=[1, 2]), layers.ReLU(max_value=6.0, negative_slope=0.1),
    layers.LeakyReLU(negative_slope=0.2), layers.ELU(alpha=0.7),
    layers.PReLU(shared_axes=[1, 2]),
])
def test_shapes_and_configs_round_trip(layer):
    assert layer.compute_output_shape((None, None, 4)) == (None, None, 4)
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert rebuilt.get_config() == layer.get_config()


def test_saved_model_with_activation_layers_predicts_identically(tmp_path):
    from myelin.saving import load_model

    x = np.random.default_rng(2).normal(size=(5, 4)).astype(np.float32)
    model = Sequential([layers.Input(shape=(4,)), layers.Dense(6), layers.PReLU(),
                        layers.ReLU(max_value=2.0), layers.ELU(), layers.LeakyReLU(),
                        layers.Dense(3), layers.Softmax()])
    model.compile("adam", "sparse_categorical_crossentropy")
    model.fit(x, np.arange(5) % 3, epochs=2, verbose=0)
    model.save(tmp_path / "m.myelin")
    np.testing.assert_array_equal(load_model(tmp_path / "m.myelin").predict(x, verbose=0),
                                  model.predict(x, verbose=0))


def test_a_model_used_as_a_layer_before_softmax_runs_eagerly():
    x = np.random.default_rng(3).normal(size=(5, 4)).astype(np.float32)
    inner = Sequential([layers.Input(shape=(4,)), layers.Dense(3)])
    outer = Sequential([inner, layers.Softmax()])
    logits = inner(x).numpy()
    expected = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.testing.assert_allclose(outer(x).numpy(), expected, rtol=1e-6)
    assert outer.output_shape == (None, 3)


def test_softmax_layer_last_trains_like_a_softmax_dense():
    x = np.random.default_rng(4).normal(size=(12, 4)).astype(np.float32)
    y = np.arange(12) % 3
    model = Sequential([layers.Input(shape=(4,)), layers.Dense(3), layers.Softmax()])
    model.compile("sgd", "sparse_categorical_crossentropy")
    probabilities = model.predict(x, verbose=0)
    expected = -np.log(probabilities[np.arange(12), y]).mean()
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-5)
