"""Stateful metrics with Keras 3's names and the compile-time resolution of "accuracy".

Example:
    >>> from myelin import metrics
    >>> m = metrics.get("accuracy", loss="sparse_categorical_crossentropy")
    >>> type(m).__name__, m.name
    ('SparseCategoricalAccuracy', 'accuracy')
"""

import inspect

from .. import losses
from .._lookup import from_config, lookup, not_understood, snake_case, to_config
from .accuracy import (
    Accuracy,
    BinaryAccuracy,
    CategoricalAccuracy,
    ShapeResolvedAccuracy,
    SparseCategoricalAccuracy,
    SparseTopKCategoricalAccuracy,
    TopKCategoricalAccuracy,
    accuracy,
    binary_accuracy,
    categorical_accuracy,
    sparse_categorical_accuracy,
    sparse_top_k_categorical_accuracy,
    top_k_categorical_accuracy,
)
from .auc import AUC
from .confusion_metrics import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from .f_score import F1Score, FBetaScore
from .metric import Mean, MeanMetricWrapper, Metric, Sum
from .probabilistic import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    CategoricalHinge,
    Hinge,
    KLDivergence,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
)
from .regression import (
    CosineSimilarity,
    LogCoshError,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    RootMeanSquaredError,
    cosine_similarity,
    mean_absolute_error,
    mean_squared_error,
)

mae = MAE = mean_absolute_error
mse = MSE = mean_squared_error

_CLASSES = (
    Mean, Sum, Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
    TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, MeanAbsoluteError,
    MeanSquaredError, RootMeanSquaredError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, LogCoshError, CosineSimilarity, AUC, Precision, Recall,
    TruePositives, FalsePositives, TrueNegatives, FalseNegatives, F1Score, FBetaScore,
    BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy,
    KLDivergence, Poisson, Hinge, SquaredHinge, CategoricalHinge,
)
# Keras 3's names: each class, its snake_case spelling, and the short aliases
_BY_NAME = ({c.__name__: c for c in _CLASSES} | {snake_case(c.__name__): c for c in _CLASSES}
            | {"mae": MeanAbsoluteError, "MAE": MeanAbsoluteError,
               "mse": MeanSquaredError, "MSE": MeanSquaredError,
               "mape": MeanAbsolutePercentageError, "MAPE": MeanAbsolutePercentageError,
               "msle": MeanSquaredLogarithmicError, "MSLE": MeanSquaredLogarithmicError,
               "bce": BinaryCrossentropy, "BCE": BinaryCrossentropy})

# the loss function behind a loss identifier -> the accuracy it implies
_ACCURACY_FOR_LOSS = {
    losses.binary_crossentropy: BinaryAccuracy,
    losses.sparse_categorical_crossentropy: SparseCategoricalAccuracy,
    losses.categorical_crossentropy: CategoricalAccuracy,
}


def _accuracy(name, loss, output_shape):
    """Which accuracy ``"accuracy"``/``"acc"`` means for this loss and output."""
    fn = None
    if loss is not None:
        resolved = losses.get(loss)
        fn = getattr(resolved, "fn", resolved)
    if fn is losses.binary_crossentropy or (output_shape and output_shape[-1] == 1):
        return BinaryAccuracy(name=name)
    if fn in _ACCURACY_FOR_LOSS:
        return _ACCURACY_FOR_LOSS[fn](name=name)
    return ShapeResolvedAccuracy(name=name)


def get(identifier, loss=None, output_shape=None):
    """Resolve a metric identifier to a Metric instance, named as in Keras's history.

    Args:
        identifier: a name (``"accuracy"``, ``"acc"``, ``"mae"``,
            ``"binary_accuracy"``, ``"BinaryAccuracy"``, a loss name such as
            ``"binary_crossentropy"``), a Metric class or instance, or a function
            ``f(y_true, y_pred)`` returning per-sample values.
        loss: the compiled loss (name, function or Loss); decides what ``"accuracy"``
            means: binary for binary cross-entropy, sparse categorical for sparse
            categorical cross-entropy, categorical for categorical cross-entropy.
        output_shape: the model's output shape; one unit means binary accuracy.

    Returns:
        A Metric. A string keeps its spelling as the name (``"acc"`` logs as ``acc``).

    Raises:
        ValueError: for an unknown name, with the closest known name.
    """
    if isinstance(identifier, Metric):
        return identifier
    if isinstance(identifier, str):
        if identifier.lower() in ("accuracy", "acc"):
            return _accuracy(identifier, loss, output_shape)
        if identifier in _BY_NAME:
            return _BY_NAME[identifier](name=identifier)
        try:
            fn = losses.get(identifier)
        except ValueError:
            lookup(identifier, {**_BY_NAME, "accuracy": None, "acc": None}, "metric")
        return MeanMetricWrapper(getattr(fn, "fn", fn), name=identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Metric):
        return identifier()
    if isinstance(identifier, losses.Loss):  # a loss object as a metric: per-sample values
        return MeanMetricWrapper(identifier.call, name=identifier.name)
    if callable(identifier):
        name = snake_case(getattr(identifier, "__name__", type(identifier).__name__))
        return MeanMetricWrapper(identifier, name=name)
    raise not_understood(identifier, "metric", "a name, a Metric or a function")


def serialize(metric):
    """A metric as a JSON-serialisable config dict.

    Args:
        metric: a ``Metric`` object.

    Returns:
        A dict with ``class_name`` and ``config``, as Keras writes it.
    """
    return to_config(metric)


def deserialize(config):
    """Make a metric from ``serialize``'s dict.

    Args:
        config: the dict ``serialize`` returned.

    Returns:
        A new metric.
    """
    return from_config(config, _BY_NAME, "metric")


__all__ = [
    "AUC", "MAE", "MSE", "Accuracy", "BinaryAccuracy", "BinaryCrossentropy",
    "CategoricalAccuracy", "CategoricalCrossentropy", "CategoricalHinge", "CosineSimilarity",
    "F1Score", "FBetaScore", "FalseNegatives", "FalsePositives", "Hinge", "KLDivergence",
    "LogCoshError", "Mean", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanMetricWrapper", "MeanSquaredError", "MeanSquaredLogarithmicError", "Metric",
    "Poisson", "Precision", "Recall", "RootMeanSquaredError", "SparseCategoricalAccuracy",
    "SparseCategoricalCrossentropy", "SparseTopKCategoricalAccuracy", "SquaredHinge", "Sum",
    "TopKCategoricalAccuracy", "TrueNegatives", "TruePositives", "accuracy",
    "binary_accuracy", "categorical_accuracy", "cosine_similarity", "deserialize", "get",
    "mae", "mean_absolute_error", "mean_squared_error", "mse", "serialize",
    "sparse_categorical_accuracy", "sparse_top_k_categorical_accuracy",
    "top_k_categorical_accuracy",
]
