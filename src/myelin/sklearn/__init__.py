"""scikit-learn estimators backed by myelin (``pip install "myelin[sklearn]"``).

``MLPClassifier`` and ``MLPRegressor`` take scikit-learn's MLP parameter names;
``KerasClassifier`` and ``KerasRegressor`` wrap a function that returns a myelin model,
routing ``model__units=...`` parameters as scikeras does. All of them work in
``Pipeline``, ``GridSearchCV`` and ``cross_val_score``, pickle (through the safe
model format) and so run in parallel with joblib, Ray or Dask.

Example:
    >>> from sklearn.model_selection import cross_val_score
    >>> from myelin.sklearn import MLPClassifier
    >>> cross_val_score(MLPClassifier(hidden_layer_sizes=(32,)), X, y, cv=3)
"""

from ._require import require_sklearn

require_sklearn()

from .mlp import MLPClassifier, MLPRegressor  # noqa: E402
from .wrappers import KerasClassifier, KerasRegressor  # noqa: E402

__all__ = ["KerasClassifier", "KerasRegressor", "MLPClassifier", "MLPRegressor"]
