"""Activations: values against the formulas, gradients against finite differences,
and lookup by name / TF function."""

import numpy as np
import pytest

from myelin import activations, nn
from myelin.autodiff import GradientTape, Variable, constant
from myelin.testing import gradcheck

X = np.array([-10.0, -5.0, 0.0, 5.0, 10.0], dtype=np.float32)
SMOOTH = np.array([[-1.3, -0.4, 0.2], [0.7, 1.1, 2.4]])  # away from kinks at 0


def test_relu_variants_match_keras_docstring():
    relu = activations.relu
    np.testing.assert_array_equal(relu(X).numpy(), [0, 0, 0, 5, 10])
    np.testing.assert_array_equal(relu(X, negative_slope=0.5).numpy(), [-5, -2.5, 0, 5, 10])
    np.testing.assert_array_equal(relu(X, max_value=5.0).numpy(), [0, 0, 0, 5, 5])
    np.testing.assert_array_equal(relu(X, threshold=5.0).numpy(), [0, 0, 0, 0, 10])
    # all three: negative part relu(threshold - x) scaled by the slope, then the clip
    np.testing.assert_array_equal(
        relu(X, negative_slope=0.5, max_value=5.0, threshold=1.0).numpy(),
        [-5.5, -3.0, -0.5, 5.0, 5.0])


def test_values_match_formulas():
    x = SMOOTH.astype(np.float32)
    a = activations
    np.testing.assert_allclose(a.sigmoid(x).numpy(), 1 / (1 + np.exp(-x)), rtol=1e-6)
    np.testing.assert_allclose(a.tanh(x).numpy(), np.tanh(x), rtol=1e-6)
    np.testing.assert_allclose(a.elu(x).numpy(), np.where(x > 0, x, np.expm1(x)), rtol=1e-6)
    np.testing.assert_allclose(a.elu(x, alpha=2.0).numpy(),
                               np.where(x > 0, x, 2 * np.expm1(x)), rtol=1e-6)
    selu = 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x))
    np.testing.assert_allclose(a.selu(x).numpy(), selu, rtol=1e-6)
    np.testing.assert_allclose(a.leaky_relu(x).numpy(), np.where(x > 0, x, 0.2 * x))
    np.testing.assert_allclose(a.leaky_relu(x, negative_slope=0.1).numpy(),
                               np.where(x > 0, x, 0.1 * x))
    e = np.exp(x - x.max(axis=-1, keepdims=True))
    np.testing.assert_allclose(a.softmax(x).numpy(), e / e.sum(-1, keepdims=True), rtol=1e-6)
    e0 = np.exp(x)
    np.testing.assert_allclose(a.softmax(x, axis=0).numpy(), e0 / e0.sum(0), rtol=1e-6)
    assert a.linear(x).numpy() is not None and np.array_equal(a.linear(x).numpy(), x)


def test_step_is_heaviside_with_zero_gradient():
    np.testing.assert_array_equal(activations.step(X).numpy(), [0, 0, 1, 1, 1])
    w = Variable([-2.0, 3.0])
    with GradientTape() as tape:
        y = activations.step(w)
    np.testing.assert_array_equal(tape.gradient(y, w).numpy(), [0.0, 0.0])


@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "elu", "selu", "leaky_relu",
                                  "softmax", "softplus", "softsign", "silu", "linear"])
def test_gradients_match_finite_differences(name):
    assert gradcheck(activations.get(name), SMOOTH)


def test_gradients_of_relu_options():
    fn = lambda x: activations.relu(x, negative_slope=0.3, max_value=2.0, threshold=0.5)  # noqa: E731
    assert gradcheck(fn, np.array([-1.2, 0.1, 0.9, 1.7, 3.0]))
    assert gradcheck(lambda x: activations.softmax(x, axis=0), SMOOTH)


def test_get_resolves_names_functions_and_none():
    assert activations.get("relu") is activations.relu
    assert activations.get(None) is activations.linear
    assert activations.get("swish") is activations.silu
    assert activations.get(nn.relu) is activations.relu
    assert activations.get(nn.sigmoid) is activations.sigmoid
    custom = lambda x: x * 2  # noqa: E731
    assert activations.get(custom) is custom
    assert activations.get({"class_name": "function", "config": "tanh"}) is activations.tanh


def test_unknown_name_suggests_closest():
    with pytest.raises(ValueError, match="Did you mean 'relu'"):
        activations.get("rleu")
    with pytest.raises(ValueError, match="Could not interpret"):
        activations.get(3)


def test_serialize_and_fused_name():
    assert activations.serialize(nn.relu) == "relu"
    assert activations.serialize(activations.elu) == "elu"
    assert activations.serialize("softmax") == "softmax"
    with pytest.raises(ValueError, match="not a built-in"):
        activations.serialize(lambda x: x)
    assert activations.fused_name(nn.tanh) == "tanh"
    assert activations.fused_name(None) == "linear"
    assert activations.fused_name("sigmoid") == "sigmoid"
    assert activations.fused_name("elu") is None
    assert activations.fused_name(lambda x: x) is None


def test_activations_return_tensors_for_raw_input():
    out = activations.relu([[-1.0, 2.0]])
    assert out.shape == (1, 2) and out.dtype == np.float32
    assert activations.step(constant([0.5])).dtype == np.float32
