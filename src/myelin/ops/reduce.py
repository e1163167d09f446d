"""Reductions over axes (sum, mean, max, min, logsumexp, any, all) and arg-extrema.

``axis=None`` reduces every axis; an empty list reduces none (TensorFlow and NumPy
agree on this). The backward of a reduction broadcasts the gradient back over the
reduced axes; max and min split it evenly among tied elements, as TensorFlow does.
"""

import math

import numpy as np

from ..autodiff import Function, Tensor, convert_to_tensor
from .shape import normalize_axis


def _axes(x, axis, op):
    """``axis`` (None, int, list or Tensor) as None or a tuple of distinct axes."""
    if axis is None:
        return None
    raw = axis._data if isinstance(axis, Tensor) else axis
    items = (raw,) if isinstance(raw, int) else np.ravel(raw).tolist()
    axes = tuple(normalize_axis(a, x.ndim, op, x.shape) for a in items)
    if len(set(axes)) != len(axes):
        raise ValueError(f"{op}: axis {raw} names an axis twice (tensor shape {x.shape}).")
    return axes


def _expand(grad, axes, keepdims, ndim):
    """The output gradient with the reduced axes back as size-1 axes."""
    if keepdims:
        return grad
    if axes is None:
        return np.reshape(grad, (1,) * ndim)
    return np.expand_dims(grad, axes)


class Reduction(Function):
    def __init__(self, axes, keepdims):
        self.axes, self.keepdims = axes, keepdims

    def count(self, shape):
        axes = range(len(shape)) if self.axes is None else self.axes
        return math.prod(shape[a] for a in axes)

    def spread(self, grad):
        """``grad`` broadcast to the input's shape (a read-only view: no copy)."""
        return np.broadcast_to(_expand(grad, self.axes, self.keepdims, len(self.in_shape)),
                               self.in_shape)


def _sum(x, axes, keepdims):
    # NumPy would widen int32 sums to int64; TensorFlow keeps the input dtype.
    dtype = x.dtype if x.dtype.kind in "iu" else None
    return np.sum(x, axis=axes, keepdims=keepdims, dtype=dtype)


class ReduceSum(Reduction):
    def forward(self, x):
        self.in_shape = x.shape
        return np.asarray(_sum(x, self.axes, self.keepdims))

    def backward(self, grad):
        return self.spread(grad)


class ReduceMean(Reduction):
    def forward(self, x):
        self.in_shape = x.shape
        if x.dtype.kind == "f":
            return np.asarray(np.mean(x, axis=self.axes, keepdims=self.keepdims))
        # TensorFlow's integer mean stays integer (the quotient truncated toward zero).
        total = _sum(x, self.axes, self.keepdims)
        return np.asarray(np.trunc(total / max(self.count(x.shape), 1))).astype(x.dtype)

    def backward(self, grad):
        return self.spread(grad / self.count(self.in_shape))


class ReduceExtreme(Reduction):
    """reduce_max (``np.max``) or reduce_min (``np.min``)."""

    def __init__(self, axes, keepdims, fn):
        super().__init__(axes, keepdims)
        self.fn = fn

    def forward(self, x):
        self.in_shape, self.x = x.shape, x
        extra = {}
        if x.size == 0:  # TensorFlow: the max of nothing is the lowest value (-inf)
            info = np.iinfo(x.dtype) if x.dtype.kind in "iu" else None
            low, high = (info.min, info.max) if info else (-np.inf, np.inf)
            if x.dtype.kind == "b":  # -inf would become True: the max of nothing is False
                low, high = False, True
            extra["initial"] = low if self.fn is np.max else high
        self.out = self.fn(x, axis=self.axes, keepdims=True, **extra)
        if self.keepdims:
            return self.out
        return np.asarray(np.squeeze(self.out, axis=self.axes))

    def backward(self, grad):
        mask = self.x == self.out
        ties = mask.sum(axis=self.axes, keepdims=True, dtype=grad.dtype)
        return mask * (_expand(grad, self.axes, self.keepdims, self.x.ndim) / ties)


class ReduceLogSumExp(Reduction):
    def forward(self, x):
        self.x = x
        top = np.max(x, axis=self.axes, keepdims=True)
        top = np.where(np.isfinite(top), top, 0)  # all -inf rows: avoid inf - inf
        with np.errstate(divide="ignore"):  # log(0) = -inf is the right answer there
            self.out = np.log(np.sum(np.exp(x - top), axis=self.axes, keepdims=True)) + top
        if self.keepdims:
            return self.out
        return np.asarray(np.squeeze(self.out, axis=self.axes))

    def backward(self, grad):
        g = _expand(grad, self.axes, self.keepdims, self.x.ndim)
        return g * np.exp(self.x - self.out)


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum over ``axis`` (all axes when None).

    Example:
        >>> reduce_sum(constant([[1.0, 2.0], [3.0, 4.0]]), axis=0).numpy()
        array([4., 6.], dtype=float32)
    """
    x = convert_to_tensor(input_tensor)
    return ReduceSum.apply(x, axes=_axes(x, axis, "reduce_sum"), keepdims=keepdims)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean over ``axis``; integer tensors give an integer (truncated) mean like TF."""
    x = convert_to_tensor(input_tensor)
    return ReduceMean.apply(x, axes=_axes(x, axis, "reduce_mean"), keepdims=keepdims)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """Maximum over ``axis``; the gradient is shared equally by tied maxima."""
    x = convert_to_tensor(input_tensor)
    axes = _axes(x, axis, "reduce_max")
    return ReduceExtreme.apply(x, axes=axes, keepdims=keepdims, fn=np.max)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """Minimum over ``axis``; the gradient is shared equally by tied minima."""
    x = convert_to_tensor(input_tensor)
    axes = _axes(x, axis, "reduce_min")
    return ReduceExtreme.apply(x, axes=axes, keepdims=keepdims, fn=np.min)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """``log(sum(exp(x)))`` over ``axis``, computed without overflow."""
    x = convert_to_tensor(input_tensor)
    axes = _axes(x, axis, "reduce_logsumexp")
    return ReduceLogSumExp.apply(x, axes=axes, keepdims=keepdims)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical or over ``axis`` (not differentiable)."""
    x = convert_to_tensor(input_tensor)
    axes = _axes(x, axis, "reduce_any")
    return Tensor(np.asarray(np.any(x._data, axis=axes, keepdims=keepdims)))


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical and over ``axis`` (not differentiable)."""
    x = convert_to_tensor(input_tensor)
    axes = _axes(x, axis, "reduce_all")
    return Tensor(np.asarray(np.all(x._data, axis=axes, keepdims=keepdims)))


def _arg(fn, op, input, axis, output_type):
    x = convert_to_tensor(input)
    a = normalize_axis(0 if axis is None else axis, x.ndim, op, x.shape)
    return Tensor(np.asarray(fn(x._data, axis=a)).astype(output_type))


def argmax(input, axis=None, output_type=np.int64, name=None):
    """Index of the largest value along ``axis`` (default 0, as in TF 2); int64.

    Ties go to the smallest index.
    """
    return _arg(np.argmax, "argmax", input, axis, output_type)


def argmin(input, axis=None, output_type=np.int64, name=None):
    """Index of the smallest value along ``axis`` (default 0, as in TF 2); int64."""
    return _arg(np.argmin, "argmin", input, axis, output_type)
