"""Saving behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np
import pytest

import myelin as tf
from myelin import layers
from myelin.models import Sequential
from myelin.saving import export_model, registry


def test_builtin_names_skip_a_module_the_build_lacks_but_not_a_broken_one(monkeypatch):
    # A build without some myelin.<kind> module contributes no names from it; a module
    # that exists but fails on a missing dependency must raise, not vanish silently.
    monkeypatch.setattr(registry, "_builtins_loaded", False)
    monkeypatch.setattr(registry, "_BUILTIN_MODULES", {"no_such_kind": "nope>"})
    registry._load_builtins()  # skipped without error

    def broken(name):
        raise ModuleNotFoundError("No module named 'scipy'", name="scipy")

    monkeypatch.setattr(registry, "_builtins_loaded", False)
    monkeypatch.setattr(registry.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="scipy"):
        registry._load_builtins()


def test_custom_objects_reach_only_a_from_config_that_takes_them():
    # A Dense (from_config(config)) rebuilt with custom_objects must not be handed them.
    spec = registry.serialize(tf.keras.layers.Dense(3, name="d"))
    layer = registry.deserialize(spec, custom_objects={"Unused": object})
    assert isinstance(layer, tf.keras.layers.Dense) and layer.units == 3 and layer.name == "d"


def test_onnx_export_of_a_softmax_over_a_one_axis_list(tmp_path):
    # Softmax(axis=[1]) is Softmax over axis 1: ONNX gets that one axis.
    ort = pytest.importorskip("onnxruntime")
    x = np.random.default_rng(0).normal(size=(4, 3, 2)).astype(np.float32)
    model = Sequential([layers.Input(shape=(3, 2)), layers.Softmax(axis=[1])])
    path = tmp_path / "softmax.onnx"
    export_model(model, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["output"], {"input": x})[0]
    e = np.exp(x - x.max(axis=1, keepdims=True))
    np.testing.assert_allclose(got, e / e.sum(axis=1, keepdims=True), atol=1e-6)


def test_the_skipped_optimizer_state_warning_names_the_callers_line(tmp_path):
    x = np.array([[0.0, 1.0], [1.0, 0.0]])
    model = Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(x, x[:, :1], epochs=1, verbose=0)
    model.save_weights(tmp_path / "w.weights.npz")
    other = Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    other.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match="Skipping the optimizer state") as caught:
        other.load_weights(tmp_path / "w.weights.npz")
    assert caught[0].filename == __file__
