"""Keras 3's recurrent step formulas written out in plain NumPy, step by step.

The test oracle for the fused kernels: nothing here shares code with myelin.ops.
"""

import numpy as np


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _loop(step, x, states, mask, go_backwards, zero_output):
    """Keras's ``backend.rnn``: masked steps keep the states; outputs in processing order."""
    order = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    outputs = []
    prev_out = np.zeros_like(states[0])
    for t in order:
        out, new = step(x[:, t], states)
        if mask is not None:
            m = mask[:, t][:, None]
            out = np.where(m, out, 0 if zero_output else states[0])
            new = [np.where(m, s_new, s) for s_new, s in zip(new, states, strict=True)]
        outputs.append(out)
        prev_out, states = out, new
    return np.stack(outputs, axis=1), prev_out, states


def simple_rnn(x, kernel, rec, bias, h0=None, act=np.tanh, **loop):
    h0 = np.zeros((x.shape[0], rec.shape[0])) if h0 is None else h0

    def step(xt, states):
        h = act(xt @ kernel + bias + states[0] @ rec)
        return h, [h]

    return _loop(step, x, [h0], **loop)


def lstm(x, kernel, rec, bias, h0=None, c0=None, **loop):
    n = rec.shape[0]
    h0 = np.zeros((x.shape[0], n)) if h0 is None else h0
    c0 = np.zeros((x.shape[0], n)) if c0 is None else c0

    def step(xt, states):
        z = xt @ kernel + states[0] @ rec + bias
        i, f = sigmoid(z[:, :n]), sigmoid(z[:, n:2 * n])
        c = f * states[1] + i * np.tanh(z[:, 2 * n:3 * n])
        h = sigmoid(z[:, 3 * n:]) * np.tanh(c)
        return h, [h, c]

    return _loop(step, x, [h0, c0], **loop)


def gru(x, kernel, rec, bias, h0=None, reset_after=True, **loop):
    n = rec.shape[0]
    h0 = np.zeros((x.shape[0], n)) if h0 is None else h0

    def step(xt, states):
        h_prev = states[0]
        if reset_after:
            mx = xt @ kernel + bias[0]
            mi = h_prev @ rec + bias[1]
            z = sigmoid(mx[:, :n] + mi[:, :n])
            r = sigmoid(mx[:, n:2 * n] + mi[:, n:2 * n])
            hh = np.tanh(mx[:, 2 * n:] + r * mi[:, 2 * n:])
        else:
            mx = xt @ kernel + bias
            mi = h_prev @ rec[:, :2 * n]
            z = sigmoid(mx[:, :n] + mi[:, :n])
            r = sigmoid(mx[:, n:2 * n] + mi[:, n:2 * n])
            hh = np.tanh(mx[:, 2 * n:] + (r * h_prev) @ rec[:, 2 * n:])
        h = z * h_prev + (1 - z) * hh
        return h, [h]

    return _loop(step, x, [h0], **loop)
