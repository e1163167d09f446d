"""ONNX export of functional models: several inputs and outputs, merge layers, residual
and shared layers, nested models; onnxruntime agrees with predict within 1e-5."""

import numpy as np
import pytest

from myelin import keras
from myelin.graph import reset_default_graph
from myelin.keras import layers
from myelin.layers import clear_session

ort = pytest.importorskip("onnxruntime")


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()
    yield
    reset_default_graph()  # op names recorded here must not leak into other tests


def _run(path, feeds):
    session = ort.InferenceSession(str(path))
    names = [o.name for o in session.get_outputs()]
    return dict(zip(names, session.run(None, feeds), strict=True)), session


def test_ticket_model_with_masked_lstm_and_pooling_and_two_heads(tmp_path):
    title = keras.Input(shape=(None,), name="title")
    body = keras.Input(shape=(None,), name="body")
    tags = keras.Input(shape=(12,), name="tags")
    t = layers.LSTM(6)(layers.Embedding(50, 8, mask_zero=True)(title))
    b = layers.GlobalAveragePooling1D()(layers.Embedding(50, 4, mask_zero=True)(body))
    x = layers.concatenate([t, b, tags])
    model = keras.Model([title, body, tags],
                        {"priority": layers.Dense(1, activation="sigmoid", name="priority")(x),
                         "department": layers.Dense(4, activation="softmax",
                                                    name="department")(x)})
    model.export(tmp_path / "ticket.onnx")
    rng = np.random.default_rng(0)
    feeds = {"title": rng.integers(1, 50, (6, 7)), "body": rng.integers(0, 50, (6, 9)),
             "tags": rng.integers(0, 2, (6, 12)).astype(np.float32)}
    feeds["title"][:, 4:] = 0  # padding the masks must ignore (at the end, for the LSTM)
    feeds["body"][:, 6:] = 0
    got, session = _run(tmp_path / "ticket.onnx", feeds)
    assert [i.name for i in session.get_inputs()] == ["title", "body", "tags"]
    want = model.predict([feeds["title"], feeds["body"], feeds["tags"]], verbose=0)
    for name in ("priority", "department"):
        np.testing.assert_allclose(got[name], want[name], atol=1e-5, rtol=0)


def test_residual_shared_and_every_merge_layer(tmp_path):
    inputs = keras.Input(shape=(5,), name="x")
    shared = layers.Dense(5, activation="tanh")
    h = shared(shared(inputs))
    merged = [layers.add([h, inputs]), layers.subtract([h, inputs]),
              layers.multiply([h, inputs]), layers.average([h, inputs]),
              layers.maximum([h, inputs]), layers.minimum([h, inputs])]
    model = keras.Model(inputs, layers.Dense(3)(layers.concatenate(merged)))
    model.export(tmp_path / "res.onnx")
    x = np.random.default_rng(1).normal(size=(4, 5)).astype(np.float32)
    got, _ = _run(tmp_path / "res.onnx", {"x": x})
    np.testing.assert_allclose(got[model.output_names[0]], model.predict(x, verbose=0),
                               atol=1e-5, rtol=0)


def test_nested_functional_and_sequential_models_are_inlined(tmp_path):
    inner_in = keras.Input(shape=(4,))
    inner = keras.Model(inner_in, layers.Dense(3, activation="relu")(inner_in))
    stack = keras.Sequential([keras.Input(shape=(3,)), layers.Dense(2)])
    x = keras.Input(shape=(4,), name="features")
    model = keras.Model(x, stack(inner(x)))
    model.export(tmp_path / "nested.onnx")
    data = np.random.default_rng(2).normal(size=(3, 4)).astype(np.float32)
    got, _ = _run(tmp_path / "nested.onnx", {"features": data})
    np.testing.assert_allclose(got[model.output_names[0]], model.predict(data, verbose=0),
                               atol=1e-5, rtol=0)


def test_ops_between_layers_are_refused_and_nothing_is_written(tmp_path):
    x = keras.Input(shape=(2,))
    model = keras.Model(x, layers.Dense(2)(x) * 2.0)
    with pytest.raises(ValueError, match="an op recorded between layers"):
        model.export(tmp_path / "op.onnx")
    assert not (tmp_path / "op.onnx").exists()
