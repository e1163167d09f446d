"""The Perceptron: Rosenblatt's linear threshold unit and its learning rule.

The unit outputs ``step(w . x + b)`` (1 when positive, else 0). Training visits the
samples one by one and, on each mistake, moves the weights towards the sample:
``w += learning_rate * (y - prediction) * x`` (and ``b`` likewise). It stops after
an epoch without mistakes. On linearly separable data this always happens (the
perceptron convergence theorem); on data such as XOR, which no line separates, it
never does, and ``converged_`` stays False.
"""

import numbers

import numpy as np

from .. import backend
from .data_adapter import as_data_array, check_finite, check_same_length


class Perceptron:
    """A single linear threshold unit trained with the perceptron learning rule.

    Args:
        learning_rate: step size of each correction (> 0).
        max_epochs: the most passes over the data (>= 1).
        shuffle: visit the samples in a new random order each epoch.

    Attributes:
        weights_: the learned weight vector, shape ``(features,)``.
        bias_: the learned bias.
        errors_: the number of mistakes in each epoch.
        converged_: whether an epoch finished without mistakes.

    Example:
        >>> x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        >>> p = Perceptron().fit(x, np.array([0, 0, 0, 1]))   # AND: separable
        >>> p.predict(x), p.converged_
        (array([0, 0, 0, 1]), True)
        >>> Perceptron(max_epochs=50).fit(x, np.array([0, 1, 1, 0])).converged_   # XOR
        False
    """

    def __init__(self, learning_rate=1.0, max_epochs=100, shuffle=False):
        if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or (
                not learning_rate > 0):
            raise ValueError(f"Perceptron: learning_rate must be a positive number, received "
                             f"{learning_rate!r}.")
        if isinstance(max_epochs, bool) or not isinstance(max_epochs, numbers.Integral) or (
                max_epochs < 1):
            raise ValueError(f"Perceptron: max_epochs must be a positive integer, received "
                             f"{max_epochs!r}.")
        self.learning_rate = float(learning_rate)
        self.max_epochs = int(max_epochs)
        self.shuffle = bool(shuffle)
        self.weights_ = None
        self.bias_ = 0.0
        self.errors_ = []
        self.converged_ = False

    def _features(self, x, where, trained=True):
        x = as_data_array(x, "x", where).astype(np.float64)
        if x.ndim == 1:
            x = x.reshape(-1, 1)
        if x.ndim != 2:
            raise ValueError(f"{where}: x must have shape (samples, features), received "
                             f"{x.shape}.")
        check_finite(x, "x", where)
        if trained and x.shape[1] != len(self.weights_):
            raise ValueError(f"{where}: the perceptron was trained on {len(self.weights_)} "
                             f"features but x has shape {x.shape}.")
        return x

    def _labels(self, y, n, where):
        y = as_data_array(y, "y", where).reshape(-1)
        check_same_length({"x": range(n), "y": y}, where)
        if not np.isin(y, (0, 1)).all():
            bad = y[~np.isin(y, (0, 1))][0]
            raise ValueError(f"{where}: y must hold the labels 0 and 1, received {bad}. "
                             f"Map the two classes to 0/1 first.")
        return y.astype(np.float64)

    def fit(self, x, y):
        """Learn from ``x`` (samples x features) and 0/1 labels ``y``; returns self."""
        where = "Perceptron.fit"
        x = self._features(x, where, trained=False)
        y = self._labels(y, len(x), where)
        weights, bias = np.zeros(x.shape[1]), 0.0
        errors = []
        order = np.arange(len(x))
        for _ in range(self.max_epochs):
            if self.shuffle:
                order = backend.rng().permutation(len(x))
            mistakes = 0
            for i in order:
                update = self.learning_rate * (y[i] - (x[i] @ weights + bias > 0))
                if update:
                    weights += update * x[i]
                    bias += update
                    mistakes += 1
            errors.append(mistakes)
            if mistakes == 0:
                break
        self.weights_, self.bias_, self.errors_ = weights, float(bias), errors
        self.converged_ = errors[-1] == 0
        return self

    def decision_function(self, x):
        """``w . x + b`` for each sample (positive means class 1)."""
        if self.weights_ is None:
            raise RuntimeError("Perceptron: call fit(x, y) before predict().")
        return self._features(x, "Perceptron.predict") @ self.weights_ + self.bias_

    def predict(self, x):
        """The predicted labels (0 or 1) as an int array."""
        return (self.decision_function(x) > 0).astype(np.int64)

    def score(self, x, y):
        """The fraction of samples classified correctly."""
        y = self._labels(y, len(np.asarray(x)), "Perceptron.score")
        return float(np.mean(self.predict(x) == y))
