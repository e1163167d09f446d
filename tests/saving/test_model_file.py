"""Model files: exact round trips of architecture, weights, compile settings and optimizer."""

import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from myelin import backend
from myelin.layers import Dense, Dropout, Layer, Normalization
from myelin.models import Model, Sequential
from myelin.saving import (
    load_model,
    load_weights,
    register_serializable,
    save_model,
    save_weights,
)

sys.path.insert(0, str(Path(__file__).parent))
from _models import SEEDS, assert_bit_identical, mnist, xor  # noqa: E402


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_models_round_trip_exactly_and_keep_training_identically(tmp_path, name):
    model, x, y = SEEDS[name]()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / "m.myelin"
    save_model(model, path)
    loaded = load_model(path)

    assert type(loaded) is Sequential and loaded is not model
    assert loaded.get_config()["layers"] == model.get_config()["layers"]
    assert_bit_identical(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert_bit_identical(loaded.optimizer.get_state(), model.optimizer.get_state())
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert loaded.metrics_names == model.metrics_names

    results = []
    for m in (model, loaded):
        backend.set_seed(11)
        history = m.fit(x, y, epochs=2, batch_size=8, verbose=0)
        results.append((m.get_weights(), m.optimizer.get_state(), history.history))
    assert_bit_identical(results[0][0], results[1][0])
    assert_bit_identical(results[0][1], results[1][1])
    assert results[0][2] == results[1][2]


def test_file_layout(tmp_path):
    model, x, y = xor()
    model.fit(x, y, epochs=1, verbose=0)
    path = tmp_path / "m.myelin"
    save_model(model, path)
    with zipfile.ZipFile(path) as z:
        assert z.namelist() == ["metadata.json", "config.json", "weights.npz"]
        meta = json.loads(z.read("metadata.json"))
        config = json.loads(z.read("config.json"))
        with z.open("weights.npz") as f:
            arrays = np.load(f, allow_pickle=False)  # plain NumPy reads it, without pickles
            names = sorted(arrays.files)
    assert meta["format_version"] == 1 and "myelin_version" in meta and "date_saved" in meta
    assert config["class_name"] == "Sequential.v1"
    assert config["build_config"] == {"input_shape": [None, 2]}
    assert config["compile_config"]["optimizer"]["class_name"] == "optimizers>Adam.v1"
    assert config["compile_config"]["loss"] == "binary_crossentropy"
    assert config["compile_config"]["metrics"] == ["accuracy"]
    # 2 layers x (kernel, bias), Adam: iterations, learning rate, 2 slots per weight
    assert names == sorted(["layer_names", *(f"weights/{i}/{j}" for i in (0, 1) for j in (0, 1)),
                            *(f"optimizer/{k}" for k in range(10))])


def test_lazily_built_uncompiled_and_unbuilt_models(tmp_path):
    lazy = Sequential([Dense(3, activation="relu"), Dense(2)])
    lazy.build((None, 5))
    save_model(lazy, tmp_path / "lazy.myelin")
    loaded = load_model(tmp_path / "lazy.myelin")
    assert loaded.built and not loaded.compiled
    assert_bit_identical(loaded.get_weights(), lazy.get_weights())

    empty = Sequential([Dense(3)])
    save_model(empty, tmp_path / "empty.myelin")
    assert not load_model(tmp_path / "empty.myelin").built


def test_compile_false_and_include_optimizer_false(tmp_path):
    model, x, y = xor()
    model.fit(x, y, epochs=1, verbose=0)
    save_model(model, tmp_path / "a.myelin")
    assert not load_model(tmp_path / "a.myelin", compile=False).compiled
    save_model(model, tmp_path / "b.myelin", include_optimizer=False)
    loaded = load_model(tmp_path / "b.myelin")
    assert not loaded.compiled
    assert_bit_identical(loaded.get_weights(), model.get_weights())


def test_compiled_but_never_trained_model_resumes_like_the_original(tmp_path):
    model, x, y = xor()
    save_model(model, tmp_path / "m.myelin")
    loaded = load_model(tmp_path / "m.myelin")
    for m in (model, loaded):
        backend.set_seed(3)
        m.fit(x, y, epochs=3, batch_size=2, verbose=0)
    assert_bit_identical(loaded.get_weights(), model.get_weights())


def test_loading_does_not_disturb_the_random_stream(tmp_path):
    model, _, _ = mnist()
    save_model(model, tmp_path / "m.myelin")
    state = backend.get_rng_state()
    load_model(tmp_path / "m.myelin")
    assert backend.get_rng_state() == state


def test_normalization_dropout_and_objects_in_compile(tmp_path):
    from myelin import losses, metrics, optimizers

    norm = Normalization()
    norm.adapt(np.array([[0.0, 10.0], [2.0, 30.0]], dtype=np.float32))
    model = Sequential([norm, Dropout(0.5), Dense(1)])
    model.build((None, 2))
    model.compile(optimizer=optimizers.SGD(learning_rate=0.05, clipnorm=1.0),
                  loss=losses.Huber(delta=2.0), metrics=[metrics.MeanAbsoluteError()])
    save_model(model, tmp_path / "m.myelin")
    loaded = load_model(tmp_path / "m.myelin")
    x = np.array([[1.0, 20.0], [3.0, 5.0]], dtype=np.float32)
    assert_bit_identical(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert loaded.layers[0].get_weights()[2].dtype == np.int64
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert type(loaded._compile_state.loss).__name__ == "Huber"
    assert loaded._compile_state.loss.get_config() == model._compile_state.loss.get_config()
    assert loaded.metrics_names == ["loss", "mean_absolute_error"]


@register_serializable(package="test_model_file")
class ScaleShift(Layer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = factor

    def build(self, input_shape):
        self.offset = self.add_weight(shape=(input_shape[-1],), initializer="ones",
                                      name="offset")

    def call(self, inputs):
        return inputs * self.factor + self.offset

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


@register_serializable(package="test_model_file")
class TwoDense(Model):
    def __init__(self, units=3, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.hidden = Dense(units, activation="relu")
        self.out = Dense(1)

    def call(self, inputs, training=None):
        return self.out(self.hidden(inputs))

    def get_config(self):
        return {"name": self.name, "units": self.units}


def test_registered_custom_layer_and_subclassed_model(tmp_path):
    x = np.random.default_rng(0).random((4, 3), dtype=np.float32)
    seq = Sequential([Dense(3, input_shape=(3,)), ScaleShift(0.5)])
    seq.layers[1].offset.assign(np.array([1.0, 2.0, 3.0], np.float32))
    save_model(seq, tmp_path / "seq.myelin")
    loaded = load_model(tmp_path / "seq.myelin")
    assert type(loaded.layers[1]) is ScaleShift and loaded.layers[1].factor == 0.5
    assert_bit_identical(loaded.predict(x, verbose=0), seq.predict(x, verbose=0))

    sub = TwoDense(units=5)
    sub.compile(optimizer="rmsprop", loss="mse")
    sub.fit(x, x[:, :1], epochs=1, verbose=0)
    save_model(sub, tmp_path / "sub.myelin")
    loaded = load_model(tmp_path / "sub.myelin")
    assert type(loaded) is TwoDense and loaded.units == 5
    assert_bit_identical(loaded.predict(x, verbose=0), sub.predict(x, verbose=0))
    assert_bit_identical(loaded.optimizer.get_state(), sub.optimizer.get_state())


def test_unregistered_custom_layer_never_round_trips_silently(tmp_path):
    from myelin.saving import UnsafeFileError

    class Local(Layer):
        pass

    model = Sequential([Dense(2, input_shape=(2,)), Local()])
    # Refused when saving (layers serialized through the registry) or, if the file
    # could name it, when loading; either way the message names the class.
    try:
        save_model(model, tmp_path / "m.myelin")
    except ValueError as error:
        assert "Local" in str(error) and "register_serializable" in str(error)
        return
    with pytest.raises(UnsafeFileError, match="Local"):
        load_model(tmp_path / "m.myelin")
    loaded = load_model(tmp_path / "m.myelin", custom_objects={"Local": Local})
    assert type(loaded.layers[1]) is Local


def test_overwrite_false(tmp_path):
    model, _, _ = xor()
    save_model(model, tmp_path / "m.myelin")
    with pytest.raises(FileExistsError):
        save_model(model, tmp_path / "m.myelin", overwrite=False)
    with pytest.raises(FileExistsError):
        save_weights(model, tmp_path / "m.myelin", overwrite=False)


def test_weights_file_round_trip_into_a_fresh_model(tmp_path):
    model, x, y = mnist()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    save_weights(model, tmp_path / "w.weights.npz")
    fresh, _, _ = mnist()  # other layer names: dense_3, dense_4, ...
    load_weights(fresh, tmp_path / "w.weights.npz")
    assert_bit_identical(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
    assert_bit_identical(fresh.optimizer.get_state(), model.optimizer.get_state())


def test_weights_mismatch_names_layer_and_both_shapes_and_changes_nothing(tmp_path):
    model, _, _ = xor()
    save_weights(model, tmp_path / "w.weights.npz")
    other = Sequential([Dense(5, activation="tanh", input_shape=(2,)),
                        Dense(1, activation="sigmoid")])
    before = other.get_weights()
    name = other.layers[0].name
    with pytest.raises(ValueError, match=rf"layer '{name}' \(saved as '{model.layers[0].name}'\)"
                       r".*shape \(2, 5\) in the model but \(2, 4\) in the file"):
        load_weights(other, tmp_path / "w.weights.npz")
    assert_bit_identical(other.get_weights(), before)

    deeper = Sequential([Dense(4, input_shape=(2,)), Dense(4), Dense(1)])
    with pytest.raises(ValueError, match="weights for 2 layers .* but the model has 3"):
        load_weights(deeper, tmp_path / "w.weights.npz")
    unbuilt = Sequential([Dense(4), Dense(1)])
    with pytest.raises(ValueError, match="has 0 weights in the model but 2 in the file. Build"):
        load_weights(unbuilt, tmp_path / "w.weights.npz")


def test_weights_into_model_with_another_optimizer_warns_and_loads_weights(tmp_path):
    model, x, y = xor()
    model.fit(x, y, epochs=1, verbose=0)
    save_weights(model, tmp_path / "w.weights.npz")
    other = Sequential([Dense(4, activation="tanh", input_shape=(2,)),
                        Dense(1, activation="sigmoid")])
    other.compile(optimizer="sgd", loss="mse")
    with pytest.warns(UserWarning, match="Skipping the optimizer state"):
        load_weights(other, tmp_path / "w.weights.npz")
    assert_bit_identical(other.get_weights(), model.get_weights())
