"""The built-in losses' batch mean as one op each: the trainer's fast path.

``fit`` reduces a loss to its mean over the batch ("sum_over_batch_size"). For the
built-in losses that mean is one short formula, so computing it as a single
Function (one node on the tape instead of four to six) removes most of the
per-step overhead of small networks. Each kernel assumes targets already shaped
like the output, which the trainer guarantees once per fit; Keras's results are
reproduced up to float rounding, and the tests compare both paths.
"""

import numpy as np

from ..autodiff import Function, Tensor
from ..ops.fused import sigmoid_inplace
from .probability import EPSILON


class _BatchMean(Function):
    """Base: forward returns a 0-d array; backward scales the saved derivative."""

    def backward(self, grad):
        return self.derivative * grad, None


class MeanAbsoluteError(_BatchMean):
    def forward(self, pred, true):
        diff = pred - true
        self.derivative = np.sign(diff) / diff.size
        return np.abs(diff).mean(dtype=pred.dtype)


class MeanSquaredError(_BatchMean):
    def forward(self, pred, true):
        diff = pred - true
        self.derivative = diff * (2.0 / diff.size)
        return np.square(diff).mean(dtype=pred.dtype)


class BinaryCrossentropyFromLogits(_BatchMean):
    def forward(self, x, z):
        self.x, self.z = x, z
        return (np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))).mean(dtype=x.dtype)

    def backward(self, grad):
        p = sigmoid_inplace(self.x.copy())
        return (p - self.z) * (grad / self.x.size), None


class BinaryCrossentropyFromProbs(_BatchMean):
    def forward(self, p, y):
        c = np.clip(p, EPSILON, 1 - EPSILON)
        inside = (p >= EPSILON) & (p <= 1 - EPSILON)
        self.derivative = ((1 - y) / (1 - c) - y / c) * inside / p.size
        return -(y * np.log(c) + (1 - y) * np.log1p(-c)).mean(dtype=p.dtype)


class SoftmaxCrossentropyFromLogits(_BatchMean):
    """Mean over examples of ``-log softmax(logits)[label]`` (sparse) or ``-y . log p``."""

    def __init__(self, sparse):
        self.sparse = sparse

    def forward(self, logits, labels):
        self.shape = logits.shape
        logits = logits.reshape(-1, logits.shape[-1])  # leading axes are all examples
        shifted = logits - logits.max(axis=-1, keepdims=True)
        exp = np.exp(shifted)
        total = exp.sum(axis=-1, keepdims=True)
        log_p = shifted - np.log(total)
        self.p = exp / total
        if self.sparse:
            self.index = (np.arange(len(logits)), labels.reshape(-1))
            return -log_p[self.index].mean(dtype=logits.dtype)
        self.labels = labels.reshape(logits.shape)
        return -(self.labels * log_p).sum(axis=-1).mean(dtype=logits.dtype)

    def backward(self, grad):
        p = self.p
        if self.sparse:
            p[self.index] -= 1
        else:
            p = p * self.labels.sum(axis=-1, keepdims=True) - self.labels
        p *= grad / len(p)
        return p.reshape(self.shape), None


def _kernel(loss):
    """The batch-mean kernel for a built-in loss object, or None."""
    from . import crossentropy, regression  # the loss classes sit beside this module

    fn = getattr(loss, "fn", None)
    kwargs = getattr(loss, "_fn_kwargs", {})
    if kwargs.get("label_smoothing") or getattr(loss, "reduction", None) != (
            "sum_over_batch_size"):
        return None
    if fn is regression.mean_absolute_error:
        return MeanAbsoluteError, {}
    if fn is regression.mean_squared_error:
        return MeanSquaredError, {}
    logits = bool(kwargs.get("from_logits"))
    if fn is crossentropy.binary_crossentropy:
        return (BinaryCrossentropyFromLogits if logits else BinaryCrossentropyFromProbs), {}
    if fn is crossentropy.sparse_categorical_crossentropy and logits:
        return SoftmaxCrossentropyFromLogits, {"sparse": True}
    if fn is crossentropy.categorical_crossentropy and logits:
        return SoftmaxCrossentropyFromLogits, {"sparse": False}
    return None


def batch_mean_fn(loss):
    """A function ``(y_true_array, y_pred_tensor) -> scalar Tensor`` computing
    ``loss(y_true, y_pred)`` in one op, or None when ``loss`` has no such kernel.

    ``y_true`` must already have the layout the trainer's target check produces
    (``y_pred``'s shape; integer labels of shape ``(n,)`` for the sparse loss).
    """
    found = _kernel(loss)
    if found is None:
        return None
    cls, params = found

    def mean_loss(y_true, y_pred):
        return cls.apply(y_pred, Tensor(y_true), **params)

    return mean_loss
