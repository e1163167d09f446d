"""Issue 17, item 1: losses and metrics on fuzzed targets, predictions and sample weights.

Each loss (function and class) and metric returns Keras's formula, computed here in
NumPy, or raises a myelin error naming it; a failed ``update_state`` leaves the metric's
accumulators unchanged.
"""

import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import _strategies as fz  # noqa: E402

from myelin.keras import losses, metrics  # noqa: E402

EPS = 1e-7  # Keras's backend epsilon


def _clip(p):
    return np.clip(p, EPS, 1 - EPS)


def _bce(t, p):
    p = _clip(p)
    return -np.mean(t * np.log(p) + (1 - t) * np.log(1 - p), axis=-1)


def _cce(t, p):
    return -np.sum(t * np.log(_clip(p / p.sum(axis=-1, keepdims=True))), axis=-1)


def _huber(t, p, delta=1.0):
    e = np.abs(p - t)
    return np.mean(np.where(e <= delta, 0.5 * e**2, delta * e - 0.5 * delta**2), axis=-1)


def _log_cosh(t, p):
    x = p - t
    return np.mean(x + np.logaddexp(0, -2 * x) - np.log(2), axis=-1)


def _kld(t, p):
    t, p = np.clip(t, EPS, 1), np.clip(p, EPS, 1)
    return np.sum(t * np.log(t / p), axis=-1)


def _signs(t):
    """Keras's hinge labels: 0/1 become -1/1 only when every label is 0 or 1."""
    return 2 * t - 1 if np.isin(t, (0, 1)).all() else t


LOSSES = {  # name: (function, class, NumPy reference per sample, targets in [0, 1]?)
    "mean_squared_error": (losses.mean_squared_error, losses.MeanSquaredError,
                           lambda t, p: np.mean((t - p) ** 2, axis=-1)),
    "mean_absolute_error": (losses.mean_absolute_error, losses.MeanAbsoluteError,
                            lambda t, p: np.mean(np.abs(t - p), axis=-1)),
    "mean_absolute_percentage_error": (
        losses.mean_absolute_percentage_error, losses.MeanAbsolutePercentageError,
        lambda t, p: 100 * np.mean(np.abs(t - p) / np.maximum(np.abs(t), EPS), axis=-1)),
    "mean_squared_logarithmic_error": (
        losses.mean_squared_logarithmic_error, losses.MeanSquaredLogarithmicError,
        lambda t, p: np.mean((np.log(np.maximum(p, EPS) + 1)
                              - np.log(np.maximum(t, EPS) + 1)) ** 2, axis=-1)),
    "binary_crossentropy": (losses.binary_crossentropy, losses.BinaryCrossentropy, _bce),
    "categorical_crossentropy": (losses.categorical_crossentropy,
                                 losses.CategoricalCrossentropy, _cce),
    "huber": (losses.huber, losses.Huber, _huber),
    "log_cosh": (losses.log_cosh, losses.LogCosh, _log_cosh),
    "poisson": (losses.poisson, losses.Poisson,
                lambda t, p: np.mean(p - t * np.log(p + EPS), axis=-1)),
    "kl_divergence": (losses.kl_divergence, losses.KLDivergence, _kld),
    "squared_hinge": (losses.squared_hinge, losses.SquaredHinge,
                      lambda t, p: np.mean(np.maximum(1 - _signs(t) * p, 0) ** 2, axis=-1)),
    "hinge": (losses.hinge, losses.Hinge,
              lambda t, p: np.mean(np.maximum(1 - _signs(t) * p, 0), axis=-1)),
    "cosine_similarity": (losses.cosine_similarity, losses.CosineSimilarity, None),
    "categorical_hinge": (losses.categorical_hinge, losses.CategoricalHinge, None),
    "sparse_categorical_crossentropy": (losses.sparse_categorical_crossentropy,
                                        losses.SparseCategoricalCrossentropy, None),
}
PROBABILITIES = [0.0, 1.0, 0.25, 0.5, 0.75, 1e-12]
# Predictions compared with a reference stay off the clipping edges: float32's 1 - 1e-7
# rounds, so Keras's own clip differs from a float64 one there by up to 0.18 in a log.
INSIDE = (1e-3, 1 - 1e-3)


