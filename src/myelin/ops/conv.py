"""Fused convolution kernels: conv (1-D/2-D, groups, dilation).

A convolution is an im2col copy (a strided window view of the padded input made
contiguous) and a BLAS product ``(positions, kh*kw*in) @ (kh*kw*in, out)``, with the
activation applied in place on the result, as in the fused Dense. How the work is
cut depends on the patch length K = kh*kw*in:

- long patches (K >= 64, one group): chunk by chunk, a few images' patches are copied
  into an L2-sized buffer and multiplied there; backward copies them again (nothing
  but the input is kept) for the kernel gradient, and the input gradient is one
  product per kernel tap added into the image (col2im) while in cache;
- short patches with a bias (a first layer): the patches are copied tap-major,
  ``(K + 1, positions)``, a row of ones carrying the bias through the product;
- groups (and depthwise): the per-group products batched in one ``np.matmul``.

The chunks are shared out between the cores, each running its products with one
BLAS thread (``_per_core``); results do not depend on the number of cores.
All arrays are channels-last, 2-D spatial ``(batch, height, width, channels)``;
1-D callers add a height of 1.
"""

import contextlib

import numpy as np

from ..autodiff import Function
from ..backend import one_blas_thread
from .conv_geometry import Geometry, chunk_step
from .fused import FUSED_ACTIVATIONS
from .threads import over_batch

# Patch elements a chunk copies and multiplies (512 kB of float32, in L2 with its output).
_PATCH_CHUNK = 1 << 17


