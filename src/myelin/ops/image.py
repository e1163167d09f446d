"""Differentiable image kernels on channels-last batches ``(batch, height, width, channels)``.

``Pad`` (zero padding), ``RepeatUpsample`` (nearest upsampling by whole factors),
``Resize`` (separable linear interpolation: one small matrix per axis, so forward and
backward are two batched matrix products each) and ``Resample`` (a gather of up to four
weighted neighbours per output pixel plus a constant, the form every affine warp with
bilinear or nearest interpolation takes). Each is linear in its input, so its backward
is the transpose of its forward.
"""

import numpy as np

from ..autodiff import Function


class Pad(Function):
    """Zero padding: ``pads`` is one ``(before, after)`` pair per axis."""

    def __init__(self, pads):
        self.pads = pads

    def forward(self, x):
        return np.pad(x, self.pads)

    def backward(self, grad):
        return grad[tuple(slice(b, grad.shape[i] - a)
                          for i, (b, a) in enumerate(self.pads))]


class RepeatUpsample(Function):
    """Repeat every element ``factors[i]`` times along spatial axis ``i + 1``."""

    def __init__(self, factors):
        self.factors = factors

    def forward(self, x):
        for axis, f in enumerate(self.factors, start=1):
            if f != 1:
                x = np.repeat(x, f, axis=axis)
        return x

    def backward(self, grad):
        # Each input element fed a block of f outputs per axis: sum the block.
        shape = [grad.shape[0]]
        for axis, f in enumerate(self.factors, start=1):
            shape += [grad.shape[axis] // f, f]
        shape.append(grad.shape[-1])
        axes = tuple(2 + 2 * i for i in range(len(self.factors)))
        return grad.reshape(shape).sum(axis=axes)


def linear_weights(in_size, out_size):
    """TensorFlow's half-pixel bilinear resize along one axis as an ``(out, in)`` matrix.

    Output ``i`` samples input coordinate ``(i + 0.5) * in / out - 0.5``, clamped to the
    image (what ``tf.image.resize(method="bilinear", antialias=False)`` computes).

    Args:
        in_size: the input's length along the axis.
        out_size: the output's length.

    Returns:
        A float64 ``(out_size, in_size)`` matrix whose rows sum to 1.

    Example:
        >>> linear_weights(2, 4)
        array([[1.  , 0.  ],
               [0.75, 0.25],
               [0.25, 0.75],
               [0.  , 1.  ]])
    """
    scale = in_size / out_size
    coord = (np.arange(out_size, dtype=np.float64) + 0.5) * scale - 0.5
    floor = np.floor(coord)
    lerp = coord - floor
    lower = np.clip(floor, 0, in_size - 1).astype(np.intp)
    upper = np.clip(np.ceil(coord), 0, in_size - 1).astype(np.intp)
    matrix = np.zeros((out_size, in_size))
    rows = np.arange(out_size)
    np.add.at(matrix, (rows, lower), 1 - lerp)
    np.add.at(matrix, (rows, upper), lerp)
    return matrix


class Resize(Function):
    """``out[b, i, j] = sum_hw rows[i, h] * cols[j, w] * x[b, h, w]`` per channel."""

    def __init__(self, rows, cols):
        self.rows, self.cols = rows, cols

    def forward(self, x):
        rows, cols = self.rows.astype(x.dtype), self.cols.astype(x.dtype)
        b, h, w, c = x.shape
        y = np.matmul(rows, x.reshape(b, h, w * c)).reshape(b, -1, w, c)
        return np.matmul(cols, y)  # (wo, w) @ (b, ho, w, c), batched over (b, ho)

    def backward(self, grad):
        rows, cols = self.rows.astype(grad.dtype), self.cols.astype(grad.dtype)
        g = np.matmul(cols.T, grad)
        b, ho, w, c = g.shape
        return np.matmul(rows.T, g.reshape(b, ho, w * c)).reshape(b, -1, w, c)


class Resample(Function):
    """``out[b, p] = sum_k weights[b, p, k] * x_flat[b, index[b, p, k]] + const[b, p]``.

    ``x_flat`` is ``x`` with its spatial axes merged; ``out`` gets ``out_hw`` spatial
    axes. The gradient scatters back through the same indices and weights.
    """

    def __init__(self, index, weights, const, out_hw):
        self.index, self.weights, self.const, self.out_hw = index, weights, const, out_hw

    def forward(self, x):
        self.in_shape = x.shape
        b, c = x.shape[0], x.shape[-1]
        n = int(np.prod(x.shape[1:-1]))
        # One gather over the whole batch (rows of the (batch * pixels, channels) view).
        self.rows = (self.index + (np.arange(b) * n)[:, None, None]).ravel()
        picked = np.take(x.reshape(-1, c), self.rows, axis=0).reshape(*self.index.shape, c)
        out = np.einsum("bpk,bpkc->bpc", self.weights.astype(x.dtype), picked)
        out += self.const.astype(x.dtype)[..., None]
        return out.reshape(b, *self.out_hw, c)

    def backward(self, grad):
        c = grad.shape[-1]
        size = int(np.prod(self.in_shape[:-1]))
        spread = (self.weights.astype(grad.dtype)[..., None]
                  * grad.reshape(*self.index.shape[:2], 1, c)).reshape(-1, c)
        # bincount sums repeated rows in C, far faster than np.add.at.
        flat = np.stack([np.bincount(self.rows, spread[:, j], size) for j in range(c)], -1)
        return flat.astype(grad.dtype, copy=False).reshape(self.in_shape)


class AdjustContrast(Function):
    """``clip((x - mean) * factor + mean, low, high)``, ``mean`` over each image's pixels
    per channel and ``factor`` one number per image (shape ``(batch, 1, 1, 1)``)."""

    def __init__(self, factor, low, high):
        self.factor, self.low, self.high = factor, low, high

    def forward(self, x):
        factor = self.factor.astype(x.dtype)
        mean = x.mean(axis=(1, 2), keepdims=True)
        out = (x - mean) * factor + mean
        # As TensorFlow's clip_by_value: the gradient passes where the value was kept.
        self.kept = (out >= self.low) & (out <= self.high)
        return np.clip(out, self.low, self.high, out=out)

    def backward(self, grad):
        factor = self.factor.astype(grad.dtype)
        g = grad * self.kept
        return g * factor + (1 - factor) * g.mean(axis=(1, 2), keepdims=True)
