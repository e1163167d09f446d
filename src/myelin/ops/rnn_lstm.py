"""The LSTM's fast path: a whole sequence in a gate-row layout, one product per step.

``rnn.Recurrence`` takes this path for an LSTM with sigmoid / tanh activations and
neither a mask nor recurrent dropout (the IMDB program's case); ``LSTMKernel`` in
``rnn_cells`` does everything else. The math is the same; the layout differs:

- Everything is transposed: a step's gates are a ``(4 * units, batch)`` block, so each
  gate is a contiguous ``(units, batch)`` row block. In the batch-major layout a gate
  is a column slice ``(batch, units)`` of a wider row, and NumPy's element-wise loops
  over such strided slices took 9 us instead of 1.7 on the IMDB batch (128 x 32).
- The gates are stored in the order o, i, f, c (Keras's columns permuted once): the
  three sigmoids are one contiguous block whose affine map takes scalar operands, and
  the three gate gradients that scale with ``dc`` are another.
- The inputs' projections ``[kernel; bias] @ [x_t; 1]`` are made a group of
  ``_GROUP`` steps at a time on a helper thread (``rnn_worker``) while the step loop
  runs the earlier groups on the calling thread; a step then multiplies only
  ``h_{t-1}`` by the recurrent kernel and adds.
- ``z[t]`` holds step t's gates and, below them, the cell state entering the step,
  so the cell update ``[i; f] * [g; c_{t-1}]`` is one call.
- Backward walks blocks of ``_CHUNK`` steps. Everything in a gate gradient that does
  not depend on ``dh`` / ``dc`` (the gate slopes times ``tanh(c_t)``, ``g``,
  ``c_{t-1}``, ``i``; ``o * (1 - tanh(c_t)^2)``; the next forget gate) is computed
  for the whole block in 12 calls while it sits in L2. The state ``[dh; dc; dc; dc]``
  lines up with the gate rows, so a step is four element-wise calls and the
  recurrent product, where computing each factor inside the loop took ~16 calls.
- The weights' and the input's gradients are one product each per group of
  ``_GROUP`` steps, made on the helper thread while the loop goes on with the next
  group. The helper runs its jobs in order with one BLAS thread, so the numbers do
  not depend on the timing, and no OpenBLAS pool is woken to spin on its core.

Measured on the IMDB batch (128 x 200 steps, 32 features and units; CPU time, one
BLAS thread, old and new alternating in one process): round 3's forward 18.8 -> 13.7
ms; round 4's forward 12.9 -> 12.1 ms and backward 23.6 -> 19.9 ms. Round 5 (the
helper thread), calling thread's CPU time with the helper beside it, one process
per version on a busy machine: forward 16.5 -> 12.3 ms, backward 27.5 -> 14.4 ms.
"""

import numpy as np

from ..backend import one_blas_thread
from .rnn_cells import _FLUSH_EVERY, flush_now, row_bounds
from .rnn_worker import Helper
from .threads import _CORES


def eligible(cell, keep, rm):
    """Whether an ``LSTMKernel`` call can run on this path.

    Args:
        cell: the ``LSTMKernel``.
        keep: the float mask of the call, or None.
        rm: the recurrent dropout mask of the call, or None.

    Returns:
        True for sigmoid gates, tanh activations, no mask and no recurrent dropout.

    Example:
        >>> eligible(LSTMKernel(32), None, None)
        True
    """
    return (keep is None and rm is None and cell.gates.tanh_form
            and cell.gates.names == ["sigmoid", "sigmoid", "tanh", "sigmoid"]
            and cell.cell_act.names == ["tanh"])


# steps whose gate-gradient factors are computed together: 8 x 64 KB stays in L2; at
# most _FLUSH_EVERY, as the fading gradients are flushed once a block
_CHUNK = min(8, _FLUSH_EVERY)
# steps whose gate gradients give the weights' and the input's gradients in one product
# each: ~3,000 columns ran faster than one product over all steps (1 BLAS thread: 9.2 vs
# 11.1 ms) and than 1,024 (2 threads on a busy machine: 6.1 vs 72 ms wall)
_GROUP = 3 * _CHUNK
# the input projections of later groups and the weight and input gradients of
# finished ones run on a helper thread beside the step loop (see rnn_worker); False
# runs them inline, with the same arithmetic. One core has nothing to overlap.
_OVERLAP = _CORES > 1


