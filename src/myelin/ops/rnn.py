"""Whole-sequence recurrent kernels: SimpleRNN, LSTM and GRU as one Function each call.

The input projection of every time step is one BLAS product (``x @ kernel`` over
``batch * timesteps`` rows); the loop then does one product per step for the
recurrent part, all gates together, and the activations in place. Backward through
time walks the steps in reverse with the same structure and ends with one BLAS
product per weight. The per-cell step math lives in ``rnn_cells``; this module holds
what every cell shares: time-major layout, masks, ``go_backwards``, initial states,
packing of the outputs, and the weight gradients.

Masks follow Keras: at a masked step the states keep their previous values and the
output repeats the previous output (or is zero with ``zero_output_for_mask``).
"""

import numpy as np

from ..autodiff import Function, convert_to_tensor
from . import rnn_lstm
from .rnn_cells import LSTMKernel, weight_grad


def _column_scale(cell, dtype):
    """The per-column factor the cell's gates want folded into the weights, or None."""
    scale = cell.weight_scale()
    return None if scale is None else scale.astype(dtype)


class Recurrence(Function):
    """A whole recurrent layer over a sequence: ``(x, kernel, recurrent_kernel[, bias]
    [, *initial_states]) -> outputs``.

    The result is the output sequence ``(batch, timesteps, units)`` or the last output
    ``(batch, units)``; with ``return_state`` the final states follow it along axis 1
    in one packed array that ``recurrence`` splits.
    """

    def __init__(self, cell, has_bias, mask, go_backwards, return_sequences,
                 return_state, zero_output_for_mask, recurrent_mask):
        self.cell, self.has_bias, self.mask = cell, has_bias, mask
        self.go_backwards, self.return_sequences = go_backwards, return_sequences
        self.return_state, self.zero_output = return_state, zero_output_for_mask
        self.rm = recurrent_mask
        self.fast = None

    def _pack(self, main, finals):
        if not self.return_state:
            return main
        parts = [main if self.return_sequences else main[:, None]]
        return np.concatenate(parts + [s[:, None] for s in finals], axis=1)

    def forward(self, x, kernel, recurrent_kernel, *rest):
        bias = rest[0] if self.has_bias else None
        states = rest[1:] if self.has_bias else rest
        same_dtype = all(a.dtype == x.dtype for a in (kernel, recurrent_kernel, *rest))
        if same_dtype and isinstance(self.cell, LSTMKernel) and rnn_lstm.eligible(
                self.cell, self.mask, self.rm):
            return self._forward_fast(x, kernel, recurrent_kernel, bias, states)
        batch, steps, features = x.shape
        scale = _column_scale(self.cell, x.dtype)
        in_bias, rec_bias = (None, None) if bias is None else (
            (bias[0], bias[1]) if bias.ndim == 2 else (bias, None))
        if scale is not None:
            kernel_s, recurrent_s = kernel * scale, recurrent_kernel * scale
            in_bias = None if in_bias is None else in_bias * scale
            rec_bias = None if rec_bias is None else rec_bias * scale
        else:
            kernel_s, recurrent_s = kernel, recurrent_kernel
        # Time-major input with a column of ones: the input bias rides in the product
        # (one pass instead of a separate add over (steps, batch, gates * units)), and
        # backward gets the kernel's and the bias's gradients from one product too.
        xt = np.empty((steps, batch, features + (in_bias is not None)), x.dtype)
        xt[..., :features] = x.swapaxes(0, 1)[::-1] if self.go_backwards else x.swapaxes(0, 1)
        if in_bias is not None:
            xt[..., features] = 1
            kernel_s = np.concatenate([kernel_s, in_bias[None]])
        xt = xt.reshape(steps * batch, -1)
        z = np.dot(xt, kernel_s).reshape(steps, batch, -1)
        self.keep = None
        if self.mask is not None:
            keep = self.mask.T[:, :, None].astype(x.dtype)
            self.keep = keep[::-1] if self.go_backwards else keep
        if not states:
            states = [np.zeros((batch, self.cell.units), x.dtype)] * self.cell.n_states
        h, finals, self.saved = self.cell.forward(z, recurrent_s, rec_bias, states,
                                                  self.keep, self.rm)
        self.xt, self.kernel, self.recurrent_kernel = xt, kernel, recurrent_kernel
        self.shape, self.bias_ndim = x.shape, None if bias is None else bias.ndim
        seq = h[1:]
        if self.zero_output and self.keep is not None:
            seq = seq * self.keep
        main = np.ascontiguousarray(seq.swapaxes(0, 1)) if self.return_sequences else (
            seq[-1].copy())
        return self._pack(main, finals)

    def _forward_fast(self, x, kernel, recurrent_kernel, bias, states):
        self.fast = rnn_lstm.GateRowsLSTM(self.cell.units)
        h0, c0 = states if states else (None, None)
        hs, h_last, c_last = self.fast.forward(x, kernel, recurrent_kernel, bias, h0, c0,
                                               self.go_backwards)
        main = np.ascontiguousarray(hs.transpose(2, 0, 1)) if self.return_sequences else (
            h_last)
        return self._pack(main, [h_last, c_last])

    def _backward_fast(self, grad):
        main, finals = self._split_grad(grad)
        d_seq, d_h = None, finals[0]
        if self.return_sequences:
            d_seq = np.ascontiguousarray(main.transpose(1, 2, 0))
        else:
            d_h = main if d_h is None else d_h + main
        dx, d_kernel, d_rec, d_bias, dh0, dc0 = self.fast.backward(d_seq, d_h, finals[1],
                                                                   self.needs[0])
        grads = [dx, d_kernel, d_rec] + ([d_bias] if self.has_bias else []) + [dh0, dc0]
        return tuple(grads[:len(self.needs)])

    def _split_grad(self, grad):
        count = self.cell.n_states
        if not self.return_state:
            return grad, [None] * count
        return (grad[:, :-count] if self.return_sequences else grad[:, 0],
                [np.ascontiguousarray(grad[:, -count + k]) for k in range(count)])

    def backward(self, grad):
        if self.fast is not None:
            return self._backward_fast(grad)
        main, finals = self._split_grad(grad)
        keep = self.keep
        d_seq = None
        if self.return_sequences:
            d_seq = main.swapaxes(0, 1)
            if self.zero_output and keep is not None:
                d_seq = d_seq * keep
        else:
            last = main * keep[-1] if self.zero_output and keep is not None else main
            finals[0] = last if finals[0] is None else finals[0] + last
        dz, d_rec, d_rec_bias, d_states = self.cell.backward(
            d_seq, finals, self.recurrent_kernel, keep, self.rm, self.saved)
        steps, batch, width = dz.shape
        dz2 = dz.reshape(steps * batch, width)
        batch, steps, features = self.shape
        grads = [None, None, d_rec]
        if self.needs[0]:
            dx = np.dot(dz2, self.kernel.T).reshape(steps, batch, features)
            grads[0] = (dx[::-1] if self.go_backwards else dx).swapaxes(0, 1)
        if self.needs[1] or self.has_bias:
            # with a bias, xt's last column is ones: the product's last row is its gradient
            d_kernel = weight_grad(self.xt, dz2)
            grads[1] = d_kernel[:features]
        if self.has_bias:
            d_bias = d_kernel[features]
            grads.append(np.stack([d_bias, d_rec_bias]) if self.bias_ndim == 2 else d_bias)
        return tuple(grads + d_states[:len(self.needs) - len(grads)])


