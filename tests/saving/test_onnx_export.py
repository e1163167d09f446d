"""ONNX export: onnxruntime on the exported file agrees with predict (max abs diff <= 1e-5)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from myelin.layers import (
    Activation,
    Dense,
    Dropout,
    Embedding,
    Flatten,
    GlobalAveragePooling1D,
    Input,
    Layer,
    Normalization,
    Reshape,
)
from myelin.models import Model, Sequential
from myelin.saving import export_model

sys.path.insert(0, str(Path(__file__).parent))
from _models import SEEDS  # noqa: E402

ort = pytest.importorskip("onnxruntime")
SRC = str(Path(__file__).resolve().parents[2] / "src")
ACTIVATIONS = ["linear", "relu", "leaky_relu", "relu6", "sigmoid", "tanh", "softmax",
               "log_softmax", "elu", "selu", "softplus", "softsign", "silu", "swish",
               "exponential", "step"]


def _run_onnx(path, x):
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    [spec] = session.get_inputs()
    x = x.astype(np.int64 if spec.type == "tensor(int64)" else np.float32)
    return session.run(["output"], {"input": x})[0]


def _check(model, x, tmp_path, atol=1e-5):
    path = tmp_path / "model.onnx"
    export_model(model, path)
    expected = model.predict(x, verbose=0)
    got = _run_onnx(path, x)
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) <= atol
    return got


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_models_match_predict(tmp_path, name):
    model, x, y = SEEDS[name]()
    model.fit(x, y, epochs=2, batch_size=8, verbose=0)  # trained, non-trivial weights
    _check(model, x, tmp_path)


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense_with_every_activation(tmp_path, activation):
    model = Sequential([Dense(6, activation=activation, input_shape=(4,))])
    x = np.random.default_rng(0).normal(scale=2.0, size=(16, 4)).astype(np.float32)
    _check(model, x, tmp_path)


def test_every_activation_is_covered():
    from myelin import activations
    from myelin.saving._onnx_layers import _ACTIVATIONS

    assert set(ACTIVATIONS) == {*_ACTIVATIONS, "linear"}
    for name in ACTIVATIONS:
        activations.get(name)  # each tested name is a real myelin activation


def test_shape_layers_dropout_and_activation_layer(tmp_path):
    model = Sequential([Input(shape=(3, 4)), Flatten(), Dense(8, use_bias=False), Dropout(0.5),
                        Reshape((2, 4)), Activation("tanh"), Reshape((-1,)),
                        Dense(2, activation="softmax")])
    x = np.random.default_rng(1).normal(size=(5, 3, 4)).astype(np.float32)
    _check(model, x, tmp_path)


@pytest.mark.parametrize("invert", [False, True])
def test_normalization_adapted_and_fixed(tmp_path, invert):
    data = np.random.default_rng(2).normal(3.0, 5.0, size=(50, 3)).astype(np.float32)
    adapted = Normalization(invert=invert)
    adapted.adapt(data)
    _check(Sequential([Input(shape=(3,)), adapted, Dense(2)]), data, tmp_path)
    fixed = Normalization(mean=[1.0, 2.0, 3.0], variance=[4.0, 0.0, 9.0], invert=invert)
    _check(Sequential([Input(shape=(3,)), fixed]), data, tmp_path)


def test_masked_embedding_pooling(tmp_path):
    model = Sequential([Embedding(50, 4, "random_normal", mask_zero=True),
                        GlobalAveragePooling1D(), Dense(1, activation="sigmoid")])
    model.build((None, 7))
    x = np.random.default_rng(3).integers(1, 50, size=(6, 7))
    x[0, 3:] = 0
    x[1, :] = 0  # every step padded: the count is clamped to 1, as in the layer
    got = _check(model, x, tmp_path)
    model.layers[0].mask_zero = False  # the same weights without the mask differ
    export_model(model, tmp_path / "unmasked.onnx")
    assert np.max(np.abs(_run_onnx(tmp_path / "unmasked.onnx", x) - got)) > 1e-3


def test_batch_size_is_free(tmp_path):
    model, x, _ = SEEDS["mnist"]()
    export_model(model, tmp_path / "m.onnx")
    for n in (1, 3, 64):
        assert _run_onnx(tmp_path / "m.onnx", x[:n]).shape == (n, 10)


def test_refusals(tmp_path):
    class Custom(Layer):
        pass

    with pytest.raises(ValueError, match="format='onnx'"):
        export_model(SEEDS["xor"]()[0], tmp_path / "m", format="tf_saved_model")
    with pytest.raises(ValueError, match="supports Sequential and functional models"):
        export_model(Model(), tmp_path / "m.onnx")
    with pytest.raises(ValueError, match="not built"):
        export_model(Sequential([Dense(2)]), tmp_path / "m.onnx")
    with pytest.raises(ValueError, match=r"'custom' \(Custom\) has no ONNX conversion"):
        export_model(Sequential([Input(shape=(2,)), Custom(name="custom")]),
                     tmp_path / "m.onnx")
    assert not (tmp_path / "m.onnx").exists()


def test_missing_onnx_names_the_extra():
    # A process where importing onnx fails, as when the extra is not installed.
    code = (
        "import sys; sys.modules['onnx'] = None\n"
        "from myelin.layers import Dense\nfrom myelin.models import Sequential\n"
        "from myelin.saving import export_model\n"
        "try:\n    export_model(Sequential([Dense(1, input_shape=(1,))]), 'x.onnx')\n"
        "except ImportError as e:\n    print(e)\n"
        "print('onnx' in sys.modules and sys.modules['onnx'] is None)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": SRC}, timeout=60).stdout
    assert "pip install myelin[onnx]" in out
    assert out.strip().endswith("True")


def test_core_import_does_not_load_onnx():
    code = "import sys, myelin, myelin.saving, myelin.models; print('onnx' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": SRC}, timeout=60)
    assert out.stdout.strip() == "False", out.stderr
