"""Sum, RootMeanSquaredError, the loss-based metrics (MAPE, MSLE, log-cosh, cosine,
cross-entropies, KL, Poisson, hinges): hand computations, values printed by Keras
3.15.1, names, configs and use inside fit."""

import math
import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import metrics
from myelin.layers import Dense, clear_session
from myelin.models import Sequential

sys.path.insert(0, str(Path(__file__).parent))
from _keras_data import reference_arrays, run  # noqa: E402

D = reference_arrays()


def test_sum_and_rmse_by_hand():
    s = metrics.Sum()
    s.update_state([[1, 2], [3, 4]])
    s.update_state([5.0], sample_weight=[2.0])
    assert float(s.result()) == 20.0
    s.reset_state()
    assert float(s.result()) == 0.0
    rmse = metrics.RootMeanSquaredError()
    rmse.update_state([[0, 1], [0, 0]], [[1, 1], [0, 0]])  # squared errors 1, 0 | 0, 0
    rmse.update_state([2.0], [5.0], sample_weight=[0.5])  # 9 with weight 0.5
    assert float(rmse.result()) == pytest.approx(math.sqrt((0.5 + 0 + 4.5) / 2.5))


def test_loss_metrics_by_hand():
    assert float(metrics.MeanAbsolutePercentageError()([[2.0, 4.0]], [[1.0, 5.0]])) == \
        pytest.approx(37.5)
    assert float(metrics.CosineSimilarity()([[0, 1], [1, 1]], [[1, 0], [1, 1]])) == \
        pytest.approx(0.5)
    assert float(metrics.CategoricalHinge()([[0, 1, 0]], [[0.3, 0.5, 0.2]])) == \
        pytest.approx(0.8)
    scce = metrics.SparseCategoricalCrossentropy()
    assert float(scce([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])) == pytest.approx(
        (-math.log(0.95) - math.log(0.1)) / 2, rel=1e-6)


def test_values_printed_by_keras():
    # keras 3.15.1 on the same arrays, updated with the same two halves
    d, sw = D, D["sw"][:50]
    cases = [
        (metrics.RootMeanSquaredError(), (d["yt"], d["yp"]), {}, 0.8096378),
        (metrics.RootMeanSquaredError(), (d["yt"], d["yp"]), {"sample_weight": sw}, 0.820067),
        (metrics.MeanAbsolutePercentageError(), (d["yt"], d["yp"]), {}, 59.2704391),
        (metrics.MeanSquaredLogarithmicError(), (d["yt"], d["yp"]), {}, 0.1485063),
        (metrics.LogCoshError(), (d["yt"], d["yp"]), {}, 0.2684137),
        (metrics.CosineSimilarity(), (d["yt"] - 1, d["yp"]), {}, 0.5657755),
        (metrics.BinaryCrossentropy(), (d["y"], d["p"]), {}, 0.5732535),
        (metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
         (d["y"], (d["p"] - 0.5) * 4), {}, 0.5574236),
        (metrics.CategoricalCrossentropy(), (d["onehot"], d["p3"]), {}, 1.154199),
        (metrics.CategoricalCrossentropy(label_smoothing=0.2), (d["onehot"], d["p3"]),
         {"sample_weight": sw}, 1.1628324),
        (metrics.SparseCategoricalCrossentropy(), (d["labels"], d["p3"]), {}, 1.154199),
        (metrics.SparseCategoricalCrossentropy(from_logits=True),
         (d["labels"], d["p3"] * 3), {}, 1.1506944),
        (metrics.KLDivergence(), (d["p3"][::-1].copy(), d["p3"]), {}, 0.2249082),
        (metrics.Poisson(), (d["yt"], d["yp"]), {}, 1.3185067),
        (metrics.Hinge(), (d["ym"], d["pm"] - 0.5), {}, 1.0612806),
        (metrics.SquaredHinge(), (d["ym"], d["pm"] - 0.5), {}, 1.219133),
        (metrics.CategoricalHinge(), (d["onehot"], d["pm"]), {}, 1.153384),
        (metrics.Sum(), (d["yt"],), {}, 129.7079163),
        (metrics.Sum(), (d["yt"],), {"sample_weight": sw}, 126.4252167),
        (metrics.Mean(), (d["yt"],), {"sample_weight": sw}, 1.2979172),
    ]
    for metric, arrays, weights, keras_value in cases:
        assert run(metric, *arrays, **weights) == pytest.approx(keras_value, rel=1e-6), \
            metric.name


def test_names_lookup_and_config():
    expected = {"root_mean_squared_error": metrics.RootMeanSquaredError,
                "mape": metrics.MeanAbsolutePercentageError,
                "msle": metrics.MeanSquaredLogarithmicError, "bce": metrics.BinaryCrossentropy,
                "kl_divergence": metrics.KLDivergence, "Sum": metrics.Sum,
                "F1Score": metrics.F1Score, "auc": metrics.AUC, "precision": metrics.Precision,
                "categorical_hinge": metrics.CategoricalHinge,
                "log_cosh_error": metrics.LogCoshError}
    for name, cls in expected.items():
        metric = metrics.get(name)
        assert type(metric) is cls and metric.name == name  # names log as spelled
    assert metrics.LogCoshError().name == "logcosh"
    for metric in (metrics.BinaryCrossentropy(from_logits=True, label_smoothing=0.1),
                   metrics.CosineSimilarity(axis=0), metrics.RootMeanSquaredError(name="r"),
                   metrics.SparseCategoricalCrossentropy(from_logits=True), metrics.Sum()):
        back = metrics.deserialize(metrics.serialize(metric))
        assert type(back) is type(metric) and back.get_config() == metric.get_config()


def test_regression_metrics_inside_fit():
    clear_session()
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, size=(200, 3)).astype("float32")
    y = (x @ np.array([1.0, -2.0, 0.5]) + 3.0).astype("float32")
    model = Sequential([Dense(1, input_shape=(3,))])
    model.compile("adam", "mse", metrics=["RootMeanSquaredError", "mape", "mae",
                                          metrics.LogCoshError()])
    history = model.fit(x, y, epochs=3, batch_size=20, verbose=0)
    assert set(history.history) == {"loss", "RootMeanSquaredError", "mape", "mae", "logcosh"}
    result = model.evaluate(x, y, verbose=0, return_dict=True)
    pred = model.predict(x, verbose=0)[:, 0]
    assert result["RootMeanSquaredError"] == pytest.approx(
        math.sqrt(np.mean((pred - y) ** 2)), rel=1e-5)
    assert result["mape"] == pytest.approx(100 * np.mean(np.abs((y - pred) / y)), rel=1e-4)
