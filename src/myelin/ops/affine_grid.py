"""Sampling grids of affine image warps, as TensorFlow's ``ImageProjectiveTransformV3``.

A transform is Keras's row ``[a0, a1, a2, b0, b1, b2, c0, c1]``: it maps an output
pixel ``(x, y)`` to the input point ``((a0 x + a1 y + a2) / k, (b0 x + b1 y + b2) / k)``
with ``k = c0 x + c1 y + 1``. A point outside the image is first mapped inside by the
fill mode (``reflect`` d c b a | a b c d | d c b a, ``wrap`` a b c d | a b c d,
``nearest`` a a | a b c d | d d, ``constant`` keeps it where it is), then read with
``nearest`` (round half away from zero) or ``bilinear`` interpolation, every neighbour
outside the image reading ``fill_value`` (so with ``constant`` a point half a pixel
outside blends the edge with the fill, as TensorFlow 2.21's kernel does). Coordinates
are computed in float32, as TensorFlow's kernel does.

``sampling_grid`` returns the gather form ``ops.image.Resample`` consumes: for every
output pixel up to four input indices, their weights and a constant.
"""

import numpy as np

FILL_MODES = ("reflect", "wrap", "constant", "nearest")
INTERPOLATIONS = ("nearest", "bilinear")


def _reflect(c, n):
    if n <= 1:
        return np.zeros_like(c)
    size2 = np.float32(2 * n)
    neg = c < 0
    folded = np.where(neg, size2 * np.trunc(-c / size2) + c, c)
    folded = np.where(neg, np.where(folded < -n, folded + size2, -folded - 1), folded)
    wrapped = c - size2 * np.trunc(c / size2)
    wrapped = np.where(wrapped >= n, size2 - wrapped - 1, wrapped)
    return np.where(c > n - 1, wrapped, folded)


def _wrap(c, n):
    if n <= 1:
        return np.zeros_like(c)
    size = np.float32(n - 1)
    below = c + n * (np.trunc(-c / size) + 1)
    above = c - n * np.trunc(c / size)
    return np.where(c < 0, below, np.where(c > n - 1, above, c))


_MAP = {"reflect": _reflect, "wrap": _wrap, "nearest": lambda c, n: c,
        "constant": lambda c, n: c}


def _map_coordinate(c, n, fill_mode):
    c = _MAP[fill_mode](c, n)
    return c if fill_mode == "constant" else np.clip(c, 0, n - 1).astype(np.float32)


def _round(c):
    """C's ``std::round``: halves away from zero (NumPy's round goes to even)."""
    return np.copysign(np.floor(np.abs(c) + np.float32(0.5)), c)


def sampling_grid(transforms, in_hw, out_hw, interpolation, fill_mode, fill_value):
    """Gather indices, weights and constants of one warp per image.

    Args:
        transforms: ``(batch, 8)`` float array of Keras transform rows.
        in_hw: the input's ``(height, width)``.
        out_hw: the output's ``(height, width)``.
        interpolation: ``"nearest"`` or ``"bilinear"``.
        fill_mode: one of ``FILL_MODES``.
        fill_value: the value of pixels that land outside with ``"constant"``.

    Returns:
        ``(index, weights, const)`` of shapes ``(batch, P, K)``, ``(batch, P, K)`` and
        ``(batch, P)``, ``P`` the output pixels, ``K`` 1 (nearest) or 4 (bilinear).
    """
    height, width = in_hw
    t = np.asarray(transforms, np.float32)[:, :, None]
    oy, ox = np.meshgrid(np.arange(out_hw[0], dtype=np.float32),
                         np.arange(out_hw[1], dtype=np.float32), indexing="ij")
    ox, oy = ox.ravel()[None], oy.ravel()[None]
    projection = t[:, 6] * ox + t[:, 7] * oy + np.float32(1)
    safe = np.where(projection == 0, np.float32(1), projection)
    x = _map_coordinate((t[:, 0] * ox + t[:, 1] * oy + t[:, 2]) / safe, width, fill_mode)
    y = _map_coordinate((t[:, 3] * ox + t[:, 4] * oy + t[:, 5]) / safe, height, fill_mode)
    valid = projection != 0  # a point at infinity is outside: all fill
    if interpolation == "nearest":
        rows, cols = _round(y), _round(x)
        neighbours = [(rows, cols, np.ones_like(x))]
    else:
        y0, x0 = np.floor(y), np.floor(x)
        y1, x1 = y0 + 1, x0 + 1
        neighbours = [(y0, x0, (y1 - y) * (x1 - x)), (y0, x1, (y1 - y) * (x - x0)),
                      (y1, x0, (y - y0) * (x1 - x)), (y1, x1, (y - y0) * (x - x0))]
    fill = np.float32(fill_value)
    const = np.where(valid, np.float32(0), fill)
    index, weights = [], []
    for rows, cols, w in neighbours:
        inside = valid & (rows >= 0) & (rows < height) & (cols >= 0) & (cols < width)
        const = const + np.where(valid & ~inside, w * fill, np.float32(0))
        flat = np.clip(rows, 0, height - 1) * width + np.clip(cols, 0, width - 1)
        index.append(flat.astype(np.intp))
        weights.append(np.where(inside, w, np.float32(0)))
    return np.stack(index, -1), np.stack(weights, -1), const
