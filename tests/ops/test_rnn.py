"""The fused recurrent kernels against Keras's step formulas in NumPy, and gradcheck."""

import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import ops
from myelin.autodiff import GradientTape, Tensor, Variable
from myelin.ops.rnn import recurrence
from myelin.ops.rnn_cells import GRUKernel, LSTMKernel, SimpleRNNKernel
from myelin.ops.rnn_gates import Gates
from myelin.testing import gradcheck

sys.path.insert(0, str(Path(__file__).parent))
from _rnn_reference import gru, lstm, simple_rnn  # noqa: E402

B, T, F, N = 3, 5, 4, 2
_RNG = np.random.default_rng(7)
X = _RNG.normal(size=(B, T, F))
# sample 0 post-padded, sample 1 pre-padded, sample 2 whole
MASK = np.ones((B, T), bool)
MASK[0, 3:] = False
MASK[1, :2] = False

CASES = {
    "simple_rnn": (lambda: SimpleRNNKernel(N), simple_rnn, 1, (N,), {}),
    "lstm": (lambda: LSTMKernel(N), lstm, 4, (4 * N,), {}),
    "gru": (lambda: GRUKernel(N), gru, 3, (2, 3 * N), {}),
    "gru_reset_before": (lambda: GRUKernel(N, reset_after=False), gru, 3, (3 * N,),
                         {"reset_after": False}),
}


def _weights(gates, bias_shape, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.normal(size=(F, gates * N)) * 0.5, rng.normal(size=(N, gates * N)) * 0.5,
            rng.normal(size=bias_shape) * 0.5)


def _squares(outs):
    """A scalar that depends on every output and state (gradcheck's target)."""
    total = ops.reduce_sum(outs[0] * outs[0])
    for state in outs[1:]:
        total = total + ops.reduce_sum(state * state)
    return total


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("zero_output", [False, True])
def test_outputs_and_states_match_keras_formulas(name, masked, go_backwards, zero_output):
    make, reference, gates, bias_shape, kw = CASES[name]
    kernel, rec, bias = _weights(gates, bias_shape)
    mask = MASK if masked else None
    seq, last, states = reference(X, kernel, rec, bias, mask=mask, go_backwards=go_backwards,
                                  zero_output=zero_output, **kw)
    common = dict(mask=mask, go_backwards=go_backwards, zero_output_for_mask=zero_output)
    outs = recurrence(make(), Tensor(X), Tensor(kernel), Tensor(rec), Tensor(bias),
                      return_sequences=True, return_state=True, **common)
    np.testing.assert_allclose(outs[0].numpy(), seq, atol=1e-12)
    for got, want in zip(outs[1:], states, strict=True):
        np.testing.assert_allclose(got.numpy(), want, atol=1e-12)
    only_last = recurrence(make(), Tensor(X), Tensor(kernel), Tensor(rec), Tensor(bias),
                           **common)
    np.testing.assert_allclose(only_last.numpy(), last, atol=1e-12)


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("masked", [False, True])
@pytest.mark.parametrize("go_backwards", [False, True])
def test_gradients_of_inputs_weights_and_initial_states(name, masked, go_backwards):
    make, _, gates, bias_shape, _ = CASES[name]
    kernel = make()
    states = [np.random.default_rng(k).normal(size=(B, N)) for k in range(kernel.n_states)]

    def fn(x, w, u, b, *initial):
        return _squares(recurrence(kernel, x, w, u, b, initial_states=list(initial),
                                   mask=MASK if masked else None, go_backwards=go_backwards,
                                   return_sequences=True, return_state=True))

    assert gradcheck(fn, X, *_weights(gates, bias_shape), *states)
    # the last output alone, zero outputs for masked steps, no bias
    assert gradcheck(lambda x, w, u: recurrence(
        kernel, x, w, u, mask=MASK if masked else None, go_backwards=go_backwards,
        zero_output_for_mask=True), X, *_weights(gates, bias_shape)[:2])


@pytest.mark.parametrize("name", CASES)
def test_recurrent_dropout_mask_scales_the_state_entering_the_product(name):
    make, _, gates, bias_shape, _ = CASES[name]
    kernel = make()
    rm = np.random.default_rng(3).choice([0.0, 2.0], size=(B, N))
    assert gradcheck(lambda x, w, u, b: recurrence(
        kernel, x, w, u, b, mask=MASK, return_sequences=True, recurrent_mask=rm),
        X, *_weights(gates, bias_shape))
    # an all-ones mask is no dropout; an all-zeros mask cuts the recurrence
    weights = [Tensor(w) for w in _weights(gates, bias_shape)]
    plain = recurrence(kernel, Tensor(X), *weights, return_sequences=True).numpy()
    ones = recurrence(kernel, Tensor(X), *weights, return_sequences=True,
                      recurrent_mask=np.ones((B, N))).numpy()
    # (the LSTM without dropout takes the gate-row path: same sums, other rounding)
    np.testing.assert_allclose(ones, plain, rtol=0, atol=1e-12)
    cut = recurrence(kernel, Tensor(X), *weights, return_sequences=True,
                     recurrent_mask=np.zeros((B, N))).numpy()
    zero_u = [weights[0], Tensor(np.zeros_like(weights[1].numpy())), weights[2]]
    if name == "gru":  # reset_after: the recurrent bias still enters through r * b'
        return
    expected = recurrence(kernel, Tensor(X), *zero_u, return_sequences=True).numpy()
    np.testing.assert_allclose(cut, expected, atol=1e-12)


