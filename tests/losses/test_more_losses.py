"""MAPE, MSLE, log-cosh, cosine similarity, hinge losses, KL divergence and Poisson:
hand computations, values printed by Keras 3.15.1, gradients, names and config."""

import math

import numpy as np
import pytest

from myelin import losses
from myelin.testing import gradcheck

RNG = np.random.default_rng(0)
YT = RNG.uniform(0, 2, size=(4, 3)).astype("float32")
YP = RNG.uniform(-0.5, 2.5, size=(4, 3)).astype("float32")
BIN = (RNG.uniform(size=(4, 3)) > 0.5).astype("float32")
ONEHOT = np.eye(3, dtype="float32")[[0, 2, 1, 1]]
PR = RNG.uniform(0.05, 1, size=(4, 3)).astype("float32")
PR /= PR.sum(-1, keepdims=True)
PT = RNG.uniform(0.05, 1, size=(4, 3)).astype("float32")
PT /= PT.sum(-1, keepdims=True)
SW = np.array([1.0, 0.5, 2.0, 0.0], "float32")


def per_sample(fn, *args, **kwargs):
    return np.asarray(fn(*args, **kwargs).numpy(), dtype=np.float64)


def test_hand_computed_values():
    t, p = np.array([[2.0, 4.0]]), np.array([[1.0, 5.0]])
    assert per_sample(losses.mean_absolute_percentage_error, t, p)[0] == pytest.approx(
        100 * (0.5 + 0.25) / 2)
    expected = ((math.log(2) - math.log(3)) ** 2 + (math.log(6) - math.log(5)) ** 2) / 2
    assert per_sample(losses.msle, t, p)[0] == pytest.approx(expected, rel=1e-6)
    expected = (math.log(math.cosh(1.0)) + math.log(math.cosh(1.0))) / 2
    assert per_sample(losses.log_cosh, t, p)[0] == pytest.approx(expected, rel=1e-6)
    # orthogonal -> 0, same direction -> -1, opposite -> +1
    np.testing.assert_allclose(per_sample(losses.cosine_similarity, [[0, 1], [1, 1], [1, 0]],
                                          [[1, 0], [2, 2], [-3, 0]]), [0, -1, 1], atol=1e-6)
    # 0/1 labels become -1/1: margins max(1 - (-1)(0.6), 0), max(1 - 0.4, 0)
    assert per_sample(losses.hinge, [[0, 1]], [[0.6, 0.4]])[0] == pytest.approx(1.1)
    assert per_sample(losses.squared_hinge, [[0, 1]], [[0.6, 0.4]])[0] == pytest.approx(
        (1.6 ** 2 + 0.6 ** 2) / 2)
    # -1/1 labels are used as they are
    assert per_sample(losses.hinge, [[-1, 1]], [[0.6, 0.4]])[0] == pytest.approx(1.1)
    # true class score 0.5, best other 0.3: max(0.3 - 0.5 + 1, 0)
    assert per_sample(losses.categorical_hinge, [[0, 1, 0]], [[0.3, 0.5, 0.2]])[0] == \
        pytest.approx(0.8)
    assert per_sample(losses.kl_divergence, [[0.5, 0.5]], [[0.25, 0.75]])[0] == pytest.approx(
        0.5 * math.log(2) + 0.5 * math.log(0.5 / 0.75), rel=1e-6)
    assert per_sample(losses.poisson, [[2.0, 0.0]], [[1.0, 3.0]])[0] == pytest.approx(
        ((1 - 2 * math.log(1 + 1e-7)) + 3) / 2, rel=1e-6)


