"""Keras 3 ``.keras`` and legacy ``.h5`` files: Keras-saved fixtures load and predict as
Keras did; myelin writes Keras's schema and HDF5 layout (checked against a Keras file)."""

import io
import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

import myelin as my
from myelin.saving import UnsafeFileError

h5py = pytest.importorskip("h5py")
FILES = Path(__file__).parent / "keras_files"
L = my.keras.layers


@pytest.mark.parametrize("name", ["seq_dense", "seq_conv", "seq_embedding",
                                  "functional_concat", "seq_recurrent", "seq_image_extras",
                                  "seq_activations_reshaping", "functional_merges",
                                  "seq_nested"])
def test_keras_saved_file_predicts_as_keras_did(name):
    model = my.keras.models.load_model(FILES / f"{name}.keras")
    data = np.load(FILES / f"{name}.npz")
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], atol=1e-6)


def test_legacy_h5_file_predicts_as_keras_did():
    model = my.keras.models.load_model(str(FILES / "seq_dense.h5"))
    data = np.load(FILES / "seq_dense.npz")
    np.testing.assert_allclose(model.predict(data["x"], verbose=0), data["y"], atol=1e-6)
    assert [layer.name for layer in model.layers] == ["dense", "dropout", "dense_1"]


def test_loaded_layers_keep_keras_settings():
    model = my.keras.models.load_model(FILES / "seq_conv.keras")
    conv, pool, norm = model.layers[:3]
    assert (conv.filters, conv.activation.__name__, pool.pool_size) == (4, "relu", (2, 2))
    assert norm.epsilon == pytest.approx(1e-3) and norm.momentum == pytest.approx(0.99)
    # the moving statistics came from the file (trained), not from initialization
    assert not np.allclose(norm.moving_variance.numpy(), 1.0)


def _h5_layout(path):
    with zipfile.ZipFile(path) as archive:
        f = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    found = {}
    f.visititems(lambda name, obj: found.__setitem__(
        name, obj.shape if isinstance(obj, h5py.Dataset) else dict(obj.attrs).get("name")))
    return {k: v for k, v in found.items() if not k.startswith("optimizer")}


def _same_architecture(name):
    my.utils.set_random_seed(0)
    if name == "seq_dense":
        return my.keras.Sequential([my.keras.Input((8,)), L.Dense(16, activation="relu"),
                                    L.Dropout(0.3), L.Dense(3, activation="softmax")])
    return my.keras.Sequential([my.keras.Input((5, 3)), L.LSTM(4, return_sequences=True),
                                L.GRU(3), L.Dense(1)])


@pytest.mark.parametrize("name", ["seq_dense", "seq_recurrent"])
def test_written_h5_layout_matches_keras(tmp_path, name):
    model = _same_architecture(name)
    model.save(tmp_path / "m.keras")
    mine, keras = _h5_layout(tmp_path / "m.keras"), _h5_layout(FILES / f"{name}.keras")
    # group names and dataset shapes equal Keras's; only the owners' names differ
    assert {k: v for k, v in mine.items() if isinstance(v, tuple)} == \
        {k: v for k, v in keras.items() if isinstance(v, tuple)}
    assert set(mine) == set(keras)


def test_written_config_uses_keras_schema(tmp_path):
    model = my.keras.Sequential([my.keras.Input((4,)),
                                 L.Dense(2, kernel_regularizer=my.regularizers.L2(0.5))])
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        assert archive.namelist() == ["metadata.json", "config.json", "model.weights.h5"]
        config = json.loads(archive.read("config.json"))
        meta = json.loads(archive.read("metadata.json"))
    assert set(meta) == {"keras_version", "date_saved"}
    assert (config["module"], config["class_name"]) == ("keras", "Sequential")
    assert config["build_config"] == {"input_shape": [None, 4]}
    dense = config["config"]["layers"][1]
    assert (dense["module"], dense["class_name"], dense["registered_name"]) == \
        ("keras.layers", "Dense", None)
    assert dense["config"]["kernel_initializer"] == {
        "module": "keras.initializers", "class_name": "GlorotUniform",
        "config": {"seed": None}, "registered_name": None}
    assert dense["config"]["kernel_regularizer"]["config"] == {"l2": 0.5}
    assert dense["config"]["dtype"]["class_name"] == "DTypePolicy"


