"""TensorFlow's ``tf.nn`` namespace: activations, cross-entropies from logits, dropout.

The cross-entropies are the fused kernels of ``myelin.ops.fused``: one op each,
with the gradient ``softmax(logits) - labels`` (or ``sigmoid(logits) - labels``),
finite even for logits of +-1000.
"""

from .autodiff import convert_to_tensor
from .autodiff.static_value import make_graph_capable
from .math import in_top_k
from .nn_conv import (
    avg_pool1d,
    avg_pool2d,
    conv1d,
    conv2d,
    conv2d_transpose,
    depthwise_conv2d,
    max_pool1d,
    max_pool2d,
)
from .ops import elementwise, reduce
from .ops.activation import (
    elu,
    leaky_relu,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    tanh,
)
from .ops.fused import embedding_lookup as _embedding_lookup
from .ops.fused import sigmoid_cross_entropy, softmax_cross_entropy
from .ops.random import dropout
from .ops.shape import normalize_axis, transpose

swish = silu

__all__ = [
    "bias_add", "dropout", "elu", "embedding_lookup", "in_top_k", "l2_loss", "leaky_relu",
    "log_softmax", "relu", "relu6", "selu", "sigmoid", "sigmoid_cross_entropy_with_logits",
    "silu", "softmax", "softmax_cross_entropy_with_logits", "softplus", "softsign",
    "softmax_cross_entropy_with_logits_v2", "sparse_softmax_cross_entropy_with_logits",
    "swish", "tanh",
    # convolutions and poolings (nn_conv)
    "avg_pool1d", "avg_pool2d", "conv1d", "conv2d", "conv2d_transpose", "depthwise_conv2d",
    "max_pool1d", "max_pool2d",
]


def _require(labels, logits, op):
    if labels is None or logits is None:
        raise ValueError(f"{op}: pass both labels and logits, e.g. {op}(labels=y, logits=z).")


def sparse_softmax_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Per-example cross-entropy between integer class ``labels`` and ``logits``.

    Args:
        labels: integer class indices of shape ``logits.shape[:-1]``, in ``[0, classes)``.
        logits: unnormalized scores, classes on the last axis.

    Returns:
        The loss per example (shape of ``labels``), differentiable in ``logits``.

    Example:
        >>> sparse_softmax_cross_entropy_with_logits(labels=[0], logits=[[0.0, 0.0]])
        tf.Tensor([0.6931472], shape=(1,), dtype=float32)
    """
    op = "sparse_softmax_cross_entropy_with_logits"
    _require(labels, logits, op)
    return softmax_cross_entropy(labels, logits, sparse=True, where=op)


def softmax_cross_entropy_with_logits(labels=None, logits=None, axis=-1, name=None):
    """Per-example cross-entropy between a distribution ``labels`` and ``logits``.

    As in TF 2, the gradient also flows into ``labels`` (``-log_softmax(logits)``).

    Args:
        labels: same shape as ``logits``; each slice along ``axis`` a distribution.
        logits: unnormalized scores.
        axis: the class axis (default the last).
    """
    op = "softmax_cross_entropy_with_logits"
    _require(labels, logits, op)
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype=logits.dtype)
    a = normalize_axis(axis, logits.ndim, op, logits.shape)
    if a != logits.ndim - 1:  # the fused kernel works on the last axis
        perm = [d for d in range(logits.ndim) if d != a] + [a]
        logits, labels = transpose(logits, perm), transpose(labels, perm)
    return softmax_cross_entropy(labels, logits, where=op)


def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """Elementwise ``-(labels * log(sigmoid(logits)) + (1 - labels) * log(1 - sigmoid))``.

    Computed as ``max(x, 0) - x * z + log(1 + exp(-|x|))``: no overflow, no log(0).
    """
    _require(labels, logits, "sigmoid_cross_entropy_with_logits")
    return sigmoid_cross_entropy(labels, logits)


def embedding_lookup(params, ids, max_norm=None, name=None):
    """Rows of ``params`` at integer ``ids``; repeated ids add up in the gradient."""
    if max_norm is not None:
        raise NotImplementedError("embedding_lookup: max_norm is not supported.")
    return _embedding_lookup(params, ids)


def bias_add(value, bias, data_format=None, name=None):
    """``value + bias`` with a 1-D ``bias`` added along the last (channels) axis."""
    value, bias = convert_to_tensor(value), convert_to_tensor(bias)
    if data_format not in (None, "NHWC", "NWC", "NDHWC", "N...C"):
        raise NotImplementedError(f"bias_add: data_format {data_format!r} is not supported; "
                                  f"put channels last.")
    if bias.ndim != 1 or value.ndim < 1 or bias.shape[0] != value.shape[-1]:
        raise ValueError(
            f"bias_add: bias must be 1-D with one value per channel (last axis); received "
            f"bias of shape {bias.shape} for value of shape {value.shape}."
        )
    return elementwise.add(value, bias)


def l2_loss(t, name=None):
    """``sum(t ** 2) / 2`` (the usual weight-decay term)."""
    return elementwise.multiply(reduce.reduce_sum(elementwise.square(t)), 0.5)


# Functions that read raw values outside an op are recorded whole in graph mode.
make_graph_capable(globals(), [n for n in __all__ if not n.endswith("_v2")])
softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits  # TF 1.x's name
