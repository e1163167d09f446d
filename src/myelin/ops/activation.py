"""Activation functions as single ops, each differentiated from what it saved.

Derivatives come from the saved output where the formula allows (relu, sigmoid,
tanh, elu, softmax), so backward needs no second pass over the input.
"""

import numpy as np

from ..autodiff import Function, convert_to_tensor
from .fused import sigmoid_inplace

# Klambauer et al. (2017), the values TensorFlow and Keras use.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def floating(x, op):
    """``x`` as a Tensor, refusing integer and bool inputs by name."""
    x = convert_to_tensor(x)
    if x.dtype.kind != "f":
        raise TypeError(
            f"{op}: expected a float tensor, received dtype {x.dtype.name}. Cast it first, "
            f"e.g. myelin.cast(x, 'float32')."
        )
    return x


class Relu(Function):
    def forward(self, x):
        self.out = np.maximum(x, 0)
        return self.out

    def backward(self, grad):
        return grad * (self.out > 0)


class Relu6(Function):
    def forward(self, x):
        self.out = np.clip(x, 0, 6)
        return self.out

    def backward(self, grad):
        return grad * ((self.out > 0) & (self.out < 6))


class LeakyRelu(Function):
    def __init__(self, alpha):
        self.alpha = alpha

    def forward(self, x):
        self.positive = x > 0
        return np.where(self.positive, x, x * self.alpha)

    def backward(self, grad):
        return np.where(self.positive, grad, grad * self.alpha)


class Elu(Function):
    """``scale * (x if x > 0 else alpha * (exp(x) - 1))``; selu is one setting of it."""

    def __init__(self, alpha, scale=1.0):
        self.alpha, self.scale = alpha, scale

    def forward(self, x):
        self.positive = x > 0
        # expm1 of min(x, 0): no overflow warnings from the branch np.where discards
        self.out = self.scale * np.where(self.positive, x,
                                         self.alpha * np.expm1(np.minimum(x, 0)))
        return self.out

    def backward(self, grad):
        # below zero, d/dx scale*alpha*(e^x - 1) = out + scale*alpha
        return grad * np.where(self.positive, self.scale, self.out + self.scale * self.alpha)


class Sigmoid(Function):
    def forward(self, x):
        self.out = sigmoid_inplace(x.copy())
        return self.out

    def backward(self, grad):
        return grad * self.out * (1 - self.out)


class Tanh(Function):
    def forward(self, x):
        self.out = np.tanh(x)
        return self.out

    def backward(self, grad):
        return grad * (1 - self.out * self.out)


class Softplus(Function):
    def forward(self, x):
        self.x = x
        return np.logaddexp(0, x)

    def backward(self, grad):
        return grad * sigmoid_inplace(self.x.copy())


class Softsign(Function):
    def forward(self, x):
        self.denominator = 1 + np.abs(x)
        return x / self.denominator

    def backward(self, grad):
        return grad / (self.denominator * self.denominator)


class Silu(Function):
    def __init__(self, beta):
        self.beta = beta

    def forward(self, x):
        self.x, self.s = x, sigmoid_inplace(x * self.beta)
        return x * self.s

    def backward(self, grad):
        s = self.s
        return grad * (s + self.beta * self.x * s * (1 - s))


class Softmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        out = x - x.max(axis=self.axis, keepdims=True, initial=-np.inf)
        np.exp(out, out=out)
        out /= out.sum(axis=self.axis, keepdims=True)
        self.out = out
        return out

    def backward(self, grad):
        y = self.out
        return y * (grad - (grad * y).sum(axis=self.axis, keepdims=True))


class LogSoftmax(Function):
    def __init__(self, axis):
        self.axis = axis

    def forward(self, x):
        shifted = x - x.max(axis=self.axis, keepdims=True, initial=-np.inf)
        self.out = shifted - np.log(np.exp(shifted).sum(axis=self.axis, keepdims=True))
        return self.out

    def backward(self, grad):
        return grad - np.exp(self.out) * grad.sum(axis=self.axis, keepdims=True)


def relu(features, name=None):
    """``max(features, 0)``."""
    return Relu.apply(floating(features, "relu"))


def relu6(features, name=None):
    """``min(max(features, 0), 6)``."""
    return Relu6.apply(floating(features, "relu6"))


def leaky_relu(features, alpha=0.2, name=None):
    """``features`` where positive, else ``alpha * features`` (TF's default alpha 0.2)."""
    return LeakyRelu.apply(floating(features, "leaky_relu"), alpha=alpha)


def elu(features, alpha=1.0, name=None):
    """``features`` where positive, else ``alpha * (exp(features) - 1)``."""
    return Elu.apply(floating(features, "elu"), alpha=alpha)


def selu(features, name=None):
    """Scaled elu with the self-normalizing constants ``SELU_SCALE`` and ``SELU_ALPHA``."""
    return Elu.apply(floating(features, "selu"), alpha=SELU_ALPHA, scale=SELU_SCALE)


def sigmoid(x, name=None):
    """``1 / (1 + exp(-x))``, computed without overflow."""
    return Sigmoid.apply(floating(x, "sigmoid"))


def tanh(x, name=None):
    """Hyperbolic tangent."""
    return Tanh.apply(floating(x, "tanh"))


def softplus(features, name=None):
    """``log(1 + exp(features))``, computed without overflow."""
    return Softplus.apply(floating(features, "softplus"))


def softsign(features, name=None):
    """``features / (1 + |features|)``."""
    return Softsign.apply(floating(features, "softsign"))


def silu(features, beta=1.0, name=None):
    """``features * sigmoid(beta * features)`` (also called swish)."""
    return Silu.apply(floating(features, "silu"), beta=beta)


def _softmax_axis(x, axis, op):
    axis = -1 if axis is None else int(axis)
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(
            f"{op}: axis {axis} is out of range for logits of shape {x.shape}; expected an "
            f"axis in [{-x.ndim}, {x.ndim})."
        )
    return axis


def softmax(logits, axis=None, name=None):
    """``exp(logits) / sum(exp(logits))`` along ``axis`` (default the last).

    Example:
        >>> softmax(constant([0.0, 0.0])).numpy()
        array([0.5, 0.5], dtype=float32)
    """
    x = floating(logits, "softmax")
    return Softmax.apply(x, axis=_softmax_axis(x, axis, "softmax"))


def log_softmax(logits, axis=None, name=None):
    """``logits - log(sum(exp(logits)))`` along ``axis`` (default the last), stably."""
    x = floating(logits, "log_softmax")
    return LogSoftmax.apply(x, axis=_softmax_axis(x, axis, "log_softmax"))
