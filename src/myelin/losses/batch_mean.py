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
from ..ops.fused import SigmoidCrossEntropy, SoftmaxCrossEntropy
from . import probability


def _mean(values, dtype):
    """``values.mean(dtype=dtype)``, the same sum and division without NumPy's Python
    wrapper (a sixth of a tiny model's step). NumPy divides by an ``intp`` count."""
    total = np.add.reduce(values, axis=None, dtype=dtype)
    return total.dtype.type(total / np.intp(values.size))


class _BatchMean(Function):
    """Base: forward returns a 0-d array; backward scales the saved derivative."""

    def backward(self, grad):
        return self.derivative * grad, None


class MeanAbsoluteError(_BatchMean):
    def forward(self, pred, true):
        diff = pred - true
        self.derivative = np.sign(diff) / diff.size
        return _mean(np.abs(diff), pred.dtype)


class MeanSquaredError(_BatchMean):
    def forward(self, pred, true):
        diff = pred - true
        self.derivative = diff * (2.0 / diff.size)
        return _mean(np.square(diff), pred.dtype)


class _MeanOf:
    """Mixin over a per-sample loss Function: forward averages its values; backward hands
    it the mean's gradient, ``grad / count`` for every value, so the loss's formula and
    derivative are written once, in the per-sample kernel."""

    def forward(self, pred, true):
        values = super().forward(pred, true)
        self.count = values.size
        return _mean(values, pred.dtype)

    def backward(self, grad):
        # A 0-d share: the per-sample kernels use their gradient only in elementwise
        # products, where it broadcasts like a full array of it, without building one.
        return super().backward(np.asarray(grad / self.count, dtype=grad.dtype))


class BinaryCrossentropyFromLogits(_MeanOf, SigmoidCrossEntropy):
    """Mean of the stable sigmoid cross-entropy of ``ops.fused``."""


class BinaryCrossentropyFromProbs(_MeanOf, probability.BinaryCrossentropyFromProbs):
    """Mean of Keras's clipped binary cross-entropy on probabilities."""


class SoftmaxCrossentropyFromLogits(_MeanOf, SoftmaxCrossEntropy):
    """Mean over examples of the softmax cross-entropy of ``ops.fused`` (sparse or not)."""


def batch_mean_kernel(loss):
    """The batch-mean kernel of a built-in loss object.

    Args:
        loss: a compiled loss object.

    Returns:
        ``(Function class, its params)``, or None when the loss has no one-op mean.
    """
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
    found = batch_mean_kernel(loss)
    if found is None:
        return None
    cls, params = found

    def mean_loss(y_true, y_pred):
        return cls.apply(y_pred, Tensor(y_true), **params)

    return mean_loss
