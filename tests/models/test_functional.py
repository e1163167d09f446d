"""keras.Model(inputs, outputs): graph structure, calls, shared and nested layers,
ops between layers, configs, saving, and the errors of a badly built graph."""

import numpy as np
import pytest

import myelin as tf
from myelin import keras
from myelin.graph import reset_default_graph
from myelin.keras import layers
from myelin.layers import clear_session
from myelin.models import Functional, Sequential


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()
    yield
    reset_default_graph()  # op names recorded here must not leak into other tests


def _mlp():
    inputs = keras.Input(shape=(4,), name="features")
    x = layers.Dense(8, activation="relu")(inputs)
    outputs = layers.Dense(3, name="scores")(x)
    return keras.Model(inputs=inputs, outputs=outputs, name="mlp")


def _numpy_dense(layer, x, relu=False):
    kernel, bias = layer.get_weights()
    out = x @ kernel + bias
    return np.maximum(out, 0) if relu else out


def test_model_with_inputs_and_outputs_is_functional_with_keras_attributes():
    model = _mlp()
    assert isinstance(model, Functional) and isinstance(model, keras.Model)
    assert [layer.name for layer in model.layers] == ["features", "dense", "scores"]
    assert type(model.layers[0]).__name__ == "InputLayer"
    assert model.get_layer("scores") is model.layers[2]
    assert model.get_layer(index=1).name == "dense"
    assert model.input_shape == (None, 4) and model.output_shape == (None, 3)
    assert model.input_names == ["features"] and model.output_names == ["scores"]
    assert len(model.inputs) == 1 and model.outputs[0].shape == (None, 3)
    assert model.count_params() == 4 * 8 + 8 + 8 * 3 + 3
    assert keras.Model(model.inputs, model.outputs).name == "functional"


