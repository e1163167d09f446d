"""ONNX export of recurrent layers: onnxruntime agrees with predict within 1e-5."""

import numpy as np
import pytest

from myelin.layers import (
    GRU,
    LSTM,
    Bidirectional,
    Dense,
    Embedding,
    GlobalAveragePooling1D,
    Input,
    Masking,
    SimpleRNN,
    TimeDistributed,
)
from myelin.models import Sequential
from myelin.saving import export_model

ort = pytest.importorskip("onnxruntime")
RNG = np.random.default_rng(0)
IDS = RNG.integers(1, 50, size=(4, 9))
IDS[0, 5:] = 0  # post-padding, masked with mask_zero=True
IDS[1, 7:] = 0
FLOATS = RNG.normal(size=(4, 9, 3)).astype(np.float32)
FLOATS[0, 6:] = 0.0  # masked by Masking()


def _ids():
    return [Input(shape=(9,), dtype="int32")]


MODELS = {
    "lstm": (lambda: Sequential(_ids() + [Embedding(50, 4), LSTM(5), Dense(1)]), IDS),
    "lstm_masked": (lambda: Sequential(_ids() + [Embedding(50, 4, mask_zero=True), LSTM(5),
                                                 Dense(1, activation="sigmoid")]), IDS),
    "gru_stack_backwards": (lambda: Sequential(_ids() + [
        Embedding(50, 4), GRU(5, return_sequences=True, go_backwards=True),
        GRU(3, reset_after=False)]), IDS),
    "bigru_masked_pooled": (lambda: Sequential(_ids() + [
        Embedding(50, 4, mask_zero=True), Bidirectional(GRU(5, return_sequences=True)),
        GlobalAveragePooling1D(), Dense(2)]), IDS),
    "masking_bilstm_ave": (lambda: Sequential([
        Input(shape=(9, 3)), Masking(), Bidirectional(LSTM(4), merge_mode="ave"), Dense(2)]),
        FLOATS),
    "simple_rnn_time_distributed": (lambda: Sequential([
        Input(shape=(9, 3)), SimpleRNN(4, return_sequences=True, activation="relu"),
        TimeDistributed(Dense(2)), SimpleRNN(2, go_backwards=True, activation="sigmoid")]),
        FLOATS),
}


@pytest.mark.parametrize("name", MODELS)
def test_recurrent_models_match_onnxruntime(tmp_path, name):
    make, x = MODELS[name]
    model = make()
    for w in model.weights:  # nonzero biases, so the bias layout is checked too
        if w.name.endswith("bias"):
            w.assign(RNG.normal(size=w.shape).astype(np.float32) * 0.3)
    path = tmp_path / "m.onnx"
    export_model(model, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feed = x.astype(np.int64) if x.dtype.kind in "iu" else x
    got = session.run(["output"], {"input": feed})[0]
    np.testing.assert_allclose(got, model.predict(x, verbose=0), atol=1e-5)


def test_unsupported_recurrent_exports_say_why(tmp_path):
    cases = [
        (Sequential([Input(shape=(5, 2), batch_size=2), LSTM(2, stateful=True)]), "stateful"),
        (Sequential(_ids() + [Embedding(50, 4, mask_zero=True), LSTM(2, return_sequences=True),
                              GlobalAveragePooling1D()]), "repeats the last output"),
        (Sequential([Input(shape=(5, 2)), LSTM(2, activation="linear")]), "activation 'linear'"),
        (Sequential([Input(shape=(5, 2)), Bidirectional(GRU(2, return_sequences=True),
                                                        merge_mode=None)]), "merge_mode=None"),
    ]
    for model, message in cases:
        with pytest.raises(ValueError, match=message):
            export_model(model, tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()
