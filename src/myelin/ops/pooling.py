"""Max and average pooling kernels over 2-D windows (1-D callers add a height of 1).

Both loop over window taps (a few NumPy calls for a 2x2 pool), never over samples;
windows that tile the image (strides equal to the pool) are read through one reshaped
view.
Max pooling saves, per output, the index of the winning tap as one byte: backward
routes each gradient to that input, and a tie goes to the first maximum in row-major
window order, as TensorFlow's CPU kernel does. Padded
positions never win a max (they hold -inf) and are not counted in an average
(TensorFlow's ``SAME`` average divides by the number of real inputs).
"""

import numpy as np

from ..autodiff import Function
from .conv_geometry import Geometry, over_batch_in_chunks
from .threads import over_batch


def _taps(geo):
    return [(i, j) for i in range(geo.kernel[0]) for j in range(geo.kernel[1])]


def _first_max(taps):
    """Running maximum over same-shape views, and per element the index of the first
    tap holding it (uint8; a later tap must be strictly greater to take over)."""
    best, index = taps[0], None
    for t, tap in enumerate(taps[1:], start=1):
        better = tap > best
        if index is None:
            index = better.view(np.uint8)  # 0 or 1 = t
            best = np.maximum(best, tap)
        else:
            index += better * (np.uint8(t) - index)  # = t where better (bytes wrap)
            np.maximum(best, tap, out=best)
    if index is None:
        return best.copy(), np.zeros(best.shape, dtype=np.uint8)
    return best, index


