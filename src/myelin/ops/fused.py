"""Fused kernels for the hot paths of small networks.

Each is one Function instead of a chain of small ones: a Dense layer with its
activation is two BLAS calls forward and three backward, the activation's
derivative comes from the saved output, and the cross-entropies work from logits
(gradient ``p - y``: no log(0), no NaN for logits of +-1000).
"""

import numpy as np

from ..autodiff import Function, Tensor, convert_to_tensor
from ..backend import BLAS_FLOATS


def sigmoid_inplace(z):
    """Stable logistic sigmoid written into ``z`` (tanh form: never overflows)."""
    np.multiply(z, 0.5, out=z)
    np.tanh(z, out=z)
    np.multiply(z, 0.5, out=z)
    np.add(z, 0.5, out=z)
    return z


def row_max(z):
    """``z.max(axis=-1, keepdims=True)``, the same elements (NaN included).

    NumPy's max along a short last axis takes a slow path: for a batch of at least 32
    rows of a few classes, ``argmax`` and picking the elements is 2x faster (200 x 10:
    22 us -> 9 us); one row, one column or more axes keep ``max``.
    """
    if z.ndim != 2 or z.shape[0] < 32 or z.shape[1] < 2:
        return z.max(axis=-1, keepdims=True)
    return z[np.arange(z.shape[0]), z.argmax(axis=-1)][:, None]


def _row_sums(a):
    """``a.sum(axis=-1, keepdims=True)``; for a 2-D float32/64 array one BLAS product
    with a ones vector (NumPy's reduction along a short last axis costs ~6 us at
    200 x 10, the product ~1), equal up to the order of the additions."""
    if a.ndim != 2 or a.dtype not in BLAS_FLOATS:
        return a.sum(axis=-1, keepdims=True)
    return np.dot(a, np.ones(a.shape[1], a.dtype))[:, None]


def _column_sums(a):
    """``a.sum(axis=0)`` of a 2-D array (a bias gradient) as ``ones @ a`` for
    float32/64: one BLAS product, equal up to the order of the additions."""
    if a.dtype not in BLAS_FLOATS:
        return a.sum(axis=0)
    return np.dot(np.ones(a.shape[0], a.dtype), a)


def softmax_inplace(z):
    """Softmax over the last axis written into ``z``."""
    z -= row_max(z)
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def _relu_inplace(z):
    return np.maximum(z, 0, out=z)


def _tanh_inplace(z):
    return np.tanh(z, out=z)


# activation name -> (in-place forward, derivative from (grad, output))
FUSED_ACTIVATIONS = {
    "linear": (None, None),
    "relu": (_relu_inplace, lambda g, y: g * (y > 0)),
    "sigmoid": (sigmoid_inplace, lambda g, y: g * y * (1 - y)),
    "tanh": (_tanh_inplace, lambda g, y: g * (1 - y * y)),
    "softmax": (softmax_inplace, lambda g, y: y * (g - (g * y).sum(axis=-1, keepdims=True))),
}


class Dense(Function):
    """``activation(x @ kernel + bias)`` over the last axis of ``x``."""

    def __init__(self, activation="linear"):
        self.forward_act, self.derivative = FUSED_ACTIVATIONS[activation]

    # np.dot calls BLAS for every 2-D shape; np.matmul takes a slow generic loop for
    # some (a batch of one: the 784 x 1 x 300 weight gradient costs 260 us, not 26).
    def forward(self, x, kernel, bias=None):
        out = np.dot(x, kernel)
        if bias is not None:
            out += bias
        if self.forward_act is not None:
            self.forward_act(out)
        self.x, self.kernel, self.out = x, kernel, out
        return out

    def backward(self, grad):
        g = grad if self.derivative is None else self.derivative(grad, self.out)
        units = self.kernel.shape[1]
        g2 = g.reshape(-1, units)
        gx = np.dot(g, self.kernel.T) if self.needs[0] else None
        gk = np.dot(self.x.reshape(-1, self.kernel.shape[0]).T, g2) if self.needs[1] else None
        if len(self.needs) == 2:
            return gx, gk
        return gx, gk, _column_sums(g2) if self.needs[2] else None