@pytest.mark.parametrize("activation, recurrent", [("relu", "sigmoid"), ("linear", "tanh"),
                                                   ("sigmoid", "linear")])
def test_other_activations_go_through_the_generic_gates(activation, recurrent):
    for kernel, gates, bias_shape in [
            (SimpleRNNKernel(N, activation), 1, (N,)),
            (LSTMKernel(N, activation, recurrent), 4, (4 * N,)),
            (GRUKernel(N, activation, recurrent), 3, (2, 3 * N)),
            (GRUKernel(N, activation, recurrent, reset_after=False), 3, (3 * N,))]:
        w = _weights(gates, bias_shape, seed=2)
        assert gradcheck(lambda x, k, u, b, kernel=kernel: recurrence(
            kernel, x, k, u, b, mask=MASK, return_sequences=True), X * 0.3, *w)


def test_gates_activation_and_derivative_by_block():
    z = np.linspace(-3, 3, 12).reshape(2, 6)
    gates = Gates(["sigmoid", "tanh", "sigmoid"], 2, prescaled=True)
    y = gates(z * gates.scale)  # the caller folds the 1/2 of sigmoid into the weights
    sig, tanh = 1 / (1 + np.exp(-z)), np.tanh(z)
    want = np.concatenate([sig[:, :2], tanh[:, 2:4], sig[:, 4:]], axis=1)
    np.testing.assert_allclose(y, want, atol=1e-12)
    slope = np.concatenate([want[:, :2] * (1 - want[:, :2]), 1 - want[:, 2:4] ** 2,
                            want[:, 4:] * (1 - want[:, 4:])], axis=1)
    np.testing.assert_allclose(gates.derivative(y), slope, atol=1e-12)
    relu = Gates(["relu", "linear"], 2)
    np.testing.assert_array_equal(relu(z.copy())[:, :2], np.maximum(z[:, :2], 0))
    np.testing.assert_array_equal(relu.derivative(np.array([[-1.0, 2.0, 5.0, -5.0]])),
                                  [[0.0, 1.0, 1.0, 1.0]])


def test_500_steps_train_in_float32_with_float64_gradients():
    """No recursion, no subnormal slowdown: the float32 gradients of a 500-step LSTM agree
    with float64 ones, and a few RMSprop-free SGD steps lower the loss."""
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 500, 3))
    target = rng.normal(size=(4, 2)) * 0.5
    w = [rng.normal(size=(3, 8)) * 0.3, rng.normal(size=(2, 8)) * 0.3, np.zeros(8)]

    def grads(dtype):
        variables = [Variable(a.astype(dtype)) for a in w]
        with GradientTape() as tape:
            out = recurrence(LSTMKernel(2), Tensor(x.astype(dtype)), *variables)
            loss = ops.reduce_sum((out - target.astype(dtype)) ** 2)
        return float(loss.numpy()), [g.numpy() for g in tape.gradient(loss, variables)]

    loss64, g64 = grads(np.float64)
    loss32, g32 = grads(np.float32)
    assert abs(loss32 - loss64) < 1e-4 * abs(loss64)
    for a, b in zip(g32, g64, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-3, atol=1e-5)
    for _ in range(5):
        w = [a - 0.05 * g for a, g in zip(w, grads(np.float64)[1], strict=True)]
    assert grads(np.float64)[0] < loss64 * 0.9


def test_step_products_split_into_single_thread_blocks_give_the_same_result():
    from myelin.ops.rnn_cells import _step_dot

    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(300, 32)), rng.normal(size=(32, 128))  # 3 blocks of 64 rows
    out = np.empty((300, 128))
    np.testing.assert_allclose(_step_dot(a, b, out), a @ b, atol=1e-12)
    assert _step_dot(a, b, out) is out