class _WeightGrads:
    """The weights' and the input's gradients, summed over groups of steps.

    Args:
        w: ``[kernel; bias; recurrent_kernel]`` ``(rows, 4 * units)``, gates reordered.
        features: the input's width (``w``'s first rows).
        steps: the sequence length.
        needs_x: whether to compute the input's gradient.
    """

    def __init__(self, w, features, steps, needs_x):
        rows, width = w.shape
        self.features, self.rows = features, rows
        self.wx = np.ascontiguousarray(w[:features]) if needs_x else None
        self.d_w = np.zeros((width, rows), w.dtype)
        self.part = np.empty((width, rows), w.dtype)
        self.dx = None
        self.steps = steps

    def add(self, dz, a, h, lo):
        """Add the share of steps ``lo .. lo + len(dz)``.

        Args:
            dz: their gate gradients ``(k, 4 * units, batch)``.
            a: their operands' top rows ``[x_t; 1]`` ``(k, top, batch)``.
            h: the states entering them ``(k, units, batch)``: ``[a; h]`` are the
                operands the weights multiply.
            lo: the first step's index.
        """
        k, width, batch = dz.shape
        top = a.shape[1]
        # (rows, k * batch) side by side: one product over all k steps
        dz_wide = np.ascontiguousarray(dz.transpose(1, 0, 2)).reshape(width, k * batch)
        a_wide = np.empty((self.rows, k, batch), dz.dtype)
        a_wide[:top] = a.transpose(1, 0, 2)
        a_wide[top:] = h.transpose(1, 0, 2)
        a_wide = a_wide.reshape(self.rows, k * batch)
        np.dot(dz_wide, a_wide.T, out=self.part)
        self.d_w += self.part
        if self.wx is not None:
            if self.dx is None:
                self.dx = np.empty((self.features, self.steps, batch), dz.dtype)
            part = np.dot(self.wx, dz_wide)
            self.dx[:, lo:lo + k] = part.reshape(self.features, k, batch)

    def result(self, back):
        """``(d_w, dx)``: ``d_w`` ``(rows, 4 * units)`` in Keras's gate order (``back``),
        ``dx`` feature-major ``(features, steps, batch)`` as a ``(batch, steps,
        features)`` view (an Embedding scatters each feature's contiguous run), or None.
        """
        dx = None if self.dx is None else self.dx.transpose(2, 1, 0)
        return self.d_w[back].T, dx


def _factors(z, tc, f_next, p, fq, n):
    """The factors of a block of steps' gradients that do not depend on dh / dc.

    Args:
        z: the forward's blocks ``(k, 5 * units, batch)``: gates o, i, f, g, then the
            cell state entering the step.
        tc: ``tanh`` of the cell states leaving the steps ``(k, units, batch)``.
        f_next: the forget gates of the steps after these ``(k, units, batch)``.
        p: scratch ``(k, 4 * units, batch)``; gets ``dz = [dh; dc; dc; dc] * p``.
        fq: scratch ``(k, 2 * units, batch)``; gets ``[o * (1 - tanh(c)^2); f_next]``,
            so that ``dc = [dh; dc_next] * fq`` summed over the two halves.

    Returns:
        ``(p, fq)``.
    """
    sig, g = z[:, :3 * n], z[:, 3 * n:4 * n]
    np.subtract(1, sig, p[:, :3 * n])
    p[:, :3 * n] *= sig
    np.multiply(g, g, p[:, 3 * n:])
    np.subtract(1, p[:, 3 * n:], p[:, 3 * n:])
    p[:, :n] *= tc
    p[:, n:2 * n] *= g
    p[:, 2 * n:3 * n] *= z[:, 4 * n:]
    p[:, 3 * n:] *= z[:, n:2 * n]
    q = fq[:, :n]
    np.multiply(tc, tc, q)
    np.subtract(1, q, q)
    q *= z[:, :n]
    np.copyto(fq[:, n:], f_next)
    return p, fq


def _project(a, x, w_x, gates, lo, hi):
    """Steps ``lo .. hi``' input projections: ``x`` ``(batch, steps, features)`` into
    the operands ``a`` ``(steps, top, batch)``, then ``gates[t] = w_x @ a[t]``."""
    a[lo:hi, :x.shape[2]] = x[:, lo:hi].transpose(1, 2, 0)
    np.matmul(w_x, a[lo:hi], out=gates[lo:hi])


