"""The LSTM's fast path: a whole sequence in a gate-row layout, one product per step.

``rnn.Recurrence`` takes this path for an LSTM with sigmoid / tanh activations and
neither a mask nor recurrent dropout (the IMDB program's case); ``LSTMKernel`` in
``rnn_cells`` does everything else. The math is the same; the layout differs:

- Everything is transposed: a step's gates are a ``(4 * units, batch)`` block, so each
  gate is a contiguous ``(units, batch)`` row block. In the batch-major layout a gate
  is a column slice ``(batch, units)`` of a wider row, and NumPy's element-wise loops
  over such strided slices took 9 us instead of 1.7 on the IMDB batch (128 x 32).
- The gates are stored in the order i, f, o, c (Keras's columns permuted once), so the
  three sigmoids are one contiguous block whose affine map takes scalar operands.
- Each step multiplies ``[x_t; 1; h_{t-1}]`` by the kernel, bias and recurrent
  kernel side by side: the input projection, the bias and the recurrent product in
  one call, with no add of two products afterwards; the new ``h_t`` is written
  straight into the next step's operand. Backward, per step only the recurrent
  product runs; the input's gradient and all weights' gradients are one product each
  over ``steps * batch`` columns, where BLAS runs faster than on per-step products
  of the same total size.

Measured on the IMDB batch (128 x 200 steps, 32 features and units; CPU time, one
BLAS thread, old and new alternating in one process): forward 18.8 -> 13.7 ms,
backward unchanged (~27 ms: its per-step work and its big products both cost about
what they did).
"""

import numpy as np

from .rnn_cells import _flush, _step_dot


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
        # Keras's gate columns i, f, c, o -> rows i, f, o, c
        self.order = np.r_[0:2 * n, 3 * n:4 * n, 2 * n:3 * n]
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
        # step t's operand a[t] = [x_t; 1; h_{t-1}] (rows, batch), contiguous: as a
        # strided view of a (rows, steps, batch) array it made the forward 1.4x slower
        a = np.empty((steps + 1, top + n, batch), dtype)
        a[:steps, :features] = (x[:, ::-1] if go_backwards else x).transpose(1, 2, 0)
        a[:steps, features:top] = 1
        a[0, top:] = 0 if h0 is None else h0.T
        c = np.empty((steps + 1, n, batch), dtype)
        c[0] = 0 if c0 is None else c0.T
        z = np.empty((steps, 4 * n, batch), dtype)
        tc = np.empty((steps, n, batch), dtype)
        tmp = np.empty((n, batch), dtype)
        for t in range(steps):
            zt = z[t]
            _step_dot(w_s, a[t], zt)
            np.tanh(zt, out=zt)
            sig = zt[:3 * n]
            sig *= 0.5
            sig += 0.5
            np.multiply(zt[n:2 * n], c[t], out=c[t + 1])
            np.multiply(zt[:n], zt[3 * n:], out=tmp)
            c[t + 1] += tmp
            np.tanh(c[t + 1], out=tc[t])
            np.multiply(zt[2 * n:3 * n], tc[t], out=a[t + 1, top:])
        self.saved = (w, a, c, z, tc, features, go_backwards)
        return a[1:, top:], np.ascontiguousarray(a[steps, top:].T), np.ascontiguousarray(
            c[steps].T)

    def backward(self, d_seq, d_h, d_c, needs_x):
        """Gradients of the last ``forward``.

        Args:
            d_seq: gradient of the outputs as ``(steps, units, batch)``, or None.
            d_h, d_c: gradients of the final states ``(batch, units)``, or None.
            needs_x: whether to compute the input's gradient.

        Returns:
            ``(dx or None, d_kernel, d_recurrent_kernel, d_bias or None, dh0, dc0)``.
        """
        w, a, c, z, tc, features, go_backwards = self.saved
        steps, width, batch = z.shape
        n, dtype = self.units, z.dtype
        top = w.shape[0] - n
        u = np.ascontiguousarray(w[top:])
        # (4 * units, steps * batch), like the input part of forward: each weight's
        # gradient and the input's are then one product over all steps
        dz = np.empty((width, steps, batch), dtype)
        dh = np.zeros((n, batch), dtype) if d_h is None else d_h.T.copy()
        dc = np.zeros((n, batch), dtype) if d_c is None else d_c.T.copy()
        tmp, rec = np.empty((n, batch), dtype), np.empty((n, batch), dtype)
        slope, dzt = np.empty((width, batch), dtype), np.empty((width, batch), dtype)
        for t in range(steps - 1, -1, -1):
            if d_seq is not None:
                dh += d_seq[t]
            zt, tct = z[t], tc[t]
            i, f, o, g = zt[:n], zt[n:2 * n], zt[2 * n:3 * n], zt[3 * n:]
            # dc += dh * o * (1 - tanh(c_t)^2)
            np.multiply(tct, tct, out=tmp)
            np.subtract(1, tmp, out=tmp)
            tmp *= o
            tmp *= dh
            dc += tmp
            np.multiply(dc, g, out=dzt[:n])
            np.multiply(dc, c[t], out=dzt[n:2 * n])
            np.multiply(dh, tct, out=dzt[2 * n:3 * n])
            np.multiply(dc, i, out=dzt[3 * n:])
            # slopes: y (1 - y) for the sigmoid rows, 1 - g^2 for the candidate
            np.subtract(1, zt[:3 * n], out=slope[:3 * n])
            slope[:3 * n] *= zt[:3 * n]
            np.multiply(g, g, out=slope[3 * n:])
            np.subtract(1, slope[3 * n:], out=slope[3 * n:])
            dzt *= slope
            dz[:, t] = dzt
            dc *= f
            _step_dot(u, dzt, rec)
            dh, rec = rec, dh
            _flush(t, dh, dc)
        dz2 = dz.reshape(width, steps * batch)
        # a's per-step blocks side by side, (rows, steps * batch), for one product
        a2 = np.ascontiguousarray(a[:steps].transpose(1, 0, 2)).reshape(top + n, -1)
        d_w = np.dot(dz2, a2.T)[self.back].T
        dx = None
        if needs_x:
            # feature-major (features, steps, batch), handed on as a (batch, steps,
            # features) view: an Embedding scatters each feature's contiguous run
            dx = np.dot(w[:features], dz2).reshape(features, steps, batch).transpose(2, 1, 0)
            dx = dx[:, ::-1] if go_backwards else dx
        d_bias = d_w[features].copy() if top > features else None
        return (dx, np.ascontiguousarray(d_w[:features]), np.ascontiguousarray(d_w[top:]),
                d_bias, np.ascontiguousarray(dh.T), np.ascontiguousarray(dc.T))