@pytest.mark.parametrize("go_backwards", [False, True])
@pytest.mark.parametrize("use_bias", [False, True])
def test_lstm_gate_row_path_matches_the_general_kernel_in_float32(go_backwards, use_bias):
    """Without mask or dropout an LSTM runs on ``rnn_lstm``'s gate-row layout; an
    all-True mask sends the same call through ``LSTMKernel``'s general loop."""
    from myelin.ops import rnn_lstm

    rng = np.random.default_rng(5)
    b, t, f, n = 6, 40, 5, 3
    x = rng.normal(size=(b, t, f)).astype(np.float32)
    k, u = rng.normal(size=(f, 4 * n)) * 0.5, rng.normal(size=(n, 4 * n)) * 0.5
    bias = rng.normal(size=4 * n) * 0.5 if use_bias else None
    init = [rng.normal(size=(b, n)).astype(np.float32) for _ in range(2)]
    assert rnn_lstm.eligible(LSTMKernel(n), None, None)
    assert not rnn_lstm.eligible(LSTMKernel(n, "relu"), None, None)

    def run(mask):
        weights = [Variable(w.astype(np.float32)) for w in (k, u, bias) if w is not None]
        states, inputs = [Variable(s) for s in init], Variable(x)
        with GradientTape() as tape:
            outs = recurrence(LSTMKernel(n), inputs, weights[0], weights[1],
                              weights[2] if use_bias else None, initial_states=states,
                              mask=mask, go_backwards=go_backwards, return_sequences=True,
                              return_state=True)
            loss = _squares(outs)
        grads = tape.gradient(loss, [inputs] + weights + states)
        return [o.numpy() for o in outs], [g.numpy() for g in grads]

    fast_outs, fast_grads = run(None)
    slow_outs, slow_grads = run(np.ones((b, t), bool))
    for got, want in zip(fast_outs + fast_grads, slow_outs + slow_grads, strict=True):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_embedding_into_the_lstm_gate_row_path_gradcheck(go_backwards):
    """The gate-row path's input gradient (a feature-major view) reaches the table."""
    from myelin.ops.fused import embedding_lookup

    ids = np.array([[0, 0, 3, 1, 2], [0, 4, 4, 1, 3], [2, 3, 0, 1, 4]])
    table = np.random.default_rng(2).normal(size=(5, F))
    kernel, rec, bias = _weights(4, (4 * N,), seed=4)
    assert gradcheck(lambda t, k, u, b: recurrence(
        LSTMKernel(N), embedding_lookup(t, ids), k, u, b, go_backwards=go_backwards),
        table, kernel, rec, bias)


def test_lstm_with_weights_of_another_dtype_than_its_input_still_runs():
    """Mixed dtypes leave the gate-row path (its step products write in place)."""
    kernel, rec, bias = _weights(4, (4 * N,))
    want = recurrence(LSTMKernel(N), Tensor(X), Tensor(kernel), Tensor(rec), Tensor(bias))
    got = recurrence(LSTMKernel(N), Tensor(X.astype(np.float32)), Tensor(kernel),
                     Tensor(rec), Tensor(bias))
    np.testing.assert_allclose(got.numpy(), want.numpy(), atol=1e-6)


@pytest.mark.parametrize("go_backwards", [False, True])
def test_lstm_gate_row_path_gradcheck_across_blocks_and_groups(go_backwards):
    """Backward walks blocks of ``_CHUNK`` steps and sums the weights' gradients over
    groups of ``_GROUP`` steps: a sequence of two groups and a partial third (whose
    last block is partial too) checks every seam, with initial states, the output
    sequence and both final states all carrying gradient."""
    from myelin.ops import rnn_lstm

    steps = 2 * rnn_lstm._GROUP + rnn_lstm._CHUNK + 3
    rng = np.random.default_rng(11)
    x = rng.normal(size=(2, steps, 3)) * 0.5
    kernel, rec, bias = (rng.normal(size=(3, 8)) * 0.4, rng.normal(size=(2, 8)) * 0.4,
                         rng.normal(size=8) * 0.3)
    states = [rng.normal(size=(2, 2)) for _ in range(2)]

    def fn(x, w, u, b, h0, c0):
        return _squares(recurrence(LSTMKernel(2), x, w, u, b, initial_states=[h0, c0],
                                   go_backwards=go_backwards, return_sequences=True,
                                   return_state=True))

    assert gradcheck(fn, x, kernel, rec, bias, *states)
    # the same call through the general kernel (an all-True mask) gives the same numbers
    args = [Tensor(a) for a in (x, kernel, rec, bias)]
    fast = recurrence(LSTMKernel(2), *args, initial_states=states, go_backwards=go_backwards)
    slow = recurrence(LSTMKernel(2), *args, initial_states=states, go_backwards=go_backwards,
                      mask=np.ones((2, steps), bool))
    np.testing.assert_allclose(fast.numpy(), slow.numpy(), atol=1e-12)
