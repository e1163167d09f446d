"""Slow loop-by-loop references of the convolution and pooling formulas (test oracles).

Written from TensorFlow's definitions, one output element at a time, sharing no code
with the kernels under test.
"""

import math

import numpy as np


def same_pads(n, k, s, d):
    out = math.ceil(n / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - n, 0)
    return total // 2, total - total // 2


def conv2d(x, w, strides=(1, 1), padding="valid", dilation=(1, 1), groups=1):
    """``out[b, i, j, f] = sum xpad[b, i*sh + di*dh, j*sw + dj*dw, c] w[di, dj, c, f]``."""
    n, h, wd, cin = x.shape
    kh, kw, cin_g, f = w.shape
    (sh, sw), (dh, dw) = strides, dilation
    if padding == "same":
        (t, b_), (l, r) = same_pads(h, kh, sh, dh), same_pads(wd, kw, sw, dw)
    elif padding == "causal":
        (t, b_), (l, r) = (0, 0), ((kw - 1) * dw, 0)
    else:
        (t, b_), (l, r) = (0, 0), (0, 0)
    xp = np.pad(x, ((0, 0), (t, b_), (l, r), (0, 0)))
    oh = (xp.shape[1] - (kh - 1) * dh - 1) // sh + 1
    ow = (xp.shape[2] - (kw - 1) * dw - 1) // sw + 1
    fg = f // groups
    out = np.zeros((n, oh, ow, f))
    for i in range(oh):
        for j in range(ow):
            for fi in range(f):
                g = fi // fg
                for di in range(kh):
                    for dj in range(kw):
                        pix = xp[:, i * sh + di * dh, j * sw + dj * dw, g * cin_g:(g + 1) * cin_g]
                        out[:, i, j, fi] += pix @ w[di, dj, :, fi]
    return out


def pool2d(x, kind, pool, strides, padding):
    n, h, wd, c = x.shape
    (ph, pw), (sh, sw) = pool, strides
    if padding == "same":
        (t, _), (l, _) = same_pads(h, ph, sh, 1), same_pads(wd, pw, sw, 1)
        oh, ow = math.ceil(h / sh), math.ceil(wd / sw)
    else:
        t = l = 0
        oh, ow = (h - ph) // sh + 1, (wd - pw) // sw + 1
    out = np.zeros((n, oh, ow, c))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * sh - t, j * sw - l
            win = x[:, max(r0, 0):r0 + ph, max(c0, 0):c0 + pw]
            out[:, i, j] = win.max(axis=(1, 2)) if kind == "max" else win.mean(axis=(1, 2))
    return out
