"""Activation ops: values against their formulas, gradients against finite differences."""

import numpy as np
import pytest

import myelin.nn as nn
from myelin.autodiff import constant
from myelin.testing import gradcheck

# Away from 0 (and from 6 for relu6), where these functions have kinks.
X = np.array([[-3.0, -1.2, -0.4, 0.3], [0.9, 2.5, 5.5, 7.0]])


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _elu(x, alpha=1.0):
    return np.where(x > 0, x, alpha * (np.exp(x) - 1))


SCALE, ALPHA = 1.0507009873554805, 1.6732632423543772
REFERENCES = [
    (nn.relu, lambda x: np.maximum(x, 0)),
    (nn.relu6, lambda x: np.clip(x, 0, 6)),
    (nn.leaky_relu, lambda x: np.where(x > 0, x, 0.2 * x)),  # TF's default alpha is 0.2
    (lambda x: nn.leaky_relu(x, alpha=0.01), lambda x: np.where(x > 0, x, 0.01 * x)),
    (nn.elu, _elu),
    (lambda x: nn.elu(x, alpha=0.5), lambda x: _elu(x, 0.5)),
    (nn.selu, lambda x: SCALE * _elu(x, ALPHA)),
    (nn.sigmoid, _sigmoid),
    (nn.tanh, np.tanh),
    (nn.softplus, lambda x: np.log1p(np.exp(x))),
    (nn.softsign, lambda x: x / (1 + np.abs(x))),
    (nn.silu, lambda x: x * _sigmoid(x)),
    (lambda x: nn.silu(x, beta=2.0), lambda x: x * _sigmoid(2 * x)),
    (nn.softmax, lambda x: np.exp(x) / np.exp(x).sum(-1, keepdims=True)),
    (lambda x: nn.softmax(x, axis=0), lambda x: np.exp(x) / np.exp(x).sum(0, keepdims=True)),
    (nn.log_softmax, lambda x: x - np.log(np.exp(x).sum(-1, keepdims=True))),
    (lambda x: nn.log_softmax(x, 0), lambda x: x - np.log(np.exp(x).sum(0, keepdims=True))),
]


@pytest.mark.parametrize("fn, ref", REFERENCES)
def test_values_and_gradients(fn, ref):
    out = fn(constant(X.astype(np.float32)))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), ref(X), rtol=1e-5, atol=1e-6)
    assert gradcheck(fn, X)


def test_swish_is_silu():
    assert nn.swish is nn.silu


@pytest.mark.parametrize("fn", [nn.sigmoid, nn.tanh, nn.softplus, nn.softmax, nn.log_softmax,
                                nn.elu, nn.selu])
def test_extreme_inputs_stay_finite(fn):
    x = constant([[-1000.0, 0.0, 1000.0]])
    out = fn(x).numpy()
    assert np.all(np.isfinite(out) | (fn is nn.log_softmax))
    if fn is nn.log_softmax:
        np.testing.assert_allclose(out, [[-2000.0, -1000.0, 0.0]])


def test_integer_inputs_are_refused():
    with pytest.raises(TypeError, match="relu: expected a float tensor, received dtype int32"):
        nn.relu(constant([1, -1]))


def test_softmax_axis_out_of_range():
    with pytest.raises(ValueError, match=r"softmax: axis 2 is out of range for logits of shape "
                                         r"\(2, 4\)"):
        nn.softmax(constant(X), axis=2)
