"""SimpleRNN, LSTM, GRU, RNN(cell), Bidirectional, TimeDistributed and Masking layers."""

import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import ops
from myelin.autodiff import GradientTape, Tensor
from myelin.layers import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    Dense,
    Embedding,
    GlobalAveragePooling1D,
    Input,
    Layer,
    LSTMCell,
    Masking,
    SimpleRNN,
    SimpleRNNCell,
    TimeDistributed,
    clear_session,
)
from myelin.models import Sequential
from myelin.saving import load_model
from myelin.testing import gradcheck

sys.path.insert(0, str(Path(__file__).parents[1] / "ops"))
from _rnn_reference import gru, lstm, simple_rnn  # noqa: E402

RNG = np.random.default_rng(5)
X = RNG.normal(size=(3, 6, 4)).astype(np.float32)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _set_random_weights(layer, scale=0.4, seed=0):
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=w.shape).astype(np.float32) * scale for w in layer.weights]
    layer.set_weights(weights)
    return [w.astype(np.float64) for w in weights]


@pytest.mark.parametrize("make, reference, count, kw", [
    (lambda: SimpleRNN(5, return_sequences=True), simple_rnn, 4 * 5 + 5 * 5 + 5, {}),
    (lambda: LSTM(5, return_sequences=True), lstm, 4 * 5 * (4 + 5 + 1), {}),
    (lambda: GRU(5, return_sequences=True), gru, 3 * 5 * (4 + 5 + 2), {}),
    (lambda: GRU(5, return_sequences=True, reset_after=False), gru, 3 * 5 * (4 + 5 + 1),
     {"reset_after": False}),
])
def test_weights_in_keras_layout_give_keras_outputs(make, reference, count, kw):
    """Weights copied from Keras (same shapes, gate order) give Keras's outputs."""
    layer = make()
    layer(X)
    assert layer.count_params() == count  # Keras's parameter counts
    kernel, rec, bias = _set_random_weights(layer)
    want, _, _ = reference(X.astype(np.float64), kernel, rec, bias, mask=None,
                           go_backwards=False, zero_output=False, **kw)
    np.testing.assert_allclose(layer(X).numpy(), want, atol=2e-6)


def test_keras_defaults_initializers_and_names():
    layer = LSTM(8)
    layer(X)
    kernel, rec, bias = layer.get_weights()
    assert [w.name for w in layer.weights] == ["lstm_cell/kernel", "lstm_cell/recurrent_kernel",
                                              "lstm_cell/bias"]
    assert kernel.shape == (4, 32) and rec.shape == (8, 32) and bias.shape == (32,)
    np.testing.assert_array_equal(bias, np.r_[np.zeros(8), np.ones(8), np.zeros(16)])
    np.testing.assert_allclose(rec @ rec.T, np.eye(8), atol=1e-5)  # orthogonal rows
    limit = np.sqrt(6 / (4 + 32))  # glorot_uniform
    assert np.abs(kernel).max() <= limit and np.abs(kernel).max() > 0.5 * limit
    config = layer.get_config()
    assert config["activation"] == "tanh" and config["recurrent_activation"] == "sigmoid"
    assert config["unit_forget_bias"] and config["recurrent_initializer"] == "orthogonal"
    assert GRU(3).get_config()["reset_after"] is True
    g = GRU(3)
    g(X)
    assert g.weights[2].shape == (2, 9)
    assert LSTM(8, unit_forget_bias=False).units == 8


def test_return_state_initial_state_and_shapes_without_running():
    layer = LSTM(5, return_sequences=True, return_state=True)
    assert layer.compute_output_shape((None, None, 4)) == [(None, None, 5), (None, 5),
                                                           (None, 5)]
    assert not layer.built
    seq, h, c = layer(X)
    assert seq.shape == (3, 6, 5) and h.shape == c.shape == (3, 5)
    np.testing.assert_array_equal(seq.numpy()[:, -1], h.numpy())
    h0, c0 = (np.full((3, 5), 0.3, np.float32), np.full((3, 5), -0.2, np.float32))
    seq2 = layer(X, initial_state=[h0, c0])[0]
    kernel, rec, bias = [w.astype(np.float64) for w in layer.get_weights()]
    want = lstm(X.astype(np.float64), kernel, rec, bias, h0=h0, c0=c0, mask=None,
                go_backwards=False, zero_output=False)[0]
    np.testing.assert_allclose(seq2.numpy(), want, atol=2e-6)
    assert GRU(2, return_state=True).compute_output_shape((7, 3, 4)) == [(7, 2), (7, 2)]