def dense(x, kernel, bias=None, activation="linear"):
    """Fused dense layer; ``activation`` is one of ``FUSED_ACTIVATIONS`` (or None)."""
    inputs = (x, kernel) if bias is None else (x, kernel, bias)
    return Dense.apply(*inputs, activation=activation or "linear")


def _check_sparse_labels(labels, classes, where):
    if labels.dtype.kind not in "iub":
        if labels.dtype.kind == "f" and np.all(labels == np.floor(labels)):
            labels = labels.astype(np.int64)
        else:
            raise TypeError(
                f"{where}: labels must be integer class indices, received dtype "
                f"{labels.dtype.name}. For one-hot labels use the categorical variant."
            )
    if labels.size:
        low, high = labels.min(), labels.max()
        if low < 0 or high >= classes:
            bad = low if low < 0 else high
            raise ValueError(
                f"{where}: received a label value of {bad} which is outside the valid range "
                f"of [0, {classes}). The model has {classes} output classes; labels must be "
                f"0 .. {classes - 1}."
            )
    return labels


class SoftmaxCrossEntropy(Function):
    """Per-example ``-sum(labels * log_softmax(logits))`` over the last axis."""

    def __init__(self, sparse):
        self.sparse = sparse

    def forward(self, logits, labels):
        shifted = logits - row_max(logits)
        log_p = shifted - np.log(_row_sums(np.exp(shifted)))
        self.log_p, self.labels = log_p, labels
        if self.sparse:
            flat = log_p.reshape(-1, log_p.shape[-1])
            picked = flat[np.arange(flat.shape[0]), labels.reshape(-1)]
            return -picked.reshape(labels.shape)
        return -(labels * log_p).sum(axis=-1)

    def backward(self, grad):
        p = np.exp(self.log_p)
        g = grad[..., None]
        if self.sparse:
            flat = p.reshape(-1, p.shape[-1])
            flat[np.arange(flat.shape[0]), self.labels.reshape(-1)] -= 1
            return p * g, None
        glogits = (p * self.labels.sum(axis=-1, keepdims=True) - self.labels) * g
        glabels = -self.log_p * g if self.needs[1] else None
        return glogits, glabels


def softmax_cross_entropy(labels, logits, sparse=False, where="softmax_cross_entropy"):
    """Per-example softmax cross-entropy from logits; ``sparse`` takes class indices."""
    logits = convert_to_tensor(logits)
    if sparse:
        raw = labels._data if isinstance(labels, Tensor) else np.asarray(labels)
        raw = _check_sparse_labels(raw, logits.shape[-1], where)
        if raw.shape != logits.shape[:-1]:
            raise ValueError(
                f"{where}: labels of shape {raw.shape} do not match logits of shape "
                f"{logits.shape}; expected labels of shape {logits.shape[:-1]}."
            )
        return SoftmaxCrossEntropy.apply(logits, Tensor(raw), sparse=True)
    labels = convert_to_tensor(labels, dtype=logits.dtype)
    if labels.shape != logits.shape:
        raise ValueError(
            f"{where}: labels and logits must have the same shape, received "
            f"{labels.shape} and {logits.shape}."
        )
    return SoftmaxCrossEntropy.apply(logits, labels, sparse=False)


class SigmoidCrossEntropy(Function):
    """Elementwise ``-(z log sigmoid(x) + (1 - z) log(1 - sigmoid(x)))``, stably."""

    def forward(self, x, z):
        self.x, self.z = x, z
        return np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x)))

    def backward(self, grad):
        p = sigmoid_inplace(self.x.copy())
        return (p - self.z) * grad, (-self.x * grad if self.needs[1] else None)


