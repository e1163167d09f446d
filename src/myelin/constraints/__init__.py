"""Constraints (Keras 3): projections applied to weights after each optimizer update.

Example:
    >>> from myelin import constraints, layers
    >>> layers.Dense(64, kernel_constraint=constraints.MaxNorm(3))
    <Dense name=dense, built=False>
"""

import inspect

from .._lookup import from_config, lookup, not_understood, snake_case, to_config
from .constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm

_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
_BY_NAME = {c.__name__: c for c in _CLASSES} | {snake_case(c.__name__): c for c in _CLASSES}

# Keras's lowercase aliases are the classes themselves.
max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm


def serialize(constraint):
    """``{"class_name": "MaxNorm", "config": {...}}`` for a built-in constraint, None for
    None; a user's class goes through ``myelin.saving.register_serializable``."""
    if constraint is None or type(constraint) in _CLASSES:
        return None if constraint is None else to_config(constraint)
    from ..saving import registry  # saving sits above; import on use

    return registry.serialize(constraint)


def deserialize(config):
    """Rebuild a constraint from ``serialize``'s output (built-in or registered names)."""
    if config.get("class_name") in _BY_NAME:
        return from_config(config, _BY_NAME, "constraint")
    from ..saving import registry

    return registry.deserialize(config)


def get(identifier):
    """Resolve a constraint from a name, class, instance, config dict or callable.

    Args:
        identifier: ``"max_norm"`` / ``"MaxNorm"`` (the class with its defaults), a
            class, an instance, a ``serialize`` dict, a function ``f(w) -> w``, or None.

    Returns:
        A callable constraint, or None.

    Raises:
        ValueError: for an unknown name (with the closest known one) or an identifier
            that is not callable.

    Example:
        >>> get("non_neg")
        <myelin.constraints.constraints.NonNeg object at ...>
    """
    if identifier is None or isinstance(identifier, Constraint):
        return identifier
    if isinstance(identifier, str):
        return lookup(identifier, _BY_NAME, "constraint")()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise not_understood(identifier, "constraint",
                         "a name such as 'max_norm', a Constraint or a callable f(w) -> w")


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get",
           "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm"]
