"""myelin-saved ``.keras`` files load in real Keras 3 and predict the same (within 1e-6),
compiled with the same Adam whose state (iterations, moments) equals myelin's.

Optional: runs only when ``MYELIN_KERAS_PYTHON`` names a Python with Keras 3 installed
(e.g. a separate virtual environment with tensorflow-cpu), which loads the files in a
subprocess; TensorFlow is never a dependency of myelin or its tests.
"""

import json
import os
import subprocess

import numpy as np
import pytest

import myelin as my

pytest.importorskip("h5py")
KERAS_PYTHON = os.environ.get("MYELIN_KERAS_PYTHON")
pytestmark = pytest.mark.skipif(not KERAS_PYTHON,
                                reason="set MYELIN_KERAS_PYTHON to a Python with Keras 3")
L = my.keras.layers

_CHECK = """
import json, os, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np, keras
errors = {}
for name in json.loads(sys.argv[1]):
    model = keras.models.load_model(os.path.join(sys.argv[2], name + ".keras"))
    data = np.load(os.path.join(sys.argv[2], name + ".npz"))
    errors[name] = float(np.abs(model.predict(data["x"], verbose=0) - data["y"]).max())
    state = [np.asarray(v) for v in model.optimizer.variables]  # compiled from the file
    saved = [data[f"opt_{i}"] for i in range(len(state))]
    if len(saved) != sum(k.startswith("opt_") for k in data.files):
        errors[name + "/optimizer"] = float("inf")
    else:
        errors[name + "/optimizer"] = max(float(np.abs(a - b).max()) for a, b in zip(state, saved))
print(json.dumps(errors))
"""


def _models():
    rng = np.random.default_rng(0)

    def seq(shape, *layers):
        return my.keras.Sequential([my.keras.Input(shape), *layers])

    def floats(*shape):
        return rng.normal(size=shape).astype("float32")

    inputs = my.keras.Input((6,))
    branches = [L.Dense(4, activation="relu")(inputs), L.Dense(3, activation="tanh")(inputs)]
    merged = [L.Concatenate()(branches), L.Add()([L.Dense(2)(b) for b in branches])]
    functional = my.keras.Model(inputs, L.Dense(2)(L.Concatenate()(merged)))
    a, b = L.Dense(3)(inputs), L.Dense(3)(inputs)
    merges = my.keras.Model(inputs, L.Concatenate()([
        L.Subtract()([a, b]), L.Multiply()([a, b]), L.Average()([a, b]),
        L.Maximum()([a, b]), L.Minimum()([a, b])]))
    return {
        "dense_dropout": (seq((8,), L.Dense(5, activation="relu", kernel_regularizer="l2"),
                              L.Dropout(0.2), L.Dense(3, activation="softmax")), floats(4, 8)),
        "conv_pool_bn": (seq((8, 8, 2), L.Conv2D(4, 3, activation="relu"), L.MaxPooling2D(),
                             L.BatchNormalization(), L.Flatten(), L.Dense(2)), floats(6, 8, 8, 2)),
        "conv1d_avgpool": (seq((10, 3), L.Conv1D(4, 3, padding="same"), L.AveragePooling1D(),
                               L.GlobalMaxPooling1D(), L.Dense(1)), floats(3, 10, 3)),
        "embedding_gap": (seq((7,), L.Embedding(20, 4), L.GlobalAveragePooling1D(),
                              L.Dense(1, activation="sigmoid")),
                          rng.integers(0, 20, (3, 7)).astype("int32")),
        "recurrent": (seq((5, 3), L.LSTM(4, return_sequences=True),
                          L.GRU(3, return_sequences=True), L.SimpleRNN(2)), floats(3, 5, 3)),
        "layer_norm": (seq((6,), L.Dense(4), L.LayerNormalization(), L.Dense(2)), floats(3, 6)),
        "functional_merge": (functional, floats(3, 6)),
        "functional_merges": (merges, floats(3, 6)),
        "image_extras": (seq((6, 6, 2), L.ZeroPadding2D(1), L.Conv2DTranspose(3, 3, strides=2),
                             L.DepthwiseConv2D(3), L.SeparableConv2D(2, 3), L.UpSampling2D(),
                             L.Cropping2D(2), L.SpatialDropout2D(0.2), L.AveragePooling2D(),
                             L.GlobalMaxPooling2D()), floats(2, 6, 6, 2)),
        "activations": (seq((6,), L.Dense(6), L.LeakyReLU(0.2), L.Dense(6), L.PReLU(), L.ELU(),
                            L.ReLU(max_value=2.0), L.Activation("tanh"), L.Rescaling(2.0, 0.5),
                            L.Softmax(), L.GaussianNoise(0.1), L.ActivityRegularization(0.01)),
                        floats(3, 6)),
        "reshaping": (seq((12,), L.Reshape((3, 4)), L.Permute((2, 1)), L.Flatten(),
                          L.RepeatVector(2), L.Masking(0.0), L.Conv1D(2, 1), L.MaxPooling1D(),
                          L.UpSampling1D(), L.ZeroPadding1D(1), L.Cropping1D(1),
                          L.SpatialDropout1D(0.1), L.GlobalAveragePooling1D()), floats(3, 12)),
        "nested_sequential": (seq((5,), my.keras.Sequential([L.Dense(4), L.Dense(3)]),
                                  L.Dense(2)), floats(3, 5)),
    }


def _train(model, x):
    # non-initial weights and BatchNormalization statistics, as a user's model has
    model.compile("adam", "mse")
    y = model.predict(x, verbose=0)
    model.fit(x, np.random.default_rng(1).normal(size=y.shape), epochs=2, verbose=0)


def test_keras_loads_myelin_files_and_predicts_the_same(tmp_path):
    models = _models()
    for name, (model, x) in models.items():
        _train(model, x)
        model.save(tmp_path / f"{name}.keras")
        state = {f"opt_{i}": a for i, a in enumerate(model.optimizer.get_state())}
        np.savez(tmp_path / f"{name}.npz", x=x, y=model.predict(x, verbose=0), **state)
    result = subprocess.run([KERAS_PYTHON, "-c", _CHECK, json.dumps(list(models)),
                             str(tmp_path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    errors = json.loads(result.stdout.strip().splitlines()[-1])
    print(errors)  # per model, the largest difference from myelin's predictions
    assert set(errors) == set(models) | {name + "/optimizer" for name in models}
    assert all(error <= 1e-6 for error in errors.values()), errors
