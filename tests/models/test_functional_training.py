"""fit / evaluate / predict of functional models: several inputs and outputs, losses and
metrics per output, Keras's history keys, the fused softmax path, and bad data."""

import numpy as np
import pytest

import myelin as tf
from myelin import keras
from myelin.graph import reset_default_graph
from myelin.keras import layers
from myelin.layers import clear_session


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()
    yield
    reset_default_graph()  # op names recorded here must not leak into other tests


def _two_heads():
    a, b = keras.Input(shape=(3,), name="a"), keras.Input(shape=(2,), name="b")
    x = layers.concatenate([a, b])
    value = layers.Dense(1, name="value")(x)
    kind = layers.Dense(3, activation="softmax", name="kind")(x)
    return keras.Model([a, b], [value, kind])


def _data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    xa, xb = rng.normal(size=(n, 3)).astype(np.float32), rng.normal(size=(n, 2))
    value = (xa.sum(1, keepdims=True) - xb[:, :1]).astype(np.float32)
    kind = rng.integers(0, 3, n)
    return xa, xb.astype(np.float32), value, kind


def _losses_by_hand(model, xa, xb, value, kind):
    """Per-output mean losses from the model's weights in NumPy (mse, sparse CCE)."""
    x = np.concatenate([xa, xb], 1)
    kv, bv = model.get_layer("value").get_weights()
    kk, bk = model.get_layer("kind").get_weights()
    mse = np.mean((x @ kv + bv - value) ** 2)
    logits = x @ kk + bk
    logp = logits - logits.max(1, keepdims=True)
    logp -= np.log(np.exp(logp).sum(1, keepdims=True))
    return mse, -np.mean(logp[np.arange(len(kind)), kind]), np.exp(logp)


def test_loss_weights_history_keys_and_values_match_keras_formulas():
    model = _two_heads()
    model.compile(optimizer="sgd", loss={"value": "mse", "kind": "sparse_categorical_crossentropy"},
                  loss_weights={"value": 0.5, "kind": 2.0}, metrics={"kind": ["accuracy"]})
    xa, xb, value, kind = _data()
    logs = model.evaluate({"a": xa, "b": xb}, {"value": value, "kind": kind}, batch_size=40,
                          verbose=0, return_dict=True)
    # Keras 3.15.1's evaluate() list order: loss, the outputs' losses, the metrics sorted
    assert list(logs) == ["loss", "value_loss", "kind_loss", "kind_accuracy"]
    mse, cce, probs = _losses_by_hand(model, xa, xb, value, kind)
    assert logs["value_loss"] == pytest.approx(mse, rel=1e-5)
    assert logs["kind_loss"] == pytest.approx(cce, rel=1e-5)
    assert logs["loss"] == pytest.approx(0.5 * mse + 2.0 * cce, rel=1e-5)
    assert logs["kind_accuracy"] == pytest.approx(np.mean(probs.argmax(1) == kind))
    history = model.fit([xa, xb], [value, kind], epochs=2, batch_size=8, verbose=0,
                        validation_split=0.25)
    assert set(history.history) == {"loss", "kind_accuracy", "value_loss", "kind_loss",
                                    "val_loss", "val_kind_accuracy", "val_value_loss",
                                    "val_kind_loss"}


def test_multi_output_gradients_follow_the_weighted_sum():
    model = _two_heads()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.1),
                  loss=["mse", "sparse_categorical_crossentropy"], loss_weights=[1.0, 0.0])
    xa, xb, value, kind = _data(8)
    before = model.get_layer("kind").get_weights()[0].copy()
    x = np.concatenate([xa, xb], 1)
    kv, bv = model.get_layer("value").get_weights()
    grad = 2 * x.T @ (x @ kv + bv - value) / len(x)
    model.train_on_batch([xa, xb], [value, kind])
    np.testing.assert_allclose(model.get_layer("value").get_weights()[0], kv - 0.1 * grad,
                               rtol=1e-4, atol=1e-6)
    np.testing.assert_array_equal(model.get_layer("kind").get_weights()[0], before)


