"""Geometry shared by convolutions and poolings: output sizes, padding, sliding windows.

Every spatial op works on 2-D images ``(batch, height, width, channels)``; 1-D ops
insert a height of 1 (a free reshape). Padding follows TensorFlow: ``"same"`` gives
``ceil(n / stride)`` outputs and puts the odd padding element after, ``"causal"``
(1-D only) pads only before, so output ``t`` never sees inputs after ``t``.
"""

import math

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .threads import over_batch

PADDINGS = ("valid", "same", "causal")
_CHUNK = 1 << 16  # elements (256 kB of float32): a chunk's temporaries stay in L2


def chunk_step(batch, elements):
    """Samples per chunk: about ``_CHUNK`` of ``elements`` (the work of all samples)."""
    return max(1, batch * _CHUNK // max(elements, 1))


def in_chunks(fn, batch, elements, part=None):
    """Call ``fn(slice)`` on consecutive chunks of ``part`` (default: the whole batch),
    each of ``chunk_step(batch, elements)`` samples, on the calling thread.

    For kernels of several passes (a relu then its mask, a max then its index): the
    later passes read the chunk from cache, not from memory.

    Args:
        fn: writes its results for the samples of one slice; the slices are disjoint.
        batch: the number of samples.
        elements: the size of the work (elements touched by all samples).
        part: the slice of the batch to walk.

    Example:
        >>> seen = []
        >>> in_chunks(lambda part: seen.append((part.start, part.stop)), 4, 8)
        >>> seen
        [(0, 4)]
    """
    part = slice(0, batch) if part is None else part
    step = chunk_step(batch, elements)
    for start in range(part.start, part.stop, step):
        fn(slice(start, min(start + step, part.stop)))


def over_batch_in_chunks(fn, batch, elements):
    """``over_batch``, each core's slice walked by ``in_chunks``.

    Args:
        fn: writes its results for the samples of one slice; the slices are disjoint.
        batch: the number of samples.
        elements: the size of the work (elements touched by all samples).

    Example:
        >>> seen = []
        >>> over_batch_in_chunks(lambda part: seen.append((part.start, part.stop)), 4, 8)
        >>> seen
        [(0, 4)]
    """
    over_batch(lambda part: in_chunks(fn, batch, elements, part), batch, elements)


def pair(value, rank, what, where):
    """``value`` (an int or a sequence of ``rank`` ints, all >= 1) as a tuple of ints."""
    items = (value,) * rank if isinstance(value, (int, np.integer)) else tuple(value)
    if len(items) != rank or not all(isinstance(v, (int, np.integer)) and not isinstance(
            v, bool) and v >= 1 for v in items):
        raise ValueError(f"{where}: {what} must be a positive int or a tuple of {rank} "
                         f"positive ints, received {value!r}.")
    return tuple(int(v) for v in items)


def check_padding(padding, where, causal_ok=False):
    """The padding mode in lower case, or a ValueError naming the allowed modes."""
    mode = padding.lower() if isinstance(padding, str) else padding
    allowed = PADDINGS if causal_ok else PADDINGS[:2]
    if mode not in allowed:
        raise ValueError(f"{where}: padding must be one of {', '.join(map(repr, allowed))}, "
                         f"received {padding!r}.")
    return mode


def effective(kernel, dilation):
    """The span of a dilated kernel: ``k + (k - 1) * (d - 1)``."""
    return (kernel - 1) * dilation + 1


def output_length(n, kernel, stride, dilation, padding):
    """Output length along one axis, or None when ``n`` is unknown (Keras's formula)."""
    if n is None:
        return None
    if padding == "valid":
        return max(n - effective(kernel, dilation) + stride, 0) // stride
    return math.ceil(n / stride)  # same, causal


def pads(n, out, kernel, stride, dilation, padding):
    """``(before, after)`` zeros so that a valid window sweep gives ``out`` outputs."""
    if padding == "valid":
        return 0, 0
    total = max((out - 1) * stride + effective(kernel, dilation) - n, 0)
    if padding == "causal":
        return total, 0
    return total // 2, total - total // 2


class Geometry:
    """One 2-D sliding-window layout: input/output sizes, pads, strides, dilation.

    Args:
        in_hw: the input's ``(height, width)``.
        kernel: ``(kh, kw)``; strides and dilation: ``(sh, sw)`` and ``(dh, dw)``.
        padding: ``"valid"``, ``"same"`` or ``"causal"`` (pads the width only).
        out_hw: force the output size (a transposed convolution's input), else computed.
    """

    def __init__(self, in_hw, kernel, strides, dilation, padding, out_hw=None):
        self.in_hw, self.kernel, self.strides, self.dilation = in_hw, kernel, strides, dilation
        if out_hw is None:
            out_hw = tuple(output_length(n, k, s, d, padding) for n, k, s, d in
                           zip(in_hw, kernel, strides, dilation, strict=True))
        self.out_hw = out_hw
        modes = ("valid", padding) if padding == "causal" else (padding, padding)
        self.pads = tuple(pads(n, o, k, s, d, m) for n, o, k, s, d, m in
                          zip(in_hw, out_hw, kernel, strides, dilation, modes, strict=True))
        self.padded_hw = tuple(n + a + b for n, (a, b) in zip(in_hw, self.pads, strict=True))

    @property
    def padded(self):
        """Whether any side gets padding."""
        return any(a or b for a, b in self.pads)

    def pad(self, x, value=0.0):
        """``x`` inside a border of ``value`` (``x`` itself when there is no padding)."""
        if not self.padded:
            return x
        (top, _), (left, _) = self.pads
        out = np.full((x.shape[0], *self.padded_hw, x.shape[3]), value, dtype=x.dtype)
        out[:, top:top + x.shape[1], left:left + x.shape[2]] = x
        return out

    def crop(self, xp):
        """The inverse of ``pad`` (a view)."""
        if not self.padded:
            return xp
        (top, _), (left, _) = self.pads
        return xp[:, top:top + self.in_hw[0], left:left + self.in_hw[1]]

    def windows(self, xp):
        """Read-only view ``(batch, out_h, out_w, kh, kw, channels)`` of a padded input."""
        n, _, _, c = xp.shape
        sn, sh, sw, sc = xp.strides
        (stride_h, stride_w), (dh, dw) = self.strides, self.dilation
        return as_strided(xp, (n, *self.out_hw, *self.kernel, c),
                          (sn, sh * stride_h, sw * stride_w, sh * dh, sw * dw, sc),
                          writeable=False)

    def tap(self, xp, i, j):
        """The inputs that kernel tap ``(i, j)`` meets at every output position (a view)."""
        (stride_h, stride_w), (dh, dw), (oh, ow) = self.strides, self.dilation, self.out_hw
        return xp[:, i * dh:i * dh + (oh - 1) * stride_h + 1:stride_h,
                  j * dw:j * dw + (ow - 1) * stride_w + 1:stride_w]

    def col2im(self, cols, channels, dtype):
        """Sum per-tap patches ``(kh, kw, batch, out_h, out_w, channels)`` into an image.

        The adjoint of ``windows``: one strided add per kernel tap (``kh * kw`` NumPy
        calls, whatever the batch, the batch split between the cores). Returns the
        unpadded image.
        """
        xp = np.zeros((cols.shape[2], *self.padded_hw, channels), dtype=dtype)

        def add(batch):
            self.add_taps(xp[batch], cols[:, :, batch])

        over_batch(add, len(xp), xp.size * self.kernel[0] * self.kernel[1])
        return self.crop(xp)

    def add_taps(self, xp, cols):
        """Add per-tap patches ``(kh, kw, batch, out_h, out_w, channels)`` into the
        padded images ``xp`` in place (one strided add per kernel tap).

        Args:
            xp: padded images ``(batch, *padded_hw, channels)``, updated in place.
            cols: what each kernel tap contributes at every output position.

        Example:
            >>> geo = Geometry((2, 2), (1, 2), (1, 1), (1, 1), "valid")
            >>> xp = np.zeros((1, 2, 2, 1))
            >>> geo.add_taps(xp, np.ones((1, 2, 1, 2, 1, 1)))
            >>> xp[0, :, :, 0].tolist()
            [[1.0, 1.0], [1.0, 1.0]]
        """
        for i in range(self.kernel[0]):
            for j in range(self.kernel[1]):
                self.tap(xp, i, j)[...] += cols[i, j]
