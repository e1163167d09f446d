"""Max and average pooling kernels over 2-D windows (1-D callers add a height of 1).

Both loop over the ``ph * pw`` window taps (4 NumPy calls for a 2x2 pool), never
over samples. Max pooling saves, per output, the index of the winning tap as one
byte: backward routes each gradient to that input, and a tie goes to the first
maximum in row-major window order, as TensorFlow's CPU kernel does. Padded
positions never win a max (they hold -inf) and are not counted in an average
(TensorFlow's ``SAME`` average divides by the number of real inputs).
"""

import numpy as np

from ..autodiff import Function
from .conv_geometry import Geometry


def _taps(geo):
    return [(i, j) for i in range(geo.kernel[0]) for j in range(geo.kernel[1])]


class MaxPool(Function):
    def __init__(self, pool, strides, padding):
        self.pool, self.strides, self.padding = pool, strides, padding

    def forward(self, x):
        geo = Geometry(x.shape[1:3], self.pool, self.strides, (1, 1), self.padding)
        xp = geo.pad(x, value=-np.inf)
        out = geo.tap(xp, 0, 0).copy()
        winner = np.zeros(out.shape, dtype=np.uint8)
        for t, (i, j) in enumerate(_taps(geo)[1:], start=1):
            candidate = geo.tap(xp, i, j)
            # strictly greater: an equal later tap does not take over (first max wins)
            np.putmask(winner, candidate > out, t)
            np.maximum(out, candidate, out=out)
        self.geo, self.winner, self.x_shape, self.dtype = geo, winner, x.shape, x.dtype
        return out

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
        for t, (i, j) in enumerate(_taps(geo)):
            np.multiply(grad, self.winner == t, out=geo.tap(gxp, i, j))
        return geo.crop(gxp)


class AvgPool(Function):
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
