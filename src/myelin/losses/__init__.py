"""Loss functions and classes with Keras 3's names, defaults and shape handling.

Example:
    >>> from myelin import losses
    >>> loss = losses.get("mae")
    >>> float(loss([1.0, 2.0], [[1.5], [2.5]]))
    0.5
"""

import inspect

from .._lookup import from_config, lookup, not_understood, snake_case, to_config
from .crossentropy import (
    BinaryCrossentropy,
    CategoricalCrossentropy,
    SparseCategoricalCrossentropy,
    binary_crossentropy,
    categorical_crossentropy,
    sparse_categorical_crossentropy,
)
from .divergence import KLDivergence, Poisson, kl_divergence, poisson
from .hinge import (
    CategoricalHinge,
    Hinge,
    SquaredHinge,
    categorical_hinge,
    hinge,
    squared_hinge,
)
from .loss import Loss, LossFunctionWrapper, reduce_weighted_values
from .regression import (
    CosineSimilarity,
    Huber,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)

# Keras 3's short aliases of the loss functions
mae = MAE = mean_absolute_error
mse = MSE = mean_squared_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh

_FUNCTIONS = (mean_absolute_error, mean_squared_error, huber, binary_crossentropy,
              categorical_crossentropy, sparse_categorical_crossentropy,
              mean_absolute_percentage_error, mean_squared_logarithmic_error, log_cosh,
              cosine_similarity, hinge, squared_hinge, categorical_hinge, kl_divergence,
              poisson)
_CLASSES = (MeanAbsoluteError, MeanSquaredError, Huber, BinaryCrossentropy,
            CategoricalCrossentropy, SparseCategoricalCrossentropy,
            MeanAbsolutePercentageError, MeanSquaredLogarithmicError, LogCosh,
            CosineSimilarity, Hinge, SquaredHinge, CategoricalHinge, KLDivergence, Poisson)
_BY_NAME = ({f.__name__: f for f in _FUNCTIONS} | {c.__name__: c for c in _CLASSES}
            | {"mae": mae, "MAE": mae, "mse": mse, "MSE": mse, "huber_loss": huber,
               "bce": binary_crossentropy, "mape": mape, "MAPE": mape, "msle": msle,
               "MSLE": msle, "kld": kld, "KLD": kld,
               "kullback_leibler_divergence": kl_divergence, "logcosh": log_cosh})


def get(identifier):
    """Resolve a loss to a Loss object.

    Args:
        identifier: a name (``"mae"``, ``"mean_absolute_error"``,
            ``"sparse_categorical_crossentropy"``, ``"BinaryCrossentropy"``), a Loss
            class or instance, or a function ``f(y_true, y_pred)`` returning
            per-sample losses (such as ``myelin.keras.losses.mae``).

    Returns:
        A Loss: ``loss(y_true, y_pred, sample_weight=None)`` is the batch mean. A
        string keeps its spelling as the name, as in Keras's logs.

    Raises:
        ValueError: for an unknown name, with the closest known name.
    """
    if isinstance(identifier, Loss):
        return identifier
    if isinstance(identifier, str):
        found = lookup(identifier, _BY_NAME, "loss")
        if inspect.isclass(found):
            return found()
        return LossFunctionWrapper(found, name=identifier)
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Loss):
        return identifier()
    if callable(identifier):
        name = snake_case(getattr(identifier, "__name__", type(identifier).__name__))
        return LossFunctionWrapper(identifier, name=name)
    raise not_understood(identifier, "loss", "a name, a Loss or a function")


def serialize(loss):
    """``{"class_name": ..., "config": ...}`` for a built-in loss."""
    if type(loss) is LossFunctionWrapper:
        if loss.fn not in _FUNCTIONS:
            raise ValueError(f"losses.serialize: {loss.fn!r} is not a built-in loss function.")
        return {"class_name": "function", "config": loss.fn.__name__, "name": loss.name}
    return to_config(loss)


def deserialize(config):
    """Rebuild a loss from ``serialize``'s output."""
    if config["class_name"] == "function":
        fn = lookup(config["config"], _BY_NAME, "loss")
        return LossFunctionWrapper(fn, name=config.get("name"))
    return from_config(config, _BY_NAME, "loss")


__all__ = [
    "KLD", "MAE", "MAPE", "MSE", "MSLE", "BinaryCrossentropy", "CategoricalCrossentropy",
    "CategoricalHinge", "CosineSimilarity", "Hinge", "Huber", "KLDivergence", "LogCosh",
    "Loss", "LossFunctionWrapper", "MeanAbsoluteError", "MeanAbsolutePercentageError",
    "MeanSquaredError", "MeanSquaredLogarithmicError", "Poisson",
    "SparseCategoricalCrossentropy", "SquaredHinge", "binary_crossentropy",
    "categorical_crossentropy", "categorical_hinge", "cosine_similarity", "deserialize",
    "get", "hinge", "huber", "kl_divergence", "kld", "kullback_leibler_divergence",
    "log_cosh", "logcosh", "mae", "mape", "mean_absolute_error",
    "mean_absolute_percentage_error", "mean_squared_error", "mean_squared_logarithmic_error",
    "mse", "msle", "poisson", "reduce_weighted_values", "serialize",
    "sparse_categorical_crossentropy", "squared_hinge",
]