def recurrence(cell, x, kernel, recurrent_kernel, bias=None, initial_states=None,
               mask=None, go_backwards=False, return_sequences=False, return_state=False,
               zero_output_for_mask=False, recurrent_mask=None):
    """Run ``cell``'s kernel over the whole sequence ``x`` as one differentiable op.

    Args:
        cell: a kernel from ``myelin.ops.rnn_cells`` (``LSTMKernel(...)`` ...).
        x: Tensor ``(batch, timesteps, features)``.
        kernel, recurrent_kernel, bias: the layer's weights in Keras's layout.
        initial_states: list of Tensors ``(batch, units)``, or None for zeros.
        mask: boolean array ``(batch, timesteps)``; False steps keep the states.
        go_backwards: process the steps last to first (outputs in processing order).
        return_sequences: return every step's output instead of the last one.
        return_state: also return the final states.
        zero_output_for_mask: masked steps output zeros instead of the previous output.
        recurrent_mask: dropout mask ``(batch, units)`` applied to the state that
            enters the recurrent product (Keras's ``recurrent_dropout``).

    Returns:
        The output Tensor, or ``[output, *final_states]`` with ``return_state``.

    Example:
        >>> cell = LSTMKernel(units=4)
        >>> out = recurrence(cell, x, kernel, recurrent_kernel, bias)  # (batch, 4)
    """
    inputs = [x, kernel, recurrent_kernel] + ([] if bias is None else [bias])
    inputs += [convert_to_tensor(s, dtype=x.dtype) for s in initial_states or ()]
    out = Recurrence.apply(
        *inputs, cell=cell, has_bias=bias is not None,
        mask=None if mask is None else np.asarray(mask, dtype=bool),
        go_backwards=go_backwards, return_sequences=return_sequences,
        return_state=return_state, zero_output_for_mask=zero_output_for_mask,
        recurrent_mask=recurrent_mask)
    if not return_state:
        return out
    steps = out.shape[1] - cell.n_states
    main = _Take.apply(out, index=slice(0, steps) if return_sequences else 0)
    return [main] + [_Take.apply(out, index=steps + k) for k in range(cell.n_states)]


class _Take(Function):
    """One part of a packed output along axis 1 (the output or one final state)."""

    def __init__(self, index):
        self.index = index

    def forward(self, packed):
        self.shape = packed.shape
        return np.ascontiguousarray(packed[:, self.index])

    def backward(self, grad):
        out = np.zeros(self.shape, grad.dtype)
        out[:, self.index] = grad
        return out


__all__ = ["Recurrence", "recurrence"]