def test_predict_returns_one_array_per_output_in_the_outputs_structure():
    model = _two_heads()
    xa, xb, _, _ = _data(10)
    value, kind = model.predict([xa, xb], batch_size=4, verbose=0)
    assert value.shape == (10, 1) and kind.shape == (10, 3)
    np.testing.assert_allclose(kind.sum(1), 1.0, rtol=1e-5)
    x = keras.Input(shape=(2,))
    named = keras.Model(x, {"p": layers.Dense(1)(x), "q": layers.Dense(2)(x)})
    out = named.predict(np.ones((3, 2)), verbose=0)
    assert set(out) == {"p", "q"} and out["q"].shape == (3, 2)
    assert named.predict_on_batch(np.ones((3, 2)))["p"].shape == (3, 1)


def test_softmax_output_trains_like_the_equivalent_sequential():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(64, 5)).astype(np.float32), rng.integers(0, 4, 64)
    inputs = keras.Input(shape=(5,))
    hidden = layers.Dense(7, activation="relu")(inputs)
    functional = keras.Model(inputs, layers.Dense(4, activation="softmax")(hidden))
    sequential = keras.Sequential([keras.Input(shape=(5,)), layers.Dense(7, activation="relu"),
                                   layers.Dense(4, activation="softmax")])
    sequential.set_weights(functional.get_weights())
    assert functional._output_activation() == "softmax"  # the fused from-logits path
    for model in (functional, sequential):
        model.compile(optimizer=keras.optimizers.SGD(0.1),
                      loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    h1 = functional.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    h2 = sequential.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0).history
    assert h1 == h2
    for a, b in zip(functional.get_weights(), sequential.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)


def test_multi_input_single_output_with_class_weight_and_sample_weight():
    a, b = keras.Input(shape=(2,), name="a"), keras.Input(shape=(2,), name="b")
    model = keras.Model([a, b], layers.Dense(1, activation="sigmoid")(layers.add([a, b])))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    xa, xb = np.ones((6, 2), np.float32), np.zeros((6, 2), np.float32)
    y = np.array([0, 1, 0, 1, 0, 1], np.float32)
    history = model.fit({"a": xa, "b": xb}, y, class_weight={0: 1.0, 1: 2.0}, epochs=1,
                        verbose=0)
    assert set(history.history) == {"loss", "accuracy"}
    loss = model.evaluate([xa, xb], y, sample_weight=np.arange(6.0), verbose=0)[0]
    p = model.predict([xa, xb], verbose=0)[:, 0]
    bce = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert loss == pytest.approx(np.sum(bce * np.arange(6.0)) / 6, rel=1e-4)


def test_regularized_functional_model_adds_the_penalty():
    x = keras.Input(shape=(3,))
    dense = layers.Dense(1, kernel_regularizer=keras.regularizers.l2(0.1))
    model = keras.Model(x, dense(x))
    model.compile(optimizer="sgd", loss="mse")
    xs, ys = np.ones((4, 3), np.float32), np.zeros((4, 1), np.float32)
    kernel, bias = dense.get_weights()
    expected = np.mean((xs @ kernel + bias) ** 2) + 0.1 * np.sum(kernel ** 2)
    assert model.evaluate(xs, ys, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_bad_targets_and_compile_arguments_are_named():
    model = _two_heads()
    with pytest.raises(ValueError, match=r"loss has the key 'price'.*\['value', 'kind'\]"):
        model.compile(loss={"price": "mse", "kind": "mse"})
    with pytest.raises(ValueError, match="no entry for the output 'kind'"):
        model.compile(loss={"value": "mse"})
    with pytest.raises(ValueError, match="loss_weights is a list of 3"):
        model.compile(loss="mse", loss_weights=[1, 2, 3])
    with pytest.raises(ValueError, match="give metrics as a list with one entry per output"):
        model.compile(loss="mse", metrics="mae")
    assert not model.compiled  # failed compiles changed nothing
    model.compile(optimizer="sgd", loss=["mse", "sparse_categorical_crossentropy"])
    xa, xb, value, kind = _data(6)
    weights = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError, match="y has the key 'price'"):
        model.fit([xa, xb], {"price": value, "kind": kind}, verbose=0)
    with pytest.raises(ValueError, match="has 2 outputs .* y is a single array"):
        model.fit([xa, xb], value, verbose=0)
    with pytest.raises(ValueError, match=r"fit \(output 'kind'\): y contains the label"):
        model.fit([xa, xb], [value, kind + 3], verbose=0)
    with pytest.raises(ValueError, match=r"input 'b' expects data of shape \(None, 2\)"):
        model.fit([xa, xa], [value, kind], verbose=0)
    with pytest.raises(ValueError, match="class_weight is only supported for models with a "
                                         "single output"):
        model.fit([xa, xb], [value, kind], class_weight={0: 1.0}, verbose=0)
    for before, after in zip(weights, model.get_weights(), strict=True):
        np.testing.assert_array_equal(before, after)


