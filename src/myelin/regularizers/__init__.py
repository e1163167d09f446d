"""Regularizers (Keras 3): penalties on weights or activations that join the loss.

Example:
    >>> from myelin import layers, regularizers
    >>> layers.Dense(64, kernel_regularizer=regularizers.l2(0.001))
    <Dense name=dense, built=False>
"""

import inspect

from .._lookup import from_config, lookup, not_understood, snake_case, to_config
from .regularizers import L1, L1L2, L2, Regularizer

_CLASSES = (Regularizer, L1, L2, L1L2)
_BY_NAME = {c.__name__: c for c in _CLASSES} | {snake_case(c.__name__): c for c in _CLASSES}
_BY_NAME["l1_l2"] = L1L2  # the function-style spelling, accepted as a string too

# Keras's lowercase aliases are the classes themselves: l2(0.001) is L2(0.001).
l1, l2, l1_l2 = L1, L2, L1L2


def serialize(regularizer):
    """``{"class_name": "L2", "config": {"l2": 0.01}}`` for a built-in regularizer, None
    for None; a user's class goes through ``myelin.saving.register_serializable``."""
    if regularizer is None or type(regularizer) in _CLASSES:
        return None if regularizer is None else to_config(regularizer)
    from ..saving import registry  # saving sits above; import on use

    return registry.serialize(regularizer)


def deserialize(config):
    """Rebuild a regularizer from ``serialize``'s output (built-in or registered names)."""
    if config.get("class_name") in _BY_NAME:
        return from_config(config, _BY_NAME, "regularizer")
    from ..saving import registry

    return registry.deserialize(config)


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
    if identifier is None or isinstance(identifier, Regularizer):
        return identifier
    if isinstance(identifier, str):
        return lookup(identifier, _BY_NAME, "regularizer")()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise not_understood(identifier, "regularizer",
                         "a name such as 'l2', a Regularizer or a callable f(x) -> scalar")


__all__ = ["L1", "L1L2", "L2", "Regularizer", "deserialize", "get", "l1", "l1_l2", "l2",
           "serialize"]