def test_values_printed_by_keras():
    # keras 3.15.1: loss(y_true, y_pred) and loss(y_true, y_pred, sample_weight=SW)
    cases = [
        (losses.MeanAbsolutePercentageError(), YT, YP, 2405.847, 228.8011),
        (losses.MeanSquaredLogarithmicError(), YT, YP, 0.3312366, 0.2400539),
        (losses.LogCosh(), YT, YP, 0.4557903, 0.3796424),
        (losses.CosineSimilarity(), YT - 1, YP, -0.2503379, -0.4197825),
        (losses.Hinge(), BIN, YP - 1, 0.7987878, 0.5394342),
        (losses.Hinge(), BIN * 2 - 1, YP - 1, 0.7987878, 0.5394342),
        (losses.SquaredHinge(), BIN, YP - 1, 1.229179, 0.7276579),
        (losses.CategoricalHinge(), ONEHOT, YP, 1.035669, 0.7153695),
        (losses.KLDivergence(), PT, PR, 0.1237953, 0.06814153),
        (losses.Poisson(), YT * 3, PR * 2, 2.229382, 1.886709),
    ]
    for loss, t, p, plain, weighted in cases:
        assert float(loss(t, p)) == pytest.approx(plain, rel=2e-6), loss.name
        assert float(loss(t, p, sample_weight=SW)) == pytest.approx(weighted, rel=2e-6)


@pytest.mark.parametrize("fn, y_true, y_pred", [
    (losses.mean_absolute_percentage_error, YT[:2], YP[:2]),
    (losses.mean_squared_logarithmic_error, YT[:2], np.abs(YP[:2]) + 0.1),
    (losses.log_cosh, YT[:2], YP[:2]),
    (losses.cosine_similarity, YT[:2] - 1, YP[:2]),
    (lambda t, p: losses.cosine_similarity(t, p, axis=0), YT[:3] - 1, YP[:3]),
    (losses.hinge, BIN[:2], YP[:2] * 0.3),
    (losses.squared_hinge, BIN[:2], YP[:2] * 0.3),
    (losses.categorical_hinge, ONEHOT[:2], YP[:2]),
    (losses.kl_divergence, PT[:2], PR[:2]),
    (losses.poisson, YT[:2] * 3, PR[:2] * 2),
], ids=["mape", "msle", "log_cosh", "cosine", "cosine_axis0", "hinge", "squared_hinge",
        "categorical_hinge", "kld", "poisson"])
def test_gradients_match_finite_differences(fn, y_true, y_pred):
    assert gradcheck(lambda p: fn(y_true.astype(np.float64), p), y_pred.astype(np.float64))


def test_log_cosh_does_not_overflow_and_keeps_its_slope():
    big = per_sample(losses.log_cosh, [[0.0]], [[1000.0]])[0]
    assert big == pytest.approx(1000 - math.log(2), rel=1e-6)
    assert gradcheck(lambda p: losses.log_cosh(np.zeros((1, 2)), p), np.array([[30.0, -25.0]]))


def test_names_aliases_and_config_round_trip():
    assert losses.get("mape").fn is losses.mean_absolute_percentage_error
    assert losses.get("MSLE").fn is losses.mean_squared_logarithmic_error
    assert losses.get("kld").fn is losses.kl_divergence is losses.KLD
    assert losses.get("logcosh").fn is losses.log_cosh
    assert isinstance(losses.get("Hinge"), losses.Hinge)
    assert isinstance(losses.get("CategoricalHinge"), losses.CategoricalHinge)
    names = {cls().name for cls in (losses.MeanAbsolutePercentageError, losses.LogCosh,
                                    losses.CosineSimilarity, losses.KLDivergence,
                                    losses.Poisson, losses.SquaredHinge)}
    assert names == {"mean_absolute_percentage_error", "log_cosh", "cosine_similarity",
                     "kl_divergence", "poisson", "squared_hinge"}
    cos = losses.CosineSimilarity(axis=0, reduction="sum")
    back = losses.deserialize(losses.serialize(cos))
    assert back.get_config() == cos.get_config() and back.axis == 0
    fn = losses.deserialize(losses.serialize(losses.get("poisson")))
    assert fn.fn is losses.poisson


def test_reduction_and_rank_alignment():
    # (n,) labels against (n, 1) predictions line up instead of broadcasting to (n, n)
    value = losses.Poisson(reduction="sum")([1.0, 2.0], [[1.0], [2.0]])
    assert float(value) == pytest.approx(1 - math.log(1 + 1e-7) + 2 - 2 * math.log(2 + 1e-7),
                                         rel=1e-6)
    assert per_sample(losses.LogCosh(reduction="none"), [0.0, 0.0], [[1.0], [-1.0]]).shape \
        == (2,)
