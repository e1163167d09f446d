"""The step math of SimpleRNN, LSTM and GRU, forward and backward through time.

Each kernel works time-major on the input projection ``z`` (``(steps, batch,
gates * units)``, bias included) that ``rnn.Recurrence`` computed in one product.
``forward`` returns the hidden states ``h`` (``(steps + 1, batch, units)``, ``h[0]``
the initial state), the final states and what backward needs; ``backward`` returns
the gradient of ``z``, of the recurrent kernel and recurrent bias, and of the
initial states. Kernels keep no per-call data, so one layer may run twice in a graph.

Everything element-wise runs inside the step loops on ``(batch, units)`` slices
that stay in cache, including the activation derivatives: computed for all steps
at once they would be memory-bound passes over ``(steps, batch, 4 * units)``
arrays (measured ~2 ms each on the IMDB batch, the whole loop's cost). ``keep`` is
the float mask ``(steps, batch, 1)`` or None; ``rm`` the recurrent dropout mask
``(batch, units)`` or None.
"""

import numpy as np

from .rnn_gates import Gates

# Gradients that fade through hundreds of steps reach float32's subnormal range
# (< 1.2e-38), where every NumPy call on them runs ~30x slower (measured: a
# 128 x 32 multiply takes 53 us instead of 1.8). Adding and subtracting 2**-60 rounds
# anything below ~4e-26 to exactly zero and changes larger values by less than that,
# far below what any weight update can see. (float64's subnormals start at 2e-308.)
_FLUSH = {np.dtype(np.float32): np.float32(2.0 ** -60)}
_FLUSH_EVERY = 8  # steps; fading 1e12-fold within 8 steps would take gates near 0


def _flush(t, *arrays):
    """Round gradients too small to matter to zero every ``_FLUSH_EVERY`` steps."""
    if t % _FLUSH_EVERY == 0:
        flush_now(*arrays)


def flush_now(*arrays):
    """Round gradients too small to matter to zero, so they never go subnormal."""
    for a in arrays:
        tiny = _FLUSH.get(a.dtype)
        if tiny is not None:
            a += tiny
            a -= tiny


def _hold(h, t, keep):
    """Masked rows keep the previous state (Keras: ``where(mask, new, old)``)."""
    np.copyto(h[t + 1], h[t], where=keep[t] == 0)


# OpenBLAS (NumPy's BLAS) runs a product on every core once m * n * k > 4 * 65536. For
# the ~1 MFLOP product of one step the threads' hand-off costs about what the product
# does, and far more on a busy machine (measured: a loaded 2-core box spent 5x the CPU
# time). Splitting the rows keeps each part under that size, on the calling thread;
# the big whole-sequence products stay multi-threaded.
_SINGLE_THREAD_MNK = 4 * 65536


