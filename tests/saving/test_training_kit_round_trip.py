"""Models compiled with the new optimizers, schedules, losses and metrics round-trip
through a model file: same predictions, optimizer state and compile settings, and
training goes on identically."""

import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import backend, losses, metrics, optimizers
from myelin.layers import Dense, clear_session
from myelin.models import Sequential
from myelin.saving import load_model, save_model

sys.path.insert(0, str(Path(__file__).parent))
from _models import assert_bit_identical  # noqa: E402

S = optimizers.schedules
RNG = np.random.default_rng(5)
X = RNG.normal(size=(48, 4)).astype("float32")


def binary():
    y = (X[:, 0] - X[:, 1] > 0).astype("float32")
    schedule = S.CosineDecay(0.0, 20, warmup_target=0.05, warmup_steps=4)
    opt = optimizers.AdamW(schedule, weight_decay=0.01)
    opt.exclude_from_weight_decay(var_names=["bias"])
    return (Dense(1, activation="sigmoid"), opt, losses.Hinge(),
            [metrics.AUC(name="prc", curve="PR"), metrics.Precision(thresholds=[0.3, 0.6]),
             "AUC", metrics.TruePositives(name="tp"), metrics.F1Score(threshold=0.5),
             metrics.BinaryCrossentropy(label_smoothing=0.1)], y)


def regression():
    y = np.abs(X @ np.array([1.0, -0.5, 0.2, 0.0])).astype("float32")[:, None] + 0.5
    return (Dense(1, activation="softplus"), optimizers.Nadam(S.PolynomialDecay(0.05, 10)),
            losses.Poisson(), [metrics.RootMeanSquaredError(), "mape", metrics.LogCoshError(),
                               metrics.Sum(name="s")], y)


def multiclass():
    labels = (X[:, 0] > 0).astype(int) + (X[:, 2] > 0.5).astype(int)
    opt = optimizers.Ftrl(S.CosineDecayRestarts(0.2, 5), l1_regularization_strength=0.001,
                          beta=0.1)
    return (Dense(3, activation="softmax"), opt, losses.KLDivergence(),
            [metrics.F1Score(average="macro"), metrics.CategoricalCrossentropy(),
             metrics.AUC(multi_label=True, num_labels=3), metrics.Recall(top_k=2)],
            np.eye(3, dtype="float32")[labels])


def hinge_lion():
    labels = (X[:, 1] > 0).astype(int)
    return (Dense(2), optimizers.Lion(S.PiecewiseConstantDecay([6], [0.01, 0.002]),
                                      weight_decay=0.1),
            losses.CategoricalHinge(), [metrics.CategoricalHinge(), "precision"],
            np.eye(2, dtype="float32")[labels])


def others():
    y = X[:, :2] * 2.0
    return (Dense(2), optimizers.Adadelta(1.0), losses.LogCosh(),
            [metrics.CosineSimilarity(), "msle"], y)


def adamax():
    y = X[:, :1] - X[:, 3:]
    return (Dense(1), optimizers.Adamax(S.InverseTimeDecay(0.05, 5, 0.5)),
            losses.CosineSimilarity(axis=0), [metrics.MeanSquaredLogarithmicError()], y)


@pytest.mark.parametrize("setup", [binary, regression, multiclass, hinge_lion, others, adamax])
def test_round_trip_and_identical_training(tmp_path, setup):
    clear_session()
    head, opt, loss, metric_list, y = setup()
    model = Sequential([Dense(6, activation="tanh", input_shape=(4,)), head])
    model.compile(opt, loss, metrics=metric_list)
    model.fit(X, y, epochs=2, batch_size=8, verbose=0)
    path = tmp_path / "m.myelin"
    save_model(model, path)
    loaded = load_model(path)

    assert_bit_identical(loaded.predict(X, verbose=0), model.predict(X, verbose=0))
    assert_bit_identical(loaded.optimizer.get_state(), model.optimizer.get_state())
    assert type(loaded.optimizer) is type(opt)
    assert loaded.optimizer.get_config() == model.optimizer.get_config()
    assert type(loaded.loss) is type(loss) and loaded.loss.get_config() == loss.get_config()
    assert loaded.metrics_names == model.metrics_names
    for mine, theirs in zip(model.metrics, loaded.metrics, strict=True):
        assert type(mine) is type(theirs) and mine.get_config() == theirs.get_config()

    results = []
    for m in (model, loaded):
        backend.set_seed(11)
        history = m.fit(X, y, epochs=2, batch_size=8, verbose=0)
        results.append((m.get_weights(), m.optimizer.get_state(), history.history))
    assert_bit_identical(results[0][0], results[1][0])
    assert_bit_identical(results[0][1], results[1][1])
    for key, values in results[0][2].items():
        np.testing.assert_array_equal(np.asarray(values), np.asarray(results[1][2][key]))