def test_gradient_through_layers_with_gradient_tape():
    """Stacked, bidirectional, masked: analytic gradients of inputs and every weight agree
    with finite differences (float64 layers)."""
    layers = [Bidirectional(GRU(3, return_sequences=True, dtype="float64"), dtype="float64"),
              LSTM(2, go_backwards=True, dtype="float64"),
              ]
    x = RNG.normal(size=(2, 5, 4))
    mask = np.array([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1]], bool)
    layers[0](x)
    layers[1](np.zeros((2, 5, 6)))
    cells = [layers[0].forward_layer.cell, layers[0].backward_layer.cell, layers[1].cell]
    names = ("kernel", "recurrent_kernel", "bias")
    weights = [getattr(c, n).numpy() for c in cells for n in names]

    def fn(x, *ws):
        for k, cell in enumerate(cells):  # the Variables gradcheck perturbs
            for j, n in enumerate(names):
                setattr(cell, n, ws[3 * k + j])
        return layers[1](layers[0](x, mask=mask), mask=mask)

    assert gradcheck(fn, x, *weights)
    with GradientTape() as tape:
        out = ops.reduce_sum(LSTM(2)(Tensor(X)))
    assert tape.gradient(out, Tensor(X)) is None  # unwatched input: no gradient


def test_mask_padding_does_not_change_outputs():
    """Post-padding with masked steps gives the same outputs whatever its length."""
    model = Sequential([Input(shape=(None,), dtype="int32"), Embedding(50, 4, mask_zero=True),
                        Bidirectional(GRU(3, return_sequences=True)),
                        LSTM(3, return_sequences=True), SimpleRNN(2, return_sequences=True),
                        GlobalAveragePooling1D(), Dense(1)])
    review = np.array([[5, 9, 3, 12, 7]])
    pad10 = np.pad(review, ((0, 0), (0, 5)))
    pad30 = np.pad(review, ((0, 0), (0, 25)))
    np.testing.assert_allclose(model.predict(pad10, verbose=0), model.predict(pad30, verbose=0),
                               atol=1e-6)
    unmasked = Sequential([Input(shape=(None,), dtype="int32"), Embedding(50, 4), GRU(3)])
    a, b = unmasked.predict(pad10, verbose=0), unmasked.predict(pad30, verbose=0)
    assert np.abs(a - b).max() > 1e-4  # without the mask, padding changes the state


def test_masking_layer_marks_steps_and_zeroes_them():
    x = np.array([[[1.0, 2.0], [0.0, 0.0], [3.0, 0.0]]], np.float32)
    layer = Masking(mask_value=0.0)
    np.testing.assert_array_equal(layer.compute_mask(x), [[True, False, True]])
    np.testing.assert_array_equal(layer(x).numpy(), x)
    x2 = np.array([[[1.0, 2.0], [-1.0, -1.0]]], np.float32)
    np.testing.assert_array_equal(Masking(-1.0)(x2).numpy(), [[[1.0, 2.0], [0.0, 0.0]]])
    model = Sequential([Input(shape=(None, 2)), Masking(), LSTM(3)])
    short = np.array([[[0.5, 1.0], [1.0, -1.0]]], np.float32)
    padded = np.concatenate([short, np.zeros((1, 7, 2), np.float32)], axis=1)
    np.testing.assert_allclose(model.predict(short, verbose=0), model.predict(padded, verbose=0),
                               atol=1e-6)
    assert Masking(2.5).get_config()["mask_value"] == 2.5


@pytest.mark.parametrize("mode", ["concat", "sum", "mul", "ave", None])
def test_bidirectional_merges_forward_and_reversed_backward(mode):
    layer = Bidirectional(SimpleRNN(3, return_sequences=True), merge_mode=mode)
    out = layer(X)
    fwd = layer.forward_layer(X).numpy()
    bwd = layer.backward_layer(X).numpy()[:, ::-1]
    assert layer.backward_layer.go_backwards and not layer.forward_layer.go_backwards
    want = {"concat": np.concatenate([fwd, bwd], -1), "sum": fwd + bwd, "mul": fwd * bwd,
            "ave": (fwd + bwd) / 2, None: None}[mode]
    if mode is None:
        np.testing.assert_allclose(out[0].numpy(), fwd, atol=1e-6)
        np.testing.assert_allclose(out[1].numpy(), bwd, atol=1e-6)
        assert layer.compute_output_shape((None, 6, 4)) == [(None, 6, 3), (None, 6, 3)]
    else:
        np.testing.assert_allclose(out.numpy(), want, atol=1e-6)
        assert layer.compute_output_shape((None, 6, 4))[-1] == (6 if mode == "concat" else 3)
    states = Bidirectional(LSTM(2, return_state=True))(X)
    assert len(states) == 5 and states[0].shape == (3, 4)
    with pytest.raises(ValueError, match="merge_mode"):
        Bidirectional(LSTM(2), merge_mode="max")
    with pytest.raises(ValueError, match="recurrent layer"):
        Bidirectional(Dense(2))


def test_time_distributed_applies_one_dense_to_every_step():
    dense = Dense(2)
    layer = TimeDistributed(dense)
    out = layer(X)
    np.testing.assert_allclose(out.numpy(), dense(X.reshape(-1, 4)).numpy().reshape(3, 6, 2),
                               atol=1e-6)
    assert layer.compute_output_shape((None, None, 4)) == (None, None, 2)
    td64 = TimeDistributed(Dense(2, dtype="float64"), dtype="float64")
    assert gradcheck(td64, X.astype(np.float64))
    with pytest.raises(ValueError, match="return_sequences=True"):
        Sequential([Input(shape=(6, 4)), LSTM(3), TimeDistributed(Dense(1))])