def _trained_models():
    rng = np.random.default_rng(0)
    conv = my.keras.Sequential([my.keras.Input((6, 6, 2)), L.Conv2D(3, 3, activation="relu"),
                                L.MaxPooling2D(), L.BatchNormalization(), L.Flatten(),
                                L.Dense(2)])
    conv.compile("adam", "mse")
    x = rng.normal(size=(8, 6, 6, 2)).astype("float32")
    conv.fit(x, rng.normal(size=(8, 2)), epochs=2, verbose=0)
    inputs = my.keras.Input((5,))
    merged = L.Concatenate()([L.Dense(3, activation="tanh")(inputs), L.Dense(2)(inputs)])
    functional = my.keras.Model(inputs, L.Dense(1)(merged))
    return [(conv, x), (functional, rng.normal(size=(4, 5)).astype("float32"))]


@pytest.mark.parametrize("index", [0, 1])
def test_myelin_keras_file_round_trips(tmp_path, index):
    model, x = _trained_models()[index]
    model.save(tmp_path / "m.keras")
    restored = my.keras.models.load_model(tmp_path / "m.keras")
    np.testing.assert_array_equal(restored.predict(x, verbose=0), model.predict(x, verbose=0))


@my.saving.register_serializable(package="kerasfile_test")
class Double(L.Layer):
    def call(self, inputs):
        return inputs * 2


def test_myelin_only_model_is_refused_with_advice(tmp_path):
    model = my.keras.Sequential([my.keras.Input((3,)), L.Dense(2), Double()])
    with pytest.raises(ValueError, match=r"Double.*Keras cannot load.*\.myelin"):
        model.save(tmp_path / "m.keras")
    assert not (tmp_path / "m.keras").exists()


def test_unbuilt_model_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not built"):
        my.keras.Sequential([L.Dense(2)]).save(tmp_path / "m.keras")


def test_missing_h5py_explains_the_extra(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "h5py", None)
    model = my.keras.Sequential([my.keras.Input((3,)), L.Dense(2)])
    with pytest.raises(ImportError, match=r'myelin\[keras-format\].*\.myelin'):
        model.save(tmp_path / "m.keras")
    with pytest.raises(ImportError, match=r"myelin\[keras-format\]"):
        my.keras.models.load_model(FILES / "seq_dense.keras")
    model.save(tmp_path / "m.myelin")  # myelin's own format needs nothing extra
    assert my.keras.models.load_model(tmp_path / "m.myelin").layers[0].units == 2


def test_h5_weights_only_file_is_refused(tmp_path):
    path = tmp_path / "w.h5"
    with h5py.File(path, "w") as f:
        f.create_group("dense")
    with pytest.raises(UnsafeFileError, match="weights-only"):
        my.keras.models.load_model(path)


def test_compile_settings_and_optimizer_state_are_written_as_keras_does(tmp_path):
    model, x = _trained_models()[0]  # compiled with "adam" and "mse", trained
    model.save(tmp_path / "m.keras")
    with zipfile.ZipFile(tmp_path / "m.keras") as archive:
        compiled = json.loads(archive.read("config.json"))["compile_config"]
        f = h5py.File(io.BytesIO(archive.read("model.weights.h5")), "r")
    assert (compiled["optimizer"]["module"], compiled["optimizer"]["class_name"]) == \
        ("keras.optimizers", "Adam")
    assert compiled["loss"] == "mse"
    state = model.optimizer.get_state()
    assert len(f["optimizer/vars"]) == len(state) == 2 + 2 * len(model.trainable_weights)
    assert f["optimizer/vars/0"][()] == 2  # iterations: 2 epochs of one batch
    for i, array in enumerate(state):
        np.testing.assert_array_equal(f[f"optimizer/vars/{i}"][()], array)
    restored = my.keras.models.load_model(tmp_path / "m.keras")
    assert type(restored.optimizer).__name__ == "Adam" and restored.compiled


def test_keras_compile_config_compiles_the_loaded_model():
    model = my.keras.models.load_model(FILES / "seq_dense.keras")
    assert type(model.optimizer).__name__ == "Adam"
    assert float(model.optimizer.learning_rate.numpy()) == pytest.approx(1e-3)
    uncompiled = my.keras.models.load_model(FILES / "seq_dense.keras", compile=False)
    assert not getattr(uncompiled, "compiled", False)