class GateRowsLSTM:
    """One LSTM call over a whole sequence; ``forward`` then ``backward`` once.

    Args:
        units: state size.

    Example:
        >>> lstm = GateRowsLSTM(32)
        >>> hs, h, c = lstm.forward(x, kernel, recurrent_kernel, bias, None, None, False)
        >>> dx, dk, du, db, dh0, dc0 = lstm.backward(None, np.ones_like(h), None, True)
    """

    def __init__(self, units):
        n = self.units = units
        # Keras's gate columns i, f, c, o -> rows o, i, f, c
        self.order = np.r_[3 * n:4 * n, 0:3 * n]
        self.back = np.argsort(self.order)

    def _weights(self, kernel, recurrent_kernel, bias):
        """``[kernel; bias; recurrent_kernel]`` ``(rows, 4 * units)``, gates reordered."""
        parts = [kernel] + ([] if bias is None else [bias[None]]) + [recurrent_kernel]
        return np.concatenate(parts)[:, self.order]

    def forward(self, x, kernel, recurrent_kernel, bias, h0, c0, go_backwards):
        """Run the sequence ``x`` ``(batch, steps, features)``.

        Args:
            x: the inputs.
            kernel, recurrent_kernel, bias: Keras's LSTM weights (bias may be None).
            h0, c0: initial states ``(batch, units)``, or None for zeros.
            go_backwards: process the steps last to first.

        Returns:
            ``(hs, h_last, c_last)``: ``hs`` the outputs as ``(steps, units, batch)``
            (a view), then the final states ``(batch, units)``.
        """
        batch, steps, features = x.shape
        n, dtype = self.units, x.dtype
        w = self._weights(kernel, recurrent_kernel, bias)
        top = w.shape[0] - n  # operand rows before h: features (+ 1 for the bias)
        # the sigmoid rows carry the 1/2 of sigmoid(z) = tanh(z / 2) / 2 + 1 / 2
        w_s = np.array(w.T, order="C")  # a copy: w.T of the fancy-indexed w may be C-ordered
        w_s[:3 * n] *= 0.5
        # a[t] = [x_t; 1] (top, batch) and h[t] (units, batch), each contiguous
        a = np.empty((steps, top, batch), dtype)
        a[:, features:] = 1
        h = np.empty((steps + 1, n, batch), dtype)
        h[0] = 0 if h0 is None else h0.T
        # z[t]: step t's gates o, i, f, g, then the cell state entering it, so that
        # [i; f] * [g; c] is one call
        z = np.empty((steps + 1, 5 * n, batch), dtype)
        z[0, 4 * n:] = 0 if c0 is None else c0.T
        tc = np.empty((steps, n, batch), dtype)
        ig_fc = np.empty((2 * n, batch), dtype)
        recurrent = np.empty((4 * n, batch), dtype)
        half = dtype.type(0.5)
        # per-step views made once: slicing inside the loop costs ~0.3 us a view
        gates, sig, i_f, g_c = z[:, :4 * n], z[:, :3 * n], z[:, n:3 * n], z[:, 3 * n:]
        o, c = z[:, :n], z[:, 4 * n:]
        w_x, w_h = np.ascontiguousarray(w_s[:, :top]), np.ascontiguousarray(w_s[:, top:])
        # the step products in row blocks for one BLAS thread, sliced once, not per step
        products = [(w_h[lo:hi], recurrent[lo:hi]) for lo, hi in row_bounds(*w_h.shape, batch)]
        multiply, add, tanh, dot = np.multiply, np.add, np.tanh, np.dot
        # the inputs' projections (with their transposed copy and the bias): group 0
        # here, the later ones on the helper thread while the loop runs the earlier
        src = x[:, ::-1] if go_backwards else x
        bounds = [(lo, min(lo + _GROUP, steps)) for lo in range(0, steps, _GROUP)]
        for lo, hi in bounds[:1]:  # none for an empty sequence
            # one BLAS thread as on the helper: the same arithmetic, and a woken
            # OpenBLAS pool would spin on the core the helper needs
            with one_blas_thread():
                _project(a, src, w_x, gates, lo, hi)
        with Helper(threaded=_OVERLAP and len(bounds) > 1) as helper:
            for lo, hi in bounds[1:]:
                helper.submit(_project, a, src, w_x, gates, lo, hi)
            for k, (lo, hi) in enumerate(bounds):
                helper.wait(k - 1)  # group k's projections are in place
                for t in range(lo, hi):
                    zt, st, ht = gates[t], sig[t], h[t]
                    for w_rows, r_rows in products:
                        dot(w_rows, ht, r_rows)
                    add(zt, recurrent, zt)
                    tanh(zt, zt)
                    multiply(st, half, st)
                    add(st, half, st)
                    multiply(i_f[t], g_c[t], ig_fc)
                    add(ig_fc[:n], ig_fc[n:], c[t + 1])
                    tanh(c[t + 1], tc[t])
                    multiply(o[t], tc[t], h[t + 1])
        self.saved = (w, a, h, z, tc, features, go_backwards)
        return h[1:], np.ascontiguousarray(h[steps].T), np.ascontiguousarray(c[steps].T)

    def backward(self, d_seq, d_h, d_c, needs_x):
        """Gradients of the last ``forward``.

        Args:
            d_seq: gradient of the outputs as ``(steps, units, batch)``, or None.
            d_h, d_c: gradients of the final states ``(batch, units)``, or None.
            needs_x: whether to compute the input's gradient.

        Returns:
            ``(dx or None, d_kernel, d_recurrent_kernel, d_bias or None, dh0, dc0)``.
        """
        w, a, h, z, tc, features, go_backwards = self.saved
        steps, n, batch = tc.shape
        dtype, width, rows = z.dtype, 4 * n, w.shape[0]
        top = rows - n
        u = np.ascontiguousarray(w[top:])
        # the state [dh; dc; dc; dc] lines up with the gate rows o, i, f, g: a step's
        # gate gradients are then one product with p, dc one sum of [dh; dc_next] * fq
        state = np.zeros((width, batch), dtype)
        if d_h is not None:
            state[:n] = d_h.T
        if d_c is not None:
            state[n:2 * n] = d_c.T
        dh, dc_next, dc = state[:n], state[:2 * n], state[n:2 * n]
        dc_copies = state[2 * n:].reshape(2, n, batch)
        terms = np.empty((2 * n, batch), dtype)
        block = _CHUNK
        p = np.empty((block, width, batch), dtype)
        fq = np.empty((block, 2 * n, batch), dtype)
        f_next = z[:, 2 * n:3 * n]
        # two groups' gate gradients: the helper thread reads one while the loop
        # writes the other
        dz_pair = np.empty((2, _GROUP, width, batch), dtype)
        grads = _WeightGrads(w, features, steps, needs_x)
        products = [(u[lo:hi], dh[lo:hi]) for lo, hi in row_bounds(*u.shape, batch)]
        multiply, add, copyto, dot = np.multiply, np.add, np.copyto, np.dot
        with Helper(threaded=_OVERLAP and steps > _GROUP) as helper:
            for k, group_hi in enumerate(range(steps, 0, -_GROUP)):
                helper.wait(k - 2)  # the group that last used this buffer
                group_lo = max(0, group_hi - _GROUP)
                dz = dz_pair[k % 2]
                for hi in range(group_hi, group_lo, -block):
                    lo = max(group_lo, hi - block)
                    pk, fqk = _factors(z[lo:hi], tc[lo:hi], f_next[lo + 1:hi + 1], p[:hi - lo],
                                       fq[:hi - lo], n)
                    if hi == steps:  # the final cell state's gradient enters unscaled
                        fqk[-1, n:] = 1
                    for t in range(hi - 1, lo - 1, -1):
                        if d_seq is not None:
                            dh += d_seq[t]
                        multiply(dc_next, fqk[t - lo], terms)
                        add(terms[:n], terms[n:], dc)
                        copyto(dc_copies, dc)  # a broadcasting add's output ran 2x slower
                        dzt = dz[t - group_lo]
                        multiply(state, pk[t - lo], dzt)
                        for u_rows, dh_rows in products:
                            dot(u_rows, dzt, dh_rows)
                    flush_now(state)  # once a block: _CHUNK <= _FLUSH_EVERY steps
                helper.submit(grads.add, dz[:group_hi - group_lo], a[group_lo:group_hi],
                              h[group_lo:group_hi], group_lo)
        d_w, dx = grads.result(self.back)
        if needs_x:
            dx = dx[:, ::-1] if go_backwards else dx
        d_bias = d_w[features].copy() if top > features else None
        dc0 = state[n:2 * n] * f_next[0]
        return (dx, np.ascontiguousarray(d_w[:features]), np.ascontiguousarray(d_w[top:]),
                d_bias, np.ascontiguousarray(dh.T), np.ascontiguousarray(dc0.T))