class MaxPool(Function):
    """Max pooling of ``(batch, h, w, c)`` over ``pool`` windows ``strides`` apart.

    Args:
        pool, strides: ``(ph, pw)`` and ``(sh, sw)``.
        padding: ``"valid"`` or ``"same"`` (padding never wins).
    """

    def __init__(self, pool, strides, padding):
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, x):
        geo = Geometry(x.shape[1:3], self.pool, self.strides, (1, 1), self.padding)
        xp = geo.pad(x, value=-np.inf)
        out = np.empty((x.shape[0], *geo.out_hw, x.shape[3]), dtype=x.dtype)
        winner = np.empty(out.shape, dtype=np.uint8)

        disjoint = self.strides == self.pool
        values_only = disjoint and not any(self.needs)  # inference: no backward to route

        def run(batch):
            if values_only:
                out[batch] = self._values_disjoint(xp[batch], geo.out_hw)
            elif disjoint:
                out[batch], winner[batch] = self._max_disjoint(xp[batch], geo.out_hw)
            else:
                out[batch], winner[batch] = self._max(xp[batch], geo.out_hw)

        # In chunks of a few images: the running max and index of each chunk stay in
        # L2 between passes (5.8 -> 4.7 ms CPU on 128x26x26x32).
        over_batch_in_chunks(run, x.shape[0], x.size)
        self.geo, self.winner, self.x_shape = geo, winner, x.shape
        return out

    def _max(self, xp, out_hw):
        (ph, pw), (sh, sw), (oh, ow) = self.pool, self.strides, out_hw
        # Two passes, along the width on every row, then along the height: fewer and
        # larger NumPy calls than one pass per window tap (2x faster for 2x2 windows).
        rows, col = _first_max([xp[:, :, j:j + (ow - 1) * sw + 1:sw] for j in range(pw)])
        out, row = _first_max([rows[:, i:i + (oh - 1) * sh + 1:sh] for i in range(ph)])
        col_taps = [col[:, i:i + (oh - 1) * sh + 1:sh] for i in range(ph)]
        # The winning column of the winning row, in uint8 arithmetic (wrapping is
        # harmless): 50x faster than np.copyto(where=) or np.where on bytes.
        winner = col_taps[0].copy()
        for i in range(1, ph):
            winner += (row == i) * (col_taps[i] - col_taps[0])
        winner += row * np.uint8(pw)  # tap index i * pw + j, row-major in the window
        return out, winner

    def _max_disjoint(self, xp, out_hw):
        # Windows that tile the image: a (n, oh, ph, ow, pw, c) view puts tap (i, j) on
        # axes 2 and 4. The first max along each window row, then across rows, a later
        # row taking over only when strictly greater: row-major first max, in 9 calls
        # for 2x2 windows instead of 13 (7.0 -> 5.4 ms CPU on 128x26x26x32).
        (ph, pw), (oh, ow) = self.pool, out_hw
        n, c = xp.shape[0], xp.shape[3]
        x6 = xp[:, :oh * ph, :ow * pw].reshape(n, oh, ph, ow, pw, c)
        best, winner = _first_max([x6[:, :, 0, :, j] for j in range(pw)])
        for i in range(1, ph):
            row, col = _first_max([x6[:, :, i, :, j] for j in range(pw)])
            better = np.greater(row, best).view(np.uint8)
            col += np.uint8(i * pw)
            col -= winner  # where better: winner + better * (col - winner) = col
            col *= better
            winner += col  # (bytes wrap, harmlessly)
            np.maximum(best, row, out=best)
        return best, winner

    def _values_disjoint(self, xp, out_hw):
        # Without the winners' index the order is free: the max over window rows
        # first, on (ow * pw * c)-long contiguous runs, then over the columns of the
        # 4x smaller result (128x26x26x32: 5.2 -> 2.9 ms CPU, median of 12).
        (ph, pw), (oh, ow) = self.pool, out_hw
        n, c = xp.shape[0], xp.shape[3]
        x5 = xp[:, :oh * ph, :ow * pw].reshape(n, oh, ph, ow * pw * c)
        rows = x5[:, :, 0].copy() if ph == 1 else np.maximum(x5[:, :, 0], x5[:, :, 1])
        for i in range(2, ph):
            np.maximum(rows, x5[:, :, i], out=rows)
        cols = rows.reshape(n, oh, ow, pw, c)
        best = cols[:, :, :, 0].copy()
        for j in range(1, pw):
            np.maximum(best, cols[:, :, :, j], out=best)
        return best

    def backward(self, grad):
        geo = self.geo
        shape = (self.x_shape[0], *geo.padded_hw, self.x_shape[3])
        if self.strides != self.pool:  # overlapping or gapped windows: accumulate
            gxp = np.zeros(shape, dtype=grad.dtype)
            zero = grad.dtype.type(0)
            for t, (i, j) in enumerate(_taps(geo)):
                geo.tap(gxp, i, j)[...] += np.where(self.winner == t, grad, zero)
            return geo.crop(gxp)
        # Disjoint windows: each input gets its value from one tap, written in place;
        # only inputs no window covers (a ragged edge) need the zero fill.
        covered = tuple(o * p for o, p in zip(geo.out_hw, self.pool, strict=True))
        gxp = (np.empty if covered == geo.padded_hw else np.zeros)(shape, dtype=grad.dtype)

        def run(batch):
            for t, (i, j) in enumerate(_taps(geo)):
                np.multiply(grad[batch], self.winner[batch] == t,
                            out=geo.tap(gxp[batch], i, j))

        over_batch(run, shape[0], gxp.size)
        return geo.crop(gxp)


class AvgPool(Function):
    """Average pooling of ``(batch, h, w, c)``; a ``same`` border window averages only
    its real inputs.

    Args:
        pool, strides: ``(ph, pw)`` and ``(sh, sw)``.
        padding: ``"valid"`` or ``"same"``.
    """

    def __init__(self, pool, strides, padding):
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, x):
        geo = Geometry(x.shape[1:3], self.pool, self.strides, (1, 1), self.padding)
        xp = geo.pad(x)
        out = geo.tap(xp, 0, 0).copy()
        for i, j in _taps(geo)[1:]:
            out += geo.tap(xp, i, j)
        # How many real (unpadded) inputs each window holds, shape (out_h, out_w, 1).
        counts = np.zeros((1, *geo.padded_hw, 1), dtype=x.dtype)
        geo.crop(counts)[...] = 1
        self.scale = 1 / sum(geo.tap(counts, i, j) for i, j in _taps(geo))[0]
        out *= self.scale
        self.geo, self.x_shape = geo, x.shape
        return out

    def backward(self, grad):
        geo = self.geo
        share = grad * self.scale
        gxp = np.zeros((self.x_shape[0], *geo.padded_hw, self.x_shape[3]), dtype=grad.dtype)
        for i, j in _taps(geo):
            geo.tap(gxp, i, j)[...] += share
        return geo.crop(gxp)