@st.composite
def pair(draw, dtypes=fz.ALL_DTYPES, min_dims=0):
    """y_true, y_pred: usually of one shape, sometimes valid probabilities, else hostile."""
    how = draw(st.sampled_from(["valid", "valid", "values", "shapes", "dtypes"]))
    shape = draw(st.sampled_from([(3, 4), (2, 1), (1, 5), (0, 3), (3, 0), (2, 2, 3), (4,)]))
    if how == "valid":
        t = draw(fz.shaped(shape, ["float32", "float64"], PROBABILITIES))
        p = draw(fz.shaped(shape, ["float32", "float64"], [0.25, 0.5, 0.75, 0.9, 1e-12]))
    elif how == "values":
        t, p = draw(fz.shaped(shape, ["float32"])), draw(fz.shaped(shape, ["float64"]))
    elif how == "shapes":
        t = draw(fz.arrays(dtypes=["float32"], min_dims=min_dims))
        p = draw(fz.arrays(dtypes=["float32"], min_dims=min_dims))
    else:
        t, p = draw(fz.shaped(shape, dtypes)), draw(fz.shaped(shape, dtypes))
    weight = draw(st.one_of(st.none(), st.just(None),
                            fz.shaped(shape[:1], ["float32", "int64", "bool"]),
                            fz.arrays(dtypes=["float32", "U3"], max_dims=2)))
    return how, t, p, weight


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_on_fuzzed_inputs(name):
    function, cls, reference = LOSSES[name]

    @fz.FUZZ
    @given(case=pair(fz.NUMERIC, min_dims=1))  # scalars and text: see the xfail below
    def run(case):
        how, t, p, weight = case
        out, error = fz.call(lambda: function(t, p), name, cls.__name__)
        inside = p.size and INSIDE[0] <= p.min() and p.max() <= INSIDE[1]
        if error is None and reference is not None and how == "valid" and t.ndim >= 2 \
                and inside:
            expected = reference(t.astype(np.float64), p.astype(np.float64))
            np.testing.assert_allclose(fz.to_numpy(out), expected, rtol=2e-3, atol=1e-5)
        loss = cls()
        fz.call(lambda: loss(t, p, sample_weight=weight), name, cls.__name__, loss.name)

    run()


METRICS = [metrics.MeanSquaredError, metrics.MeanAbsoluteError, metrics.Accuracy,
           metrics.BinaryAccuracy, metrics.CategoricalAccuracy,
           metrics.SparseCategoricalAccuracy, metrics.TopKCategoricalAccuracy,
           metrics.SparseTopKCategoricalAccuracy, metrics.AUC, metrics.Precision,
           metrics.Recall, metrics.TruePositives, metrics.FalseNegatives,
           metrics.F1Score, metrics.RootMeanSquaredError, metrics.BinaryCrossentropy,
           metrics.CategoricalCrossentropy, metrics.KLDivergence, metrics.CosineSimilarity,
           metrics.Hinge, metrics.LogCoshError, metrics.Poisson,
           metrics.MeanAbsolutePercentageError, metrics.MeanSquaredLogarithmicError]


def _state(metric):
    """Copies of a metric's accumulators (its numeric attributes)."""
    return {k: np.array(v, copy=True) for k, v in vars(metric).items()
            if isinstance(v, (np.ndarray, np.generic, float, int)) and not isinstance(v, bool)}


@pytest.mark.parametrize("cls", METRICS, ids=lambda c: c.__name__)
def test_metric_on_fuzzed_inputs(cls):

    @fz.FUZZ
    @given(first=pair(), second=pair())
    def run(first, second):
        metric = cls()
        names = (cls.__name__, metric.name)
        _, t, p, weight = first
        fz.call(lambda: metric.update_state(t, p, sample_weight=weight), *names)
        before = _state(metric)
        _, t, p, weight = second
        _, error = fz.call(lambda: metric.update_state(t, p, sample_weight=weight), *names)
        if error is not None:
            after = _state(metric)
            assert before.keys() == after.keys()
            for key, old in before.items():
                assert np.array_equal(old, after[key], equal_nan=True), f"{key} changed"
        fz.call(metric.result, *names)

    run()


@fz.FUZZ
@given(values=fz.arrays(), weight=st.one_of(st.none(), fz.arrays(dtypes=["float32"])))
def test_mean_metric_matches_numpy(values, weight):
    metric = metrics.Mean()
    _, error = fz.call(lambda: metric.update_state(values, sample_weight=weight),
                       "Mean", metric.name)
    finite = values.dtype.kind in "biuf" and np.isfinite(values.astype(np.float64)).all()
    if error is None and weight is None and finite and values.size and \
            np.abs(values.astype(np.float64)).max() < 1e30:
        expected = values.astype(np.float64).mean()
        np.testing.assert_allclose(fz.to_numpy(metric.result()), expected, rtol=1e-5)


_LOSS_FUNCTIONS = sorted({
    getattr(losses, name).__name__ for name in losses.__all__
    if name[0].islower() and name not in {"deserialize", "get", "serialize",
                                          "reduce_weighted_values"}})


@pytest.mark.parametrize("name", _LOSS_FUNCTIONS)
@pytest.mark.parametrize("y_true, y_pred", [
    (np.float32(0.5), np.float32(0.5)),  # said "reduce_mean: axis -1 is out of range"
    (np.array([["a", "b"]]), np.array([[0.2, 0.8]])),  # said "could not convert string"
    (np.array([[0.0, 1.0]]), np.array([["a", "b"]])),
], ids=["scalars", "text labels", "text predictions"])
def test_loss_functions_name_themselves_for_scalars_and_text(name, y_true, y_pred):
    with pytest.raises((ValueError, TypeError), match=name):
        getattr(losses, name)(y_true, y_pred)