def test_gradients_through_a_graph_with_a_shared_layer_pass_gradcheck():
    from myelin.testing import gradcheck

    a = keras.Input(shape=(3,), dtype="float64")
    dense = layers.Dense(3, activation="tanh", dtype="float64")
    residual = layers.Add(dtype="float64")([dense(dense(a)), a])
    model = keras.Model(a, layers.Multiply(dtype="float64")([residual, dense(a)]))
    x = np.random.default_rng(6).normal(size=(4, 3))
    assert gradcheck(lambda t: model(t), x)


def test_saved_multi_output_model_keeps_its_compile_settings_and_resumes(tmp_path):
    model = _two_heads()
    model.compile(optimizer="adam",
                  loss={"value": "mse", "kind": "sparse_categorical_crossentropy"},
                  loss_weights={"value": 0.5, "kind": 2.0},
                  metrics={"kind": [keras.metrics.SparseCategoricalAccuracy()]})
    xa, xb, value, kind = _data(16)
    model.fit([xa, xb], [value, kind], epochs=1, batch_size=8, verbose=0)
    model.save(tmp_path / "two.myelin")
    restored = keras.models.load_model(tmp_path / "two.myelin")
    np.testing.assert_array_equal(restored.predict([xa, xb], verbose=0)[1],
                                  model.predict([xa, xb], verbose=0)[1])
    logs = [m.fit([xa, xb], [value, kind], epochs=1, batch_size=8, shuffle=False,
                  verbose=0).history for m in (model, restored)]
    assert logs[0] == logs[1]
    assert list(logs[0]) == ["loss", "value_loss", "kind_loss",
                             "kind_sparse_categorical_accuracy"]


def test_datasets_of_dicts_feed_fit_evaluate_and_predict():
    model = _two_heads()
    model.compile(optimizer="sgd", loss=["mse", "sparse_categorical_crossentropy"])
    xa, xb, value, kind = _data(40)
    features = {"a": xa, "b": xb}
    ds = tf.data.Dataset.from_tensor_slices((features, {"value": value, "kind": kind})).batch(8)
    history = model.fit(ds, epochs=1, verbose=0, validation_data=ds)
    assert set(history.history) == {"loss", "value_loss", "kind_loss", "val_loss",
                                    "val_value_loss", "val_kind_loss"}
    from_arrays = model.evaluate(features, [value, kind], batch_size=8, verbose=0)
    assert model.evaluate(ds, verbose=0) == pytest.approx(from_arrays, rel=1e-6)
    value_pred, kind_pred = model.predict(tf.data.Dataset.from_tensor_slices(features).batch(8),
                                          verbose=0)
    np.testing.assert_array_equal(kind_pred, model.predict(features, batch_size=8,
                                                           verbose=0)[1])
    assert value_pred.shape == (40, 1)
