"""Dense and Activation: values against NumPy, gradients against finite differences."""

import numpy as np
import pytest

from myelin import ops
from myelin.autodiff import GradientTape, Tensor
from myelin.layers import Activation, Dense, clear_session
from myelin.testing import gradcheck


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _dense(units, activation, x, dtype="float64"):
    layer = Dense(units, activation=activation, dtype=dtype)
    layer(x)
    rng = np.random.default_rng(1)
    layer.set_weights([rng.normal(size=layer.kernel.shape), rng.normal(size=units)])
    return layer


@pytest.mark.parametrize("activation, reference", [
    (None, lambda z: z),
    ("relu", lambda z: np.maximum(z, 0)),
    ("sigmoid", lambda z: 1 / (1 + np.exp(-z))),
    ("tanh", np.tanh),
    ("softmax", lambda z: np.exp(z) / np.exp(z).sum(-1, keepdims=True)),
    ("elu", lambda z: np.where(z > 0, z, np.exp(z) - 1)),  # not fused: applied after
])
def test_dense_matches_numpy(activation, reference):
    x = np.random.default_rng(0).normal(size=(5, 3))
    layer = _dense(4, activation, x)
    expected = reference(x @ layer.kernel.numpy() + layer.bias.numpy())
    np.testing.assert_allclose(layer(x).numpy(), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("activation", [None, "sigmoid", "tanh", "softmax", "elu"])
def test_dense_input_gradient_matches_finite_differences(activation):
    x = np.random.default_rng(0).normal(size=(3, 4))
    layer = _dense(2, activation, x)
    assert gradcheck(lambda t: layer(t), x)


def test_dense_weight_gradients_by_hand():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    layer = _dense(3, None, x)
    with GradientTape() as tape:
        loss = ops.reduce_sum(layer(Tensor(x)))
    g_kernel, g_bias = tape.gradient(loss, [layer.kernel, layer.bias])
    np.testing.assert_allclose(g_kernel.numpy(), x.T @ np.ones((2, 3)))
    np.testing.assert_allclose(g_bias.numpy(), [2.0, 2.0, 2.0])


def test_dense_on_rank3_input_and_without_bias():
    layer = Dense(2, use_bias=False, kernel_initializer="ones")
    out = layer(np.ones((2, 5, 3)))
    assert out.shape == (2, 5, 2) and np.all(out.numpy() == 3.0)
    assert [w.name for w in layer.weights] == ["dense/kernel"]
    assert layer.compute_output_shape((None, 5, 3)) == (None, 5, 2)


def test_dense_fuses_known_activations_only():
    assert Dense(2, activation="relu")._fused == "relu"
    assert Dense(2, activation="elu")._fused == "linear"
    assert Dense(2, activation="softmax").logits_activation() == "softmax"
    assert Dense(2, activation="relu").logits_activation() is None


@pytest.mark.parametrize("units", [0, -3, 2.5, True])
def test_dense_units_must_be_a_positive_integer(units):
    with pytest.raises(ValueError, match=f"expected a positive integer. Received: units={units}"):
        Dense(units)


def test_unknown_activation_suggests_the_closest_name():
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        Dense(2, activation="rleu")


def test_activation_layer():
    layer = Activation("relu")
    np.testing.assert_array_equal(layer(np.array([[-1.0, 2.0]])).numpy(), [[0.0, 2.0]])
    assert Activation("softmax").logits_activation() == "softmax"
    assert layer.get_config()["activation"] == "relu"
    assert layer.compute_output_shape((None, 7)) == (None, 7)