def _groups_first(a, groups):
    """``(m, ..., groups * size)`` -> ``(groups, m, ... * size)`` (one copy)."""
    m = a.shape[0]
    return np.moveaxis(a.reshape(m, -1, groups, a.shape[-1] // groups), 2, 0).reshape(
        groups, m, -1)


class Conv(Function):
    """``activation(conv(x, kernel) + bias)``; ``kernel`` is ``(kh, kw, in / groups, out)``.

    Args:
        strides, dilation: ``(sh, sw)`` and ``(dh, dw)``.
        padding: ``"valid"``, ``"same"`` or ``"causal"``.
        groups: independent channel groups (``in`` and ``out`` divisible by it).
        activation: a name of ``FUSED_ACTIVATIONS``, applied in place.
    """

    def __init__(self, strides, dilation, padding, groups=1, activation="linear"):
        self.strides, self.dilation, self.padding = strides, dilation, padding
        self.groups, self.relu = groups, activation == "relu"
        self.forward_act, self.derivative = FUSED_ACTIVATIONS[activation]

    def forward(self, x, kernel, bias=None):
        kh, kw, _, filters = kernel.shape
        geo = Geometry(x.shape[1:3], (kh, kw), self.strides, self.dilation, self.padding)
        n, (oh, ow) = x.shape[0], geo.out_hw
        windows = geo.windows(geo.pad(x))
        size = windows[0, 0, 0].size
        # A short patch (K = kh*kw*in, e.g. 9 for a 3x3 kernel on a grayscale image)
        # makes a product cheaper than a pass over its large output: there the bias
        # rides in the product (a row of ones in the patches, the bias as the
        # kernel's last row; backward's kernel product then yields the bias gradient).
        # A long one would lose more to the odd K + 1 (8.5 ms instead of 7 for the
        # kernel gradient at K = 288) than the two passes cost.
        self.augmented = self.groups == 1 and bias is not None and size < 64
        self.geo, self.x_shape, self.dtype = geo, x.shape, x.dtype
        self.kernel = kernel if self.needs[:1] != (False,) else None
        if self.groups == 1 and not self.augmented:
            return self._plain_forward(x, windows, kernel, bias)
        if self.augmented:
            # Tap-major patches (K + 1, positions): each row is one strided copy of the
            # image (6x faster than interleaving 1-channel taps), and both products
            # take them as they are (kernel gradient ``patches @ g``).
            patches = _im2col_taps(windows)
            weights = np.concatenate([kernel.reshape(size, filters), bias[None]])
            out = np.empty((n * oh * ow, filters), np.result_type(patches, weights))
        else:
            patches = _groups_first(windows.reshape(n * oh * ow, kh * kw, -1), self.groups)
            out = np.matmul(patches, _kernel_groups(kernel, self.groups))
            out = np.moveaxis(out, 0, 1).reshape(-1, filters)
            if bias is not None:
                out += bias
        # Backward needs the patches only for the kernel gradient, the kernel only for
        # the input gradient, the output only for the activation's derivative (relu:
        # just its sign, a byte mask taken right after the relu, on the same slices).
        self.patches = patches if self.needs[1:] != (False,) * (len(self.needs) - 1) else None
        self.out = out if self.derivative is not None and not self.relu else None
        out = out.reshape(n, -1, filters)
        mask = np.empty(out.shape, dtype=bool) if self.relu and any(self.needs) else None

        def activate(batch):
            if self.forward_act is not None:
                self.forward_act(out[batch])
            if mask is not None:
                np.greater(out[batch], 0, out=mask[batch])

        if self.augmented:
            # The output is large next to its patches: product and activation chunk
            # by chunk, so the activation reads the product from cache; each core
            # takes its share of the chunks.
            def product(_, batch):
                rows = slice(batch.start * oh * ow, batch.stop * oh * ow)
                np.dot(patches[:, rows].T, weights, out=out.reshape(-1, filters)[rows])
                activate(batch)

            _per_core(lambda: product, n, out.size, chunk_step(n, out.size))
        elif self.forward_act is not None:
            over_batch(activate, n, out.size)
        self.out = mask if self.relu else self.out
        return out.reshape(n, oh, ow, filters)

    def _plain_forward(self, x, windows, kernel, bias):
        """One group, a long patch: per core, chunk by chunk, the patches of a few
        images are copied into a cache-sized buffer, multiplied, biased and activated
        while in cache. Only the (padded) input is kept for backward, which copies the
        patches again: 9x less memory than keeping them, and each product reads its
        patches from L2 (conv 13x13x32 -> 64, batch 128: 10.2 -> 7.6 ms CPU)."""
        n, (oh, ow), filters = x.shape[0], self.geo.out_hw, kernel.shape[3]
        positions, weights = oh * ow, kernel.reshape(-1, filters)
        out = np.empty((n * positions, filters), np.result_type(x, kernel))
        self.out_dtype = out.dtype
        mask = np.empty(out.shape, dtype=bool) if self.relu and any(self.needs) else None

        def worker():
            buffer = self._patch_buffer(windows)

            def chunk(_, batch):
                rows = slice(batch.start * positions, batch.stop * positions)
                part = out[rows]
                np.dot(self._patches(windows, batch, buffer), weights, out=part)
                if bias is not None:
                    part += bias
                if self.forward_act is not None:
                    self.forward_act(part)
                if mask is not None:
                    np.greater(part, 0, out=mask[rows])

            return chunk

        _per_core(worker, n, out.size + windows.size, self._patch_step(windows))
        self.windows = windows if self.needs[1:2] == (True,) else None
        self.out = mask if self.relu else (
            out if self.derivative is not None and any(self.needs) else None)
        return out.reshape(n, oh, ow, filters)

    @staticmethod
    def _patch_step(windows):
        """Images per chunk: their patches fill about ``_PATCH_CHUNK`` elements."""
        return max(1, _PATCH_CHUNK // windows[0].size)

    def _patch_buffer(self, windows):
        """A buffer for one chunk's patches (None for a pointwise conv: no copy)."""
        if self._pointwise():
            return None
        step = self._patch_step(windows)
        return np.empty((step * windows[0, ..., 0, 0, 0].size, windows[0, 0, 0].size),
                        windows.dtype)

    def _pointwise(self):
        geo = self.geo
        return geo.kernel == (1, 1) and geo.strides == (1, 1) and not geo.padded

    def _patches(self, windows, batch, buffer):
        """The patches ``(positions, kh*kw*in)`` of the images in ``batch``."""
        if buffer is None:  # a pointwise conv reads the image as it is
            return windows[batch].reshape(-1, windows.shape[-1])
        part = buffer[:(batch.stop - batch.start) * windows[0, ..., 0, 0, 0].size]
        part.reshape(windows[batch].shape)[...] = windows[batch]
        return part

    def backward(self, grad):
        if self.groups == 1 and not self.augmented:
            return self._plain_backward(grad)
        out = None if self.out is None else self.out.reshape(grad.shape)
        if self.augmented and not self.needs[0]:  # a first layer: only weights learn
            gk, gb = self._chunked_weight_gradient(grad, out)
            return (None, gk, gb)[:len(self.needs)]
        if self.relu:
            g = np.empty_like(grad)

            def relu_derivative(batch):
                np.multiply(grad[batch], out[batch], out=g[batch])

            over_batch(relu_derivative, len(g), g.size)
        else:
            g = grad if self.derivative is None else self.derivative(grad, out)
        filters = g.shape[-1]
        g2 = g.reshape(-1, filters)
        gx = gk = gb = None
        if self.groups > 1:
            gg = np.moveaxis(g2.reshape(-1, self.groups, filters // self.groups), 1, 0)
        if self.augmented:
            both = np.dot(self.patches, g2)
            gk, gb = both[:-1].reshape(self._kernel_shape(filters)), both[-1]
        elif self.needs[1]:
            gk = _kernel_from_groups(np.matmul(self.patches.transpose(0, 2, 1), gg),
                                     self._kernel_shape(filters))
        if self.needs[0]:
            gx = self._input_gradient(g, g2, gg if self.groups > 1 else None)
        if len(self.needs) == 3 and self.needs[2] and gb is None:
            gb = g2.sum(axis=0)
        return (gx, gk, gb)[:len(self.needs)]

    def _plain_backward(self, grad):
        """Backward of ``_plain_forward``, per core and chunk by chunk: the activation's
        derivative into a cache-sized buffer, the patches copied again, then the
        kernel and bias gradients added up and the input gradient's taps (one product
        per kernel tap) added into the image while all of it is in cache."""
        n, filters = grad.shape[0], grad.shape[-1]
        positions, windows, geo = grad[0, ..., 0].size, self.windows, self.geo
        dtype = np.result_type(grad, self.out_dtype)  # of every gradient below
        grads = grad.reshape(-1, filters).astype(dtype, copy=False)
        out = None if self.out is None else self.out.reshape(grads.shape)
        want_bias = len(self.needs) == 3 and self.needs[2]
        gxp = taps_kernel = None
        if self.needs[0]:
            kh, kw, channels, _ = self.kernel.shape
            gxp = np.zeros((n, *geo.padded_hw, channels), dtype)
            # (taps, filters, in): each tap's product writes one contiguous block.
            taps_kernel = np.ascontiguousarray(
                self.kernel.reshape(kh * kw, channels, filters).transpose(0, 2, 1))
        step = self._patch_step(self.windows) if windows is not None else max(
            1, _PATCH_CHUNK // (positions * filters))
        # One partial sum per chunk, added up in chunk order at the end: the same
        # numbers however many cores share the chunks.
        chunks = -(-n // step)
        gk = np.empty((chunks, windows[0, 0, 0].size, filters), dtype) if (
            self.needs[1]) else None
        gb = np.empty((chunks, filters), dtype) if want_bias else None

        wide = gxp is not None and geo.strides == (1, 1)

        def worker():
            buffer = self._patch_buffer(windows) if gk is not None else None
            scratch = np.empty((step * positions, filters), dtype) if self.relu else None
            ones = np.ones(step * positions, dtype) if gb is not None else None
            # The gradient on rows as wide as the padded input (zeros past the output's
            # width), so that each tap's product lands on one contiguous run per image.
            rows_wide = np.zeros((step, geo.out_hw[0], geo.padded_hw[1], filters),
                                 dtype) if wide else None

            def chunk(index, batch):
                rows = slice(batch.start * positions, batch.stop * positions)
                g = grads[rows]
                if self.relu:
                    g = np.multiply(g, out[rows], out=scratch[:len(g)])
                elif self.derivative is not None:
                    g = self.derivative(g, out[rows])
                if gk is not None:
                    np.dot(self._patches(windows, batch, buffer).T, g, out=gk[index])
                if gb is not None:  # a product: 2.5x faster than a column sum
                    np.dot(ones[:len(g)], g, out=gb[index])
                if wide:
                    part = rows_wide[:batch.stop - batch.start]
                    part[:, :, :geo.out_hw[1]] = g.reshape(len(part), *geo.out_hw, filters)
                    # One product per image and tap (143 rows here): OpenBLAS runs
                    # these ~1.5x faster per row than one of all 572 rows.
                    _add_wide_taps(geo, gxp[batch], np.matmul(
                        part.reshape(len(part), -1, filters)[None], taps_kernel[:, None]))
                elif gxp is not None:
                    taps = np.matmul(g, taps_kernel)
                    geo.add_taps(gxp[batch], taps.reshape(
                        *geo.kernel, len(g) // positions, *geo.out_hw, -1))

            return chunk

        _per_core(worker, n, grads.size * (2 + (gxp is not None) * 9), step)
        gx = None if gxp is None else geo.crop(gxp)
        gk = None if gk is None else gk.sum(axis=0).reshape(self._kernel_shape(filters))
        gb = None if gb is None else gb.sum(axis=0)
        return (gx, gk, gb)[:len(self.needs)]

    def _chunked_weight_gradient(self, grad, out):
        """Kernel and bias gradients of the augmented product, the activation's
        derivative taken chunk by chunk into a cache-sized buffer per core (3 images
        of 26x26x32: 5.7 -> 3.0 ms CPU, the 11 MB derivative never hits memory)."""
        n, filters = grad.shape[0], grad.shape[-1]
        positions = grad[0, ..., 0].size
        step = chunk_step(n, grad.size)
        # One partial sum per chunk, added in chunk order: the same numbers whichever
        # core took which chunks.
        dtype = np.result_type(self.patches, grad, *(() if out is None else (out,)))
        both = np.empty((-(-n // step), self.patches.shape[0], filters), dtype)

        def worker():
            buffer = np.empty((step, *grad.shape[1:]), dtype) if self.relu else None

            def accumulate(index, batch):
                g = grad[batch]
                if self.relu:
                    g = np.multiply(g, out[batch], out=buffer[:len(g)])
                elif self.derivative is not None:
                    g = self.derivative(g, out[batch])
                rows = slice(batch.start * positions, batch.stop * positions)
                np.dot(self.patches[:, rows], g.reshape(-1, filters), out=both[index])

            return accumulate

        _per_core(worker, n, grad.size, step)
        both = both.sum(axis=0)
        return both[:-1].reshape(self._kernel_shape(filters)), both[-1]

    def _input_gradient(self, g, g2, gg):
        kernel, (kh, kw) = self.kernel, self.geo.kernel
        if self.groups == 1:
            # One product per tap, each result contiguous: the col2im adds then read
            # whole images instead of 32-float runs 288 apart (3x faster adds).
            taps = np.matmul(g2, kernel.reshape(kh * kw, *kernel.shape[2:]).transpose(0, 2, 1))
        else:
            cols = np.matmul(gg, _kernel_groups(kernel, self.groups).transpose(0, 2, 1))
            taps = np.moveaxis(cols.reshape(self.groups, -1, kh * kw, kernel.shape[2]), 2, 0)
            taps = np.moveaxis(taps, 1, 2).reshape(kh * kw, len(g2), -1)
        return self.geo.col2im(taps.reshape(kh, kw, *g.shape[:3], -1), self.x_shape[3],
                               self.dtype)

    def _kernel_shape(self, filters):
        kh, kw = self.geo.kernel
        return kh, kw, self.x_shape[3] // self.groups, filters


def _add_wide_taps(geo, xp, taps):
    """Add the taps ``(kh*kw, batch, out_h * padded_w, channels)`` of a stride-1
    conv, computed on rows as wide as the padded input, into the padded images ``xp``.

    Output ``(y, x)`` of tap ``(i, j)`` belongs at ``(y + i*dh, x + j*dw)``: in the
    flattened image that is one shift by ``i*dh*padded_w + j*dw`` positions, so each
    tap is one add of a contiguous run per image (9 adds of 4 runs instead of 9 of 44
    rows for 4 images of 11x11 outputs: NumPy pays per run). The
    columns past the output's width hold zeros: where they wrap into the next row
    they add nothing, and the few that would run past the image are cut off.
    """
    n, (hp, wp), (oh, _), (dh, dw) = len(xp), geo.padded_hw, geo.out_hw, geo.dilation
    channels = xp.shape[-1]
    flat = xp.reshape(n, -1)
    taps = taps.reshape(len(taps), n, -1)
    for t in range(len(taps)):
        i, j = divmod(t, geo.kernel[1])
        start = (i * dh * wp + j * dw) * channels
        length = min(oh * wp * channels, hp * wp * channels - start)
        flat[:, start:start + length] += taps[t, :, :length]


def _im2col_taps(windows):
    """The window view copied tap-major to ``(kh*kw*in + 1, positions)``, the last row
    ones (to carry a bias); rows are split over the cores."""
    n, oh, ow, kh, kw, c = windows.shape
    size = kh * kw * c
    patches = np.empty((size + 1, n * oh * ow), dtype=windows.dtype)
    patches[size] = 1
    rows = patches[:size].reshape(kh, kw, c, n, oh, ow)

    def copy(batch):
        rows[:, :, :, batch] = windows[batch].transpose(3, 4, 5, 0, 1, 2)

    over_batch(copy, n, patches.size)
    return patches


def _per_core(worker, batch, elements, step):
    """Walk the batch in chunks of ``step`` samples, the chunks shared out between
    the cores.

    ``worker()`` is called once per core and returns the function that handles one
    chunk, ``chunk(index, samples)``, so each core keeps its own buffers. A core
    given only part of the chunks runs its BLAS calls on itself: two cores each doing
    their own products beat both sharing every small product.
    """
    chunks = -(-batch // step)

    def part(indices):
        chunk = worker()
        whole = indices.stop - indices.start == chunks
        with contextlib.nullcontext() if whole else one_blas_thread():
            for index in range(indices.start, indices.stop):
                chunk(index, slice(index * step, min(index * step + step, batch)))

    over_batch(part, chunks, elements)


def _kernel_groups(kernel, groups):
    """``(kh, kw, cin_g, out)`` -> ``(groups, kh*kw*cin_g, out / groups)``."""
    kh, kw, cin_g, filters = kernel.shape
    return np.moveaxis(kernel.reshape(kh * kw * cin_g, groups, filters // groups), 1, 0)


def _kernel_from_groups(gk, shape):
    """The inverse of ``_kernel_groups``: ``(groups, K, out_g)`` -> ``shape``."""
    return np.moveaxis(gk, 0, 1).reshape(shape)