def test_call_computes_the_layers_in_order():
    model = _mlp()
    x = np.random.default_rng(0).normal(size=(5, 4)).astype(np.float32)
    expected = _numpy_dense(model.layers[2], _numpy_dense(model.layers[1], x, relu=True))
    np.testing.assert_allclose(model(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(model({"features": x}).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_shared_layer_uses_one_set_of_weights_and_gradients_add_up():
    shared = layers.Dense(2, use_bias=False)
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(3,))
    model = keras.Model([a, b], layers.add([shared(a), shared(b)]))
    assert len(model.trainable_weights) == 1 and len(shared._inbound_nodes) == 2
    rng = np.random.default_rng(1)
    xa, xb = rng.normal(size=(4, 3)), rng.normal(size=(4, 3))
    kernel = shared.get_weights()[0]
    np.testing.assert_allclose(model([xa, xb]).numpy(), (xa + xb) @ kernel, rtol=1e-5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model([xa, xb]))
    grad = tape.gradient(loss, shared.kernel).numpy()
    np.testing.assert_allclose(grad, (xa + xb).sum(0)[:, None].repeat(2, 1), rtol=1e-5)


def test_residual_connection_and_ops_between_layers():
    inputs = keras.Input(shape=(6,))
    h = layers.Dense(6, activation="tanh")(inputs)
    block = layers.add([h, inputs])  # residual
    outputs = tf.concat([block * 2.0, block + 1.0], axis=1)  # ops on symbolic tensors
    model = keras.Model(inputs, outputs)
    x = np.random.default_rng(2).normal(size=(3, 6)).astype(np.float32)
    kernel, bias = model.layers[1].get_weights()
    res = np.tanh(x @ kernel + bias) + x
    np.testing.assert_allclose(model(x).numpy(), np.concatenate([res * 2, res + 1], 1),
                               rtol=1e-5, atol=1e-6)
    assert model.output_shape == (None, 12)


def test_nested_models_in_functional_and_sequential():
    inner = _mlp()
    x_in = keras.Input(shape=(4,))
    outer = keras.Model(x_in, layers.Dense(1)(inner(x_in)))
    x = np.random.default_rng(3).normal(size=(2, 4)).astype(np.float32)
    expected = _numpy_dense(outer.layers[2], inner(x).numpy())
    np.testing.assert_allclose(outer(x).numpy(), expected, rtol=1e-5, atol=1e-6)
    assert inner in outer.layers and len(outer.trainable_weights) == 6
    stacked = Sequential([keras.Input(shape=(4,)), inner, layers.Dense(1)])
    assert stacked.output_shape == (None, 1)
    expected = _numpy_dense(stacked.layers[1], inner(x).numpy())
    np.testing.assert_allclose(stacked(x).numpy(), expected, rtol=1e-5, atol=1e-6)


def test_dict_inputs_and_outputs_follow_keras_sorted_order():
    a, b = keras.Input(shape=(2,), name="a"), keras.Input(shape=(3,), name="b")
    merged = layers.concatenate([a, b])
    model = keras.Model({"b": b, "a": a}, {"sum": layers.Dense(1, name="s")(merged),
                                           "all": layers.Dense(2, name="t")(merged)})
    assert model.input_names == ["a", "b"] and model.output_names == ["all", "sum"]
    out = model({"a": np.ones((1, 2)), "b": np.zeros((1, 3))})
    assert set(out) == {"sum", "all"} and out["all"].shape == (1, 2)
    assert model.output_shape == {"all": (None, 2), "sum": (None, 1)}


def test_intermediate_tensors_make_a_submodel_sharing_weights():
    model = _mlp()
    hidden = model.layers[1]._inbound_nodes[0].outputs[0]
    head = keras.Model(hidden, model.outputs[0])
    assert [layer.name for layer in head.layers] == ["scores"]
    h = np.ones((2, 8), np.float32)
    np.testing.assert_allclose(head(h).numpy(), _numpy_dense(model.layers[2], h), rtol=1e-6)


def test_graph_errors_name_what_is_missing():
    a, b = keras.Input(shape=(2,), name="left"), keras.Input(shape=(2,), name="right")
    out = layers.add([a, b])
    with pytest.raises(ValueError, match=r"Graph disconnected: .* needs the input 'right'"):
        keras.Model(a, out)
    with pytest.raises(ValueError, match="must be symbolic tensors"):
        keras.Model(a, np.ones((1, 2)))
    with pytest.raises(ValueError, match="`outputs` is empty"):
        keras.Model(a, [])
    with pytest.raises(ValueError, match="sparse=True is not supported"):
        keras.Input(shape=(3,), sparse=True)
    x = keras.Input(shape=(2,))
    y = layers.Dense(2, name="twin")(layers.Dense(2, name="twin")(x))
    with pytest.raises(ValueError, match='name "twin" is used 2 times'):
        keras.Model(x, y)


def test_call_errors_name_the_input_expected_and_received():
    a, b = keras.Input(shape=(2,), name="left"), keras.Input(shape=(3,), name="right")
    model = keras.Model([a, b], layers.concatenate([a, b]))
    with pytest.raises(ValueError, match=r"no input is named 'center'.*\['left', 'right'\]"):
        model({"left": np.ones((1, 2)), "center": np.ones((1, 3))})
    with pytest.raises(ValueError, match=r"input 'right' expects data of shape \(None, 3\) but "
                                         r"received shape \(1, 4\)"):
        model([np.ones((1, 2)), np.ones((1, 4))])
    with pytest.raises(ValueError, match="has 2 inputs .* received a list of 1"):
        model.predict([np.ones((1, 2))], verbose=0)
    with pytest.raises(ValueError, match="no data for the input 'right'"):
        model.predict({"left": np.ones((1, 2))}, verbose=0)


def test_model_called_on_symbolic_tensors_with_dict_outputs():
    x = keras.Input(shape=(2,))
    inner = keras.Model(x, {"p": layers.Dense(1)(x), "q": layers.Dense(3)(x)})
    z = keras.Input(shape=(2,))
    parts = inner(z)
    assert parts["q"].shape == (None, 3)
    outer = keras.Model(z, layers.concatenate([parts["p"], parts["q"]]))
    assert outer(np.ones((2, 2))).shape == (2, 4)


def test_config_round_trip_uses_keras_schema():
    model = _mlp()
    config = model.get_config()
    assert config["input_layers"] == ["features", 0, 0]
    assert config["output_layers"] == ["scores", 0, 0]
    dense = config["layers"][1]
    assert dense["name"] == "dense" and dense["class_name"] == "Dense.v1"
    tensor = dense["inbound_nodes"][0]["args"][0]
    assert tensor == {"class_name": "__keras_tensor__", "config": {
        "shape": [None, 4], "dtype": "float32", "keras_history": ["features", 0, 0]}}
    clone = Functional.from_config(config)
    assert [layer.name for layer in clone.layers] == ["features", "dense", "scores"]
    clone.set_weights(model.get_weights())
    x = np.ones((2, 4), np.float32)
    np.testing.assert_array_equal(clone(x).numpy(), model(x).numpy())


def test_shared_and_multi_input_config_round_trip():
    shared = layers.Dense(2, name="shared")
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(3,), name="b")
    model = keras.Model({"a": a, "b": b}, [layers.subtract([shared(a), shared(b)]), shared(a)])
    config = model.get_config()
    assert len(config["layers"][2]["inbound_nodes"]) == 3
    clone = Functional.from_config(config)
    clone.set_weights(model.get_weights())
    data = {"a": np.ones((1, 3)), "b": np.arange(3.0).reshape(1, 3)}
    for got, want in zip(clone(data), model(data), strict=True):
        np.testing.assert_array_equal(got.numpy(), want.numpy())


def test_save_and_load_give_bit_identical_predictions(tmp_path):
    model = _mlp()
    model.compile(optimizer="adam", loss="mse")
    x = np.random.default_rng(4).normal(size=(16, 4)).astype(np.float32)
    model.fit(x, np.zeros((16, 3)), epochs=1, verbose=0)
    model.save(tmp_path / "m.myelin")
    restored = keras.models.load_model(tmp_path / "m.myelin")
    assert isinstance(restored, Functional)
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


def test_a_graph_with_ops_refuses_to_save_and_writes_nothing(tmp_path):
    x = keras.Input(shape=(2,))
    model = keras.Model(x, layers.Dense(2)(x) + 1.0)
    with pytest.raises(ValueError, match=r"cannot be saved: its graph contains the op Add "
                                         r"\(recorded as 'add'\).*never code"):
        model.save(tmp_path / "m.myelin")
    assert not (tmp_path / "m.myelin").exists()


def test_nested_models_save_and_load_bit_identically(tmp_path):
    inner_in = keras.Input(shape=(4,))
    inner = keras.Model(inner_in, layers.Dense(2, activation="tanh")(inner_in), name="inner")
    stack = Sequential([keras.Input(shape=(2,)), layers.Dense(3)], name="stack")
    x = keras.Input(shape=(4,), name="x")
    model = keras.Model(x, layers.concatenate([stack(inner(x)), inner(x)]), name="outer")
    model.save(tmp_path / "nested.myelin")
    restored = keras.models.load_model(tmp_path / "nested.myelin")
    assert [type(layer).__name__ for layer in restored.layers] == [
        "InputLayer", "Functional", "Sequential", "Concatenate"]
    data = np.random.default_rng(7).normal(size=(5, 4)).astype(np.float32)
    np.testing.assert_array_equal(restored.predict(data, verbose=0),
                                  model.predict(data, verbose=0))


def test_masks_flow_from_an_embedding_through_an_lstm():
    ids = keras.Input(shape=(None,), dtype="int32")
    h = layers.LSTM(4)(layers.Embedding(20, 3, mask_zero=True)(ids))
    model = keras.Model(ids, layers.Dense(1)(h))
    short = np.array([[5, 7, 2]])
    padded = np.array([[5, 7, 2, 0, 0, 0]])
    np.testing.assert_allclose(model.predict(padded, verbose=0), model.predict(short, verbose=0),
                               rtol=1e-5, atol=1e-6)
