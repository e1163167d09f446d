"""Regularizers (Keras 3): penalties on weights or activations that join the loss.

Example:
    >>> from myelin import layers, regularizers
    >>> layers.Dense(64, kernel_regularizer=regularizers.l2(0.001))
    <Dense name=dense, built=False>
"""

from .._lookup import from_config_or_registered, resolve, snake_case, to_config_or_registered
from .regularizers import L1, L1L2, L2, Regularizer

_CLASSES = (Regularizer, L1, L2, L1L2)
_BY_NAME = {c.__name__: c for c in _CLASSES} | {snake_case(c.__name__): c for c in _CLASSES}
_BY_NAME["l1_l2"] = L1L2  # the function-style spelling, accepted as a string too

# Keras's lowercase aliases are the classes themselves: l2(0.001) is L2(0.001).
l1, l2, l1_l2 = L1, L2, L1L2


def serialize(regularizer):
    """``{"class_name": "L2", "config": {"l2": 0.01}}`` for a built-in regularizer, None
    for None; a user's class goes through ``myelin.saving.register_serializable``."""
    return to_config_or_registered(regularizer, _CLASSES)


def deserialize(config):
    """Rebuild a regularizer from ``serialize``'s output (built-in or registered names)."""
    return from_config_or_registered(config, _BY_NAME, "regularizer")


def get(identifier):
    """Resolve a regularizer from a name, class, instance, config dict or callable.

    Args:
        identifier: ``"l2"`` / ``"L2"`` (the class with its defaults), a class, an
            instance, a ``serialize`` dict, a function ``f(x) -> scalar``, or None.

    Returns:
        A callable regularizer, or None.

    Raises:
        ValueError: for an unknown name (with the closest known one) or an identifier
            that is not callable.

    Example:
        >>> get("l2").get_config()
        {'l2': 0.01}
    """
    return resolve(identifier, Regularizer, _BY_NAME, "regularizer",
                   "a name such as 'l2', a Regularizer or a callable f(x) -> scalar", deserialize)


__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "serialize"]