def row_bounds(rows, inner, cols):
    """``(lo, hi)`` row ranges of a ``(rows, inner)`` matrix whose products with an
    ``(inner, cols)`` operand each stay on one BLAS thread.

    Args:
        rows, inner, cols: the product's sizes.

    Returns:
        A list of ``(lo, hi)`` covering ``range(rows)``.

    Example:
        >>> row_bounds(128, 65, 128)[:2]
        [(0, 31), (31, 62)]
    """
    chunk = max(1, _SINGLE_THREAD_MNK // (inner * cols))
    return [(lo, min(lo + chunk, rows)) for lo in range(0, rows, chunk)]


def _step_dot(a, b, out):
    """``np.dot(a, b, out=out)`` in row blocks small enough for one BLAS thread."""
    bounds = row_bounds(a.shape[0], *b.shape)
    if len(bounds) == 1:
        return np.dot(a, b, out=out)
    for lo, hi in bounds:
        np.dot(a[lo:hi], b, out=out[lo:hi])
    return out


def weight_grad(a, b):
    """``a.T @ b`` over all steps (a weight's gradient), computed as ``(b.T @ a).T``.

    Same sums; but OpenBLAS's two threads handle the ``k = steps * batch`` product far
    better in this orientation on a busy machine (33 x 25600 x 128: 6 ms of CPU instead
    of 331 ms measured; one thread: 3.7 ms either way).
    """
    return np.ascontiguousarray(np.dot(b.T, a).T)


def _transposed(u):
    """A C-ordered copy of ``u.T``: ``np.dot(a, u.T, out=...)`` on the transposed view
    leaves BLAS for a generic loop (measured 450 us instead of 16 for 128 x 128 x 32)."""
    return np.ascontiguousarray(u.T)


def _recurrent_grad(dz, u_t, rm, out):
    """``dz @ recurrent_kernel.T`` (times the recurrent dropout mask) into ``out``."""
    _step_dot(dz, u_t, out)
    if rm is not None:
        out *= rm
    return out


def _carry(dh, rec, direct):
    """``dh <- rec + dh * direct``: the state's gradient through the step and around it."""
    dh *= direct
    dh += rec


def _start(final, like):
    """The gradient flowing into the last step's state (zeros when none)."""
    return np.zeros_like(like) if final is None else final.copy()


class SimpleRNNKernel:
    """``h_t = activation(x_t W + b + h_{t-1} U)``.

    Args:
        units: state size.
        activation: name in ``rnn_gates.SUPPORTED_ACTIVATIONS``.
    """

    n_states, n_gates = 1, 1

    def __init__(self, units, activation="tanh"):
        self.units = units
        self.act = Gates([activation], units, prescaled=True)

    def weight_scale(self):
        return self.act.scale

    def forward(self, z, u, rec_bias, states, keep, rm):
        steps, batch, n = z.shape
        h = np.empty((steps + 1, batch, n), z.dtype)
        h[0] = states[0]
        tmp, hm = np.empty((batch, n), z.dtype), np.empty((batch, n), z.dtype)
        for t in range(steps):
            prev = h[t] if rm is None else np.multiply(h[t], rm, out=hm)
            _step_dot(prev, u, tmp)
            self.act(np.add(z[t], tmp, out=h[t + 1]))
            if keep is not None:
                _hold(h, t, keep)
        return h, [h[steps]], h

    def backward(self, d_seq, finals, u, keep, rm, h):
        steps, batch, n = h.shape[0] - 1, h.shape[1], h.shape[2]
        dz = np.empty((steps, batch, n), h.dtype)
        dh = _start(finals[0], h[0])
        rec, u_t = np.empty_like(dh), _transposed(u)
        for t in range(steps - 1, -1, -1):
            if d_seq is not None:
                dh += d_seq[t]
            dzt = self.act.derivative(h[t + 1], out=dz[t])
            dzt *= dh
            if keep is not None:
                dzt *= keep[t]
            _recurrent_grad(dzt, u_t, rm, rec)
            if keep is None:
                dh, rec = rec, dh
            else:
                _carry(dh, rec, 1 - keep[t])
            _flush(t, dh)
        prev = h[:-1] if rm is None else h[:-1] * rm
        d_u = weight_grad(prev.reshape(-1, n), dz.reshape(-1, n))
        return dz, d_u, None, [dh]


class LSTMKernel:
    """Keras's LSTM step, gates in the order i, f, c, o::

        z = x_t W + h_{t-1} U + b;  i, f, o = rec_act(z_i, z_f, z_o);  g = act(z_c)
        c_t = f * c_{t-1} + i * g;  h_t = o * act(c_t)

    Args:
        units: state size.
        activation, recurrent_activation: names in ``rnn_gates.SUPPORTED_ACTIVATIONS``.
    """

    n_states, n_gates = 2, 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid"):
        self.units = units
        ra = recurrent_activation
        self.gates = Gates([ra, ra, activation, ra], units, prescaled=True)
        self.cell_act = Gates([activation], units)

    def weight_scale(self):
        return self.gates.scale

    def forward(self, z, u, rec_bias, states, keep, rm):
        steps, batch, width = z.shape
        n = self.units
        h = np.empty((steps + 1, batch, n), z.dtype)
        c, tc = np.empty_like(h), np.empty((steps, batch, n), z.dtype)
        h[0], c[0] = states
        rec = np.empty((batch, width), z.dtype)
        tmp, hm = np.empty((batch, n), z.dtype), np.empty((batch, n), z.dtype)
        tanh_cell = self.cell_act.names == ["tanh"]
        for t in range(steps):
            prev = h[t] if rm is None else np.multiply(h[t], rm, out=hm)
            _step_dot(prev, u, rec)
            zt = z[t]
            zt += rec
            self.gates(zt)
            np.multiply(zt[:, n:2 * n], c[t], out=c[t + 1])
            np.multiply(zt[:, :n], zt[:, 2 * n:3 * n], out=tmp)
            c[t + 1] += tmp
            if tanh_cell:
                np.tanh(c[t + 1], out=tc[t])
            else:
                np.copyto(tc[t], c[t + 1])
                self.cell_act(tc[t])
            np.multiply(zt[:, 3 * n:], tc[t], out=h[t + 1])
            if keep is not None:
                _hold(h, t, keep)
                _hold(c, t, keep)
        return h, [h[steps], c[steps]], (z, h, c, tc)

    def backward(self, d_seq, finals, u, keep, rm, saved):
        z, h, c, tc = saved
        steps, batch, width = z.shape
        n = self.units
        dz = np.empty((steps, batch, width), z.dtype)
        dh, dc = _start(finals[0], h[0]), _start(finals[1], c[0])
        tmp, rec, u_t = np.empty_like(dh), np.empty_like(dh), _transposed(u)
        slope = np.empty((batch, width), z.dtype)
        for t in range(steps - 1, -1, -1):
            if d_seq is not None:
                dh += d_seq[t]
            zt, dzt = z[t], dz[t]
            # dc += dh * o * act'(c_t)
            self.cell_act.derivative(tc[t], out=tmp)
            tmp *= zt[:, 3 * n:]
            tmp *= dh
            if keep is not None:
                tmp *= keep[t]
            dc += tmp
            # dz = [dc * g, dc * c_{t-1}, dc * i, dh * act(c_t)] * gate derivatives
            np.multiply(dc, zt[:, 2 * n:3 * n], out=dzt[:, :n])
            np.multiply(dc, c[t], out=dzt[:, n:2 * n])
            np.multiply(dc, zt[:, :n], out=dzt[:, 2 * n:3 * n])
            np.multiply(dh, tc[t], out=dzt[:, 3 * n:])
            dzt *= self.gates.derivative(zt, out=slope)
            if keep is None:
                dc *= zt[:, n:2 * n]
            else:
                dzt *= keep[t]
                # masked rows carry dc unchanged: factor f where kept, 1 where masked
                np.multiply(zt[:, n:2 * n], keep[t], out=tmp)
                tmp += 1 - keep[t]
                dc *= tmp
            _recurrent_grad(dzt, u_t, rm, rec)
            if keep is None:
                dh, rec = rec, dh
            else:
                _carry(dh, rec, 1 - keep[t])
            _flush(t, dh, dc)
        prev = h[:-1] if rm is None else h[:-1] * rm
        d_u = weight_grad(prev.reshape(-1, n), dz.reshape(-1, width))
        return dz, d_u, None, [dh, dc]


class GRUKernel:
    """Keras's GRU step, gates in the order z, r, h::

        z, r = rec_act(x_t W_zr + b_zr + h_{t-1} U_zr [+ b'_zr])
        reset_after:  hh = act(x_t W_h + b_h + r * (h_{t-1} U_h + b'_h))
        else:         hh = act(x_t W_h + b_h + (r * h_{t-1}) U_h)
        h_t = z * h_{t-1} + (1 - z) * hh

    Args:
        units: state size.
        activation, recurrent_activation: names in ``rnn_gates.SUPPORTED_ACTIVATIONS``.
        reset_after: apply the reset gate after the recurrent product (Keras's default).
    """

    n_states, n_gates = 1, 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 reset_after=True):
        self.units, self.reset_after = units, reset_after
        self.gates = Gates([recurrent_activation] * 2, units, prescaled=True)
        self.cand = Gates([activation], units)

    def weight_scale(self):
        if self.gates.scale is None:
            return None
        return np.concatenate([self.gates.scale, np.ones(self.units)])

    def forward(self, z, u, rec_bias, states, keep, rm):
        steps, batch, width = z.shape
        n = self.units
        h = np.empty((steps + 1, batch, n), z.dtype)
        h[0] = states[0]
        # reset_after keeps h U (+ b') for dr; reset-before keeps r * h for d U_h.
        kept = np.empty((steps, batch, width if self.reset_after else n), z.dtype)
        rec = None if self.reset_after else np.empty((batch, 2 * n), z.dtype)  # else kept[t]
        u_zr, u_h = np.ascontiguousarray(u[:, :2 * n]), np.ascontiguousarray(u[:, 2 * n:])
        # repeated per row once: NumPy walks a row-broadcast vector one row at a time
        bias_rows = None if rec_bias is None else np.repeat(rec_bias[None], batch, axis=0)
        tmp, hm = np.empty((batch, n), z.dtype), np.empty((batch, n), z.dtype)
        for t in range(steps):
            prev = h[t] if rm is None else np.multiply(h[t], rm, out=hm)
            zt = z[t]
            zr, cand = zt[:, :2 * n], zt[:, 2 * n:]
            if self.reset_after:
                rec = kept[t]
                _step_dot(prev, u, rec)
                if rec_bias is not None:
                    rec += bias_rows
                zr += rec[:, :2 * n]
                self.gates(zr)
                np.multiply(zr[:, n:], rec[:, 2 * n:], out=tmp)
            else:
                _step_dot(prev, u_zr, rec)
                zr += rec
                self.gates(zr)
                np.multiply(zr[:, n:], prev, out=kept[t])
                _step_dot(kept[t], u_h, tmp)
            cand += tmp
            self.cand(cand)
            np.subtract(h[t], cand, out=tmp)
            tmp *= zr[:, :n]
            np.add(cand, tmp, out=h[t + 1])
            if keep is not None:
                _hold(h, t, keep)
        return h, [h[steps]], (z, h, kept)

    def backward(self, d_seq, finals, u, keep, rm, saved):
        z, h, kept = saved
        steps, batch, width = z.shape
        n = self.units
        dh = _start(finals[0], h[0])
        bufs = [np.empty((batch, n), z.dtype) for _ in range(3)]
        slope = np.empty((batch, 2 * n), z.dtype)
        if self.reset_after:
            # per step: [dz_z, dz_r, d(h U_h + b'_h), dz_h]; the first three are d(h U + b')
            dg = np.empty((steps, batch, 4 * n), z.dtype)
            u_t = _transposed(u)
        else:
            dg = np.empty((steps, batch, 3 * n), z.dtype)
            u_zr_t, u_h_t = _transposed(u[:, :2 * n]), _transposed(u[:, 2 * n:])
        for t in range(steps - 1, -1, -1):
            if d_seq is not None:
                dh += d_seq[t]
            zt, g = z[t], dg[t]
            zg, r, cand = zt[:, :n], zt[:, n:2 * n], zt[:, 2 * n:]
            self.gates.derivative(zt[:, :2 * n], out=slope)
            d_cand = g[:, -n:]
            # dz_h = dh * (1 - z) * act'(hh);  dz_z = dh * (h_{t-1} - hh) * z'
            self.cand.derivative(cand, out=d_cand)
            np.subtract(1, zg, out=bufs[0])
            d_cand *= bufs[0]
            d_cand *= dh
            np.subtract(h[t], cand, out=g[:, :n])
            g[:, :n] *= slope[:, :n]
            g[:, :n] *= dh
            if keep is not None:
                g *= keep[t]
            rec = bufs[1]
            if self.reset_after:
                np.multiply(d_cand, kept[t][:, 2 * n:], out=g[:, n:2 * n])
                g[:, n:2 * n] *= slope[:, n:]
                np.multiply(d_cand, r, out=g[:, 2 * n:3 * n])
                _recurrent_grad(g[:, :3 * n], u_t, rm, rec)
            else:
                drh = _step_dot(d_cand, u_h_t, bufs[2])  # d (r * h_{t-1})
                prev = h[t] if rm is None else np.multiply(h[t], rm, out=g[:, n:2 * n])
                np.multiply(drh, prev, out=g[:, n:2 * n])
                g[:, n:2 * n] *= slope[:, n:]
                _step_dot(g[:, :2 * n], u_zr_t, rec)
                drh *= r
                rec += drh
                if rm is not None:
                    rec *= rm
            # the direct path h_{t-1} -> h_t: factor z where kept, 1 where masked
            if keep is None:
                _carry(dh, rec, zg)
            else:
                np.multiply(zg, keep[t], out=bufs[0])
                bufs[0] += 1 - keep[t]
                _carry(dh, rec, bufs[0])
            _flush(t, dh)
        prev = (h[:-1] if rm is None else h[:-1] * rm).reshape(-1, n)
        flat = dg.reshape(steps * batch, -1)
        if self.reset_after:
            d_rec = flat[:, :3 * n]
            dz = np.concatenate([dg[..., :2 * n], dg[..., 3 * n:]], axis=-1)
            return dz, weight_grad(prev, d_rec), d_rec.sum(axis=0), [dh]
        d_u = np.concatenate([weight_grad(prev, flat[:, :2 * n]),
                              weight_grad(kept.reshape(-1, n), flat[:, 2 * n:])], axis=1)
        return dg, d_u, None, [dh]