class MinimalRNNCell(Layer):
    """Keras's documentation example of a custom cell."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.state_size = units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units),
                                                name="recurrent_kernel")

    def call(self, inputs, states):
        output = ops.matmul(inputs, self.kernel) + ops.matmul(states[0], self.recurrent_kernel)
        return output, [output]


def test_rnn_wrapper_runs_custom_and_builtin_cells():
    layer = RNN(MinimalRNNCell(3), return_sequences=True)
    mask = np.array([[1, 1, 1, 1, 0, 0]] * 3, bool)
    out = layer(X, mask=mask).numpy()
    k, r = [w.astype(np.float64) for w in layer.get_weights()]
    h, want = np.zeros((3, 3)), []
    for t in range(6):
        h = X[:, t] @ k + h @ r if t < 4 else h
        want.append(h)
    np.testing.assert_allclose(out, np.stack(want, 1), atol=1e-5)
    builtin = RNN(LSTMCell(3), return_sequences=True)
    builtin(X)
    plain = LSTM(3, return_sequences=True)
    plain(X)
    plain.set_weights(builtin.get_weights())
    np.testing.assert_allclose(builtin(X).numpy(), plain(X).numpy(), atol=1e-6)
    cell = SimpleRNNCell(2)
    step, states = cell(X[:, 0], [np.zeros((3, 2), np.float32)])
    kernel, rec, bias = cell.get_weights()
    np.testing.assert_allclose(step.numpy(), np.tanh(X[:, 0] @ kernel + bias), atol=1e-6)
    with pytest.raises(ValueError, match="state_size"):
        RNN(Dense(2))


def test_stateful_layer_carries_states_between_batches():
    model = Sequential([Input(shape=(3, 4), batch_size=3), LSTM(2, stateful=True)])
    layer = model.layers[0]
    first = model.predict(X[:, :3], batch_size=3, verbose=0)
    second = model.predict(X[:, 3:], batch_size=3, verbose=0)
    whole = Sequential([Input(shape=(6, 4)), LSTM(2)])
    whole.set_weights(model.get_weights())
    np.testing.assert_allclose(second, whole.predict(X, verbose=0), atol=1e-6)
    layer.reset_states()
    np.testing.assert_allclose(model.predict(X[:, :3], batch_size=3, verbose=0), first,
                               atol=1e-7)
    with pytest.raises(ValueError, match="received a batch of 2"):
        layer(X[:2, :3])
    with pytest.raises(ValueError, match="needs a fixed batch size"):
        Sequential([Input(shape=(3, 4)), GRU(2, stateful=True)])


def test_dropout_only_while_training():
    layer = LSTM(4, dropout=0.5, recurrent_dropout=0.5, seed=3)
    a, b = layer(X, training=False).numpy(), layer(X).numpy()
    np.testing.assert_array_equal(a, b)
    c, d = layer(X, training=True).numpy(), layer(X, training=True).numpy()
    assert np.abs(c - a).max() > 1e-3 and np.abs(c - d).max() > 1e-3
    with pytest.raises(ValueError, match="dropout"):
        GRU(2, dropout=1.5)


def test_clear_errors_that_change_nothing():
    with pytest.raises(ValueError, match=r"LSTM layer 'lstm' expects inputs of shape \(batch, "
                                         r"timesteps, features\) but received shape \(32, 10\)"
                                         r".*Embedding.*np.expand_dims"):
        LSTM(2)(np.ones((32, 10)))
    with pytest.raises(ValueError, match="return_sequences=True"):
        Sequential([Input(shape=(5, 3)), LSTM(4), LSTM(2)])
    layer = GRU(2)
    layer(X)
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"initial_state\[0\] must have shape .* \(3, 2\) but "
                                         r"received \(3, 5\)"):
        layer(X, initial_state=[np.zeros((3, 5))])
    with pytest.raises(ValueError, match="has 1 state"):
        layer(X, initial_state=[np.zeros((3, 2))] * 2)
    for a, b in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="not supported by the fused"):
        LSTM(2, activation="elu")
    with pytest.raises(ValueError, match="units"):
        SimpleRNN(0)
    with pytest.raises(ValueError, match="Unrecognized keyword arguments passed to LSTM"):
        LSTM(2, unit=3)


def test_models_with_recurrent_layers_save_and_load_identically(tmp_path):
    model = Sequential([
        Input(shape=(None,), dtype="int32"), Embedding(40, 4, mask_zero=True),
        Bidirectional(LSTM(3, return_sequences=True), merge_mode="sum"),
        GRU(3, return_sequences=True, reset_after=False, go_backwards=True),
        TimeDistributed(Dense(2)), SimpleRNN(2, activation="relu"), Dense(1)])
    x = RNG.integers(1, 40, size=(4, 7))
    x[0, 4:] = 0
    path = tmp_path / "m.myelin"
    model.save(path)
    loaded = load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[1].merge_mode == "sum" and loaded.layers[2].go_backwards
