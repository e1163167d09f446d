"""Rules of the fused kernels (dense, cross-entropies, batch-mean losses) and the
layers' private ops: each restated as a composition of primitive ops.

A fused kernel's array ``backward`` is the trainer's fast path; in higher-order
and forward mode the op is recomputed from its composition, whose primitives have
rules of their own (``composite_vjp`` / ``composite_jvp``). Each composition
computes the same values as the kernel (the tests compare both).
"""

import numpy as np

from ...activations.activations import Step
from ...autodiff import Tensor
from ...autodiff.forward_mode import jvp_rule, push_forward
from ...autodiff.higher_order import composite_vjp, vjp_rule, watching
from ...layers.normalization import _Standardize
from ...layers.pooling.global_average_pooling1d import _MaskedMean
from ...layers.regularization import _Dropout
from ...losses import batch_mean, probability
from .. import activation as act
from .. import elementwise as ew
from ..fused import (
    FUSED_ACTIVATIONS,
    Dense,
    EmbeddingLookup,
    SigmoidCrossEntropy,
    SoftmaxCrossEntropy,
)
from ..linalg import matmul
from ..random import Dropout
from ..reduce import reduce_mean, reduce_sum
from ..shape import Gather, reshape
from .elementwise import const


def composite(*classes):
    """Register ``compose(fn, *inputs) -> Tensor`` as the VJP and JVP source of classes.

    Args:
        *classes: fused Function classes that ``compose`` restates with primitive ops.

    Returns:
        A decorator that registers ``compose`` and returns it unchanged.

    Example:
        >>> @composite(MeanSquaredError)
        ... def _mse(fn, pred, true):
        ...     return reduce_mean(square(pred - true))
    """
    def register(compose):
        rule = composite_vjp(compose)
        for cls in classes:
            vjp_rule(cls)(rule)
            jvp_rule(cls)(_composite_jvp(compose))
        return compose
    return register


def _composite_jvp(compose):
    def rule(fn, out, tangents):
        with watching(fn.inputs):
            y = compose(fn, *fn.inputs)
            seeds = {id(x): t for x, t in zip(fn.inputs, tangents, strict=True)
                     if t is not None}
            return push_forward(y, seeds)
    return rule


_APPLY = {"relu": act.relu, "sigmoid": act.sigmoid, "tanh": act.tanh,
          "softmax": act.softmax}


@composite(Dense)
def _dense(fn, x, kernel, bias=None):
    name = next(n for n, (f, _) in FUSED_ACTIVATIONS.items() if f is fn.forward_act)
    z = matmul(reshape(x, (-1, kernel.shape[0])), kernel)
    if bias is not None:
        z = z + bias
    z = reshape(z, x.shape[:-1] + (kernel.shape[1],))
    return _APPLY[name](z) if name in _APPLY else z


def _one_hot(labels, classes, like):
    return const(labels[..., None] == np.arange(classes), like)


def _softmax_ce(fn, logits, labels):
    log_p = act.log_softmax(logits)
    if fn.sparse:
        labels = _one_hot(labels._data, logits.shape[-1], logits)
    return -reduce_sum(labels * log_p, axis=-1)


def _sigmoid_ce(fn, x, z):
    return act.softplus(x) - x * z  # = max(x, 0) - x z + log1p(exp(-|x|))


def _probs_bce(fn, p, y):
    c = ew.clip_by_value(p, probability.EPSILON, 1 - probability.EPSILON)
    return -(y * ew.log(c) + (1.0 - y) * ew.log(1.0 - c))


composite(SoftmaxCrossEntropy)(_softmax_ce)
composite(SigmoidCrossEntropy)(_sigmoid_ce)
composite(probability.BinaryCrossentropyFromProbs)(_probs_bce)


@composite(probability.CategoricalCrossentropyFromProbs)
def _probs_cce(fn, p, y):
    q = p / reduce_sum(p, axis=-1, keepdims=True)
    c = ew.clip_by_value(q, probability.EPSILON, 1 - probability.EPSILON)
    return -reduce_sum(y * ew.log(c), axis=-1)


def _mean_of(per_sample):
    return lambda fn, pred, true: reduce_mean(per_sample(fn, pred, true))


composite(batch_mean.SoftmaxCrossentropyFromLogits)(_mean_of(_softmax_ce))
composite(batch_mean.BinaryCrossentropyFromLogits)(_mean_of(_sigmoid_ce))
composite(batch_mean.BinaryCrossentropyFromProbs)(_mean_of(_probs_bce))


@composite(batch_mean.MeanSquaredError)
def _mse(fn, pred, true):
    return reduce_mean(ew.square(pred - true))


@composite(batch_mean.MeanAbsoluteError)
def _mae(fn, pred, true):
    return reduce_mean(ew.abs(pred - true))


@composite(EmbeddingLookup)
def _embedding(fn, params):
    return Gather.apply(params, ids=fn.ids, axis=0)


@composite(Dropout, _Dropout)
def _dropout(fn, x):
    return x * const(fn.mask, x)


@composite(_MaskedMean)
def _masked_mean(fn, x):
    return reduce_sum(x * const(fn.scale, x), axis=fn.axis, keepdims=fn.keepdims)


@composite(_Standardize)
def _standardize(fn, x):
    mean, std = const(fn.mean, x), const(fn.std, x)
    return x * std + mean if fn.invert else (x - mean) / std


@composite(Step)
def _step(fn, x):
    return x * 0.0 + Tensor((x._data >= 0).astype(x.dtype))  # derivative 0 everywhere
