"""The trainer's one-op batch-mean losses agree with the general loss objects."""

import numpy as np
import pytest

from myelin import losses
from myelin.autodiff import GradientTape, Tensor, Variable
from myelin.losses.batch_mean import batch_mean_fn
from myelin.testing import gradcheck

rng = np.random.default_rng(0)
_PROBS = rng.uniform(0.05, 0.95, size=(6, 1))
_LOGITS = rng.normal(size=(6, 4)) * 3

CASES = [
    (losses.MeanAbsoluteError(), rng.normal(size=(6, 3)), rng.normal(size=(6, 3))),
    (losses.MeanSquaredError(), rng.normal(size=(6, 3)), rng.normal(size=(6, 3))),
    (losses.BinaryCrossentropy(), rng.integers(0, 2, (6, 1)).astype(float), _PROBS),
    (losses.BinaryCrossentropy(from_logits=True), rng.integers(0, 2, (6, 2)).astype(float),
     rng.normal(size=(6, 2)) * 4),
    (losses.SparseCategoricalCrossentropy(from_logits=True), rng.integers(0, 4, 6), _LOGITS),
    (losses.CategoricalCrossentropy(from_logits=True),
     np.eye(4)[rng.integers(0, 4, 6)], _LOGITS),
]


@pytest.mark.parametrize("loss, y_true, y_pred", CASES, ids=lambda c: getattr(c, "name", ""))
def test_value_and_gradient_match_the_general_loss(loss, y_true, y_pred):
    fast = batch_mean_fn(loss)
    assert fast is not None
    pred_a, pred_b = Variable(y_pred), Variable(y_pred)
    with GradientTape() as tape:
        general = loss(y_true, pred_a)
    expected = tape.gradient(general, pred_a).numpy()
    with GradientTape() as tape:
        value = fast(y_true, pred_b)
    got = tape.gradient(value, pred_b).numpy()
    np.testing.assert_allclose(float(value), float(general), rtol=1e-6)
    np.testing.assert_allclose(got, expected, rtol=1e-5, atol=1e-9)


@pytest.mark.parametrize("loss, y_true, y_pred", CASES, ids=lambda c: getattr(c, "name", ""))
def test_gradient_matches_finite_differences(loss, y_true, y_pred):
    fast = batch_mean_fn(loss)
    assert gradcheck(lambda p: fast(y_true, p), y_pred)


def test_losses_without_a_kernel_fall_back():
    assert batch_mean_fn(losses.Huber()) is None
    assert batch_mean_fn(losses.BinaryCrossentropy(label_smoothing=0.1)) is None
    assert batch_mean_fn(losses.MeanAbsoluteError(reduction="sum")) is None
    assert batch_mean_fn(losses.SparseCategoricalCrossentropy()) is None  # probabilities


def test_sequence_outputs_average_over_every_position():
    logits = rng.normal(size=(2, 3, 5))
    labels = rng.integers(0, 5, (2, 3))
    loss = losses.SparseCategoricalCrossentropy(from_logits=True)
    fast = batch_mean_fn(loss)(labels, Tensor(logits))
    np.testing.assert_allclose(float(fast), float(loss(labels, Tensor(logits))), rtol=1e-6)
