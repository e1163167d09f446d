"""The Perceptron: the learning rule by hand, convergence on separable data, XOR."""

import numpy as np
import pytest

from myelin import utils
from myelin.models import Perceptron

CORNERS = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])


def test_learning_rule_by_hand_on_and():
    p = Perceptron(learning_rate=1.0).fit(CORNERS, [0, 0, 0, 1])
    # Epoch 1, from w = 0, b = 0: only (1, 1) is misclassified (step(0) = 0), so
    # w = (1, 1), b = 1. Epoch 2: (0, 0) -> 1 is wrong: b = 0; (0, 1) -> 1 wrong:
    # w = (1, 0), b = -1; (1, 0) -> 0 right; (1, 1) -> 0 wrong: w = (2, 1), b = 0.
    assert p.errors_[:2] == [1, 3]
    assert p.converged_ and p.errors_[-1] == 0
    assert p.predict(CORNERS).tolist() == [0, 0, 0, 1]
    assert p.score(CORNERS, [0, 0, 0, 1]) == 1.0
    margins = p.decision_function(CORNERS)
    assert np.all(margins[:3] <= 0) and margins[3] > 0


def test_separates_a_linearly_separable_set_like_iris_setosa():
    rng = np.random.default_rng(42)
    setosa = np.column_stack([rng.uniform(1.0, 1.9, 50), rng.uniform(0.1, 0.6, 50)])
    others = np.column_stack([rng.uniform(3.0, 6.9, 100), rng.uniform(1.0, 2.5, 100)])
    x = np.concatenate([setosa, others])
    y = np.concatenate([np.ones(50, int), np.zeros(100, int)])
    p = Perceptron().fit(x, y)
    assert p.converged_ and p.score(x, y) == 1.0
    assert p.predict([[2, 0.5]]).tolist() == [1]  # the book's example flower


def test_fails_on_xor():
    p = Perceptron(max_epochs=30).fit(CORNERS, [0, 1, 1, 0])
    assert not p.converged_ and len(p.errors_) == 30 and min(p.errors_) > 0
    assert p.score(CORNERS, [0, 1, 1, 0]) < 1.0


def test_shuffle_uses_the_library_seed():
    utils.set_random_seed(5)
    first = Perceptron(shuffle=True).fit(CORNERS, [0, 1, 1, 1])
    utils.set_random_seed(5)
    second = Perceptron(shuffle=True).fit(CORNERS, [0, 1, 1, 1])
    assert first.errors_ == second.errors_ and np.array_equal(first.weights_, second.weights_)


@pytest.mark.parametrize("kwargs, message", [
    (dict(learning_rate=0), "learning_rate must be a positive number, received 0"),
    (dict(max_epochs=0), "max_epochs must be a positive integer, received 0"),
])
def test_hyper_parameters_are_validated(kwargs, message):
    with pytest.raises(ValueError, match=message):
        Perceptron(**kwargs)


def test_bad_data_is_refused_and_a_trained_perceptron_is_unchanged():
    p = Perceptron().fit(CORNERS, [0, 0, 0, 1])
    weights = p.weights_.copy()
    with pytest.raises(ValueError, match="y must hold the labels 0 and 1, received 2"):
        p.fit(CORNERS, [0, 1, 2, 1])
    with pytest.raises(ValueError, match="x has 4 samples but y has 3 samples"):
        p.fit(CORNERS, [0, 1, 1])
    with pytest.raises(ValueError, match=r"x contains nan at index \(1, 0\)"):
        p.fit(np.array([[0.0, 0.0], [np.nan, 1.0]]), [0, 1])
    assert np.array_equal(p.weights_, weights)
    with pytest.raises(ValueError, match=r"trained on 2 features but x has shape \(1, 3\)"):
        p.predict([[1, 2, 3]])
    with pytest.raises(RuntimeError, match=r"call fit\(x, y\) before predict"):
        Perceptron().predict(CORNERS)
