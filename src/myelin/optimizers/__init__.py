"""Optimizers with Keras 3's names, defaults and update rules.

Example:
    >>> from myelin import optimizers
    >>> optimizers.get("adam").learning_rate.numpy()
    array(0.001, dtype=float32)
"""

import inspect

from .._lookup import from_config, lookup, not_understood, to_config
from . import schedules
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam
from .adamax import Adamax
from .adamw import AdamW
from .ftrl import Ftrl
from .lion import Lion
from .nadam import Nadam
from .optimizer import Optimizer
from .rmsprop import RMSprop
from .sgd import SGD

_CLASSES = (SGD, Adam, Adagrad, RMSprop, AdamW, Nadam, Adamax, Adadelta, Lion, Ftrl)
_BY_NAME = {c.__name__: c for c in _CLASSES} | {c.__name__.lower(): c for c in _CLASSES}


def serialize(optimizer):
    """``{"class_name": ..., "config": ...}`` for a built-in optimizer."""
    return to_config(optimizer)


def deserialize(config):
    """Rebuild an optimizer (without its slot state) from ``serialize``'s output."""
    return from_config(config, _BY_NAME, "optimizer")


def get(identifier):
    """Resolve an optimizer from a name (``"sgd"``, ``"Adam"``), class, instance or dict.

    Raises:
        ValueError: for an unknown name, with the closest known name.
    """
    if isinstance(identifier, Optimizer):
        return identifier
    if isinstance(identifier, str):
        return lookup(identifier, _BY_NAME, "optimizer")()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier) and issubclass(identifier, Optimizer):
        return identifier()
    raise not_understood(identifier, "optimizer", "a name, an Optimizer class or instance")


__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "AdamW", "Adamax", "Ftrl", "Lion", "Nadam",
           "Optimizer", "RMSprop", "deserialize", "get", "schedules", "serialize"]