def sigmoid_cross_entropy(labels, logits):
    """Elementwise sigmoid cross-entropy from logits (TensorFlow's formula)."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels, dtype=logits.dtype)
    if labels.shape != logits.shape:
        raise ValueError(
            f"sigmoid_cross_entropy_with_logits: labels and logits must have the same shape, "
            f"received {labels.shape} and {logits.shape}."
        )
    return SigmoidCrossEntropy.apply(logits, labels)


class EmbeddingLookup(Function):
    """Rows of ``params`` picked by integer ``ids``; backward scatter-adds repeats."""

    def __init__(self, ids):
        self.ids = ids

    def forward(self, params):
        self.rows = params.shape
        return np.take(params, self.ids, axis=0)

    def backward(self, grad):
        # One scatter-add per table column, each with the ids as a 1-D index: NumPy's
        # add.at has a fast path for that case which the row-wise form misses (IMDB
        # batch: 2.5 ms instead of 17, same sums in the same order). Two adjacent float
        # columns go through one complex scatter (complex addition adds the two parts
        # separately, so the sums are bit-identical): half the calls, 4.2 -> 2.6 ms.
        rows, width = self.rows[0], int(np.prod(self.rows[1:]))
        ids = self.ids.reshape(-1)
        order = _feature_major_order(grad, self.ids.ndim, width)
        if order is not None:
            # Each column already lies contiguous in memory (an LSTM's input gradient
            # comes feature-major): scatter it as it lies, ids visited in the same order
            # (IMDB batch: 2 ms instead of 6 for strided columns).
            out = np.zeros((width, rows), dtype=grad.dtype)
            ids = self.ids.transpose(order).reshape(-1)
            for j in range(width):
                np.add.at(out[j], ids, grad[..., j].transpose(order).reshape(-1))
            return np.ascontiguousarray(out.T).reshape(self.rows)
        lane = _PAIRED.get(grad.dtype, grad.dtype) if width % 2 == 0 else grad.dtype
        lanes = width * grad.dtype.itemsize // lane.itemsize
        out = np.zeros((lanes, rows), dtype=lane)
        if grad.ndim == 3 and grad.strides[1] == 0 and self.ids.ndim == 2:
            # Constant along the sequence (the gradient of an average pooling):
            # repeat each sample's row instead of copying the broadcast array.
            steps = grad.shape[1]
            first = np.ascontiguousarray(grad[:, 0, :].reshape(len(grad), width))
            for j, column in enumerate(first.view(lane).T):
                np.add.at(out[j], ids, np.repeat(column, steps))
        else:
            flat = np.ascontiguousarray(grad.reshape(-1, width))
            for j, column in enumerate(flat.view(lane).T):
                np.add.at(out[j], ids, column)
        return np.ascontiguousarray(out.T).view(grad.dtype).reshape(self.rows)


# float dtype -> the complex dtype that holds two of them side by side
_PAIRED = {np.dtype(np.float32): np.dtype(np.complex64),
           np.dtype(np.float64): np.dtype(np.complex128)}


def _feature_major_order(grad, id_ndim, width):
    """The axis order in which each ``grad[..., j]`` is one contiguous run, or None.

    Only for one feature axis after the ids' axes, stored with the largest stride.
    """
    if width < 2 or grad.ndim != id_ndim + 1 or grad.strides[-1] != grad[..., 0].size * (
            grad.itemsize):
        return None
    order = tuple(sorted(range(id_ndim), key=lambda k: -grad.strides[k]))
    return order if grad[..., 0].transpose(order).flags.c_contiguous else None


def embedding_lookup(params, ids, where="embedding_lookup"):
    """``params[ids]`` with a clear error for indices outside ``[0, len(params))``."""
    params = convert_to_tensor(params)
    ids = np.asarray(ids._data if isinstance(ids, Tensor) else ids)
    if ids.dtype.kind not in "iu":
        if ids.dtype.kind == "f" and np.all(ids == np.floor(ids)):
            ids = ids.astype(np.int64)
        else:
            raise TypeError(f"{where}: indices must be integers, received dtype {ids.dtype.name}.")
    if ids.size and (ids.min() < 0 or ids.max() >= params.shape[0]):
        bad = ids.min() if ids.min() < 0 else ids.max()
        raise ValueError(
            f"{where}: index {bad} is outside [0, {params.shape[0]}): the table has "
            f"{params.shape[0]} rows. Raise input_dim or clip the indices (e.g. num_words)."
        )
    return EmbeddingLookup.apply(params, ids=ids)
