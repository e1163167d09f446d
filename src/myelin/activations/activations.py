"""Activation functions with Keras 3's names, arguments and defaults.

Each takes a Tensor (or array-like) and returns a differentiable Tensor; the math
lives in ``myelin.nn`` (one op per activation), so these add only Keras's
arguments. ``step`` is the Heaviside threshold of the classic perceptron.
"""

import numpy as np

from .. import nn, ops
from ..autodiff import Function, convert_to_tensor


def linear(x):
    """The identity (Keras's default activation)."""
    return convert_to_tensor(x)


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0):
    """Rectified linear unit: ``max(x, 0)``, with Keras's optional variations.

    Args:
        x: input tensor.
        negative_slope: slope below ``threshold`` (0 by default).
        max_value: saturate the output at this value.
        threshold: values up to it map to 0 (or to the negative slope).

    Example:
        >>> relu(myelin.constant([-10.0, -5.0, 0.0, 5.0, 10.0]), max_value=5.0).numpy()
        array([0., 0., 0., 5., 5.], dtype=float32)
    """
    x = convert_to_tensor(x)
    if negative_slope == 0 and max_value is None and threshold == 0:
        return nn.relu(x)
    if negative_slope != 0 and max_value is None and threshold == 0:
        return nn.leaky_relu(x, alpha=negative_slope)
    negative = nn.relu(threshold - x) if negative_slope != 0 else None
    out = ops.where(x._data > threshold, x, 0.0) if threshold != 0 else nn.relu(x)
    if max_value is not None:
        out = ops.minimum(out, max_value)
    if negative is not None:
        out = out - negative * negative_slope
    return out


def leaky_relu(x, negative_slope=0.2):
    """``x`` where positive, else ``negative_slope * x`` (Keras 3's default 0.2)."""
    return nn.leaky_relu(x, alpha=negative_slope)


def relu6(x):
    """``min(max(x, 0), 6)``."""
    return nn.relu6(x)


def sigmoid(x):
    """``1 / (1 + exp(-x))``: squashes to (0, 1), for binary outputs."""
    return nn.sigmoid(x)


def tanh(x):
    """Hyperbolic tangent: squashes to (-1, 1)."""
    return nn.tanh(x)


def softmax(x, axis=-1):
    """``exp(x) / sum(exp(x))`` along ``axis``: a probability distribution per row.

    Example:
        >>> softmax(myelin.constant([[0.0, 0.0]])).numpy()
        array([[0.5, 0.5]], dtype=float32)
    """
    return nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """``log(softmax(x))`` computed stably."""
    return nn.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit: ``x`` where positive, else ``alpha * (exp(x) - 1)``."""
    return nn.elu(x, alpha=alpha)


def selu(x):
    """Scaled ELU with the self-normalizing constants (use with LecunNormal)."""
    return nn.selu(x)


def softplus(x):
    """``log(exp(x) + 1)``."""
    return nn.softplus(x)


def softsign(x):
    """``x / (abs(x) + 1)``."""
    return nn.softsign(x)


def silu(x):
    """``x * sigmoid(x)`` (also called swish)."""
    return nn.silu(x)


def exponential(x):
    """``exp(x)``."""
    return ops.exp(x)


class Step(Function):
    """Heaviside step; its derivative is 0 everywhere it exists."""

    def forward(self, x):
        return (x >= 0).astype(x.dtype)

    def backward(self, grad):
        return np.zeros_like(grad)


def step(x):
    """Heaviside step: 1 where ``x >= 0``, else 0 (the linear threshold unit).

    Its gradient is 0, so gradient descent cannot train through it; the perceptron
    learning rule can.

    Example:
        >>> step(myelin.constant([-1.0, 0.0, 2.0])).numpy()
        array([0., 1., 1.], dtype=float32)
    """
    return Step.apply(convert_to_tensor(x))
