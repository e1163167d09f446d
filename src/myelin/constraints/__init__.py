"""Constraints (Keras 3): projections applied to weights after each optimizer update.

Example:
    >>> from myelin import constraints, layers
    >>> layers.Dense(64, kernel_constraint=constraints.MaxNorm(3))
    <Dense name=dense, built=False>
"""

from .._lookup import from_config_or_registered, resolve, snake_case, to_config_or_registered
from .constraints import Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm

_CLASSES = (Constraint, MaxNorm, MinMaxNorm, NonNeg, UnitNorm)
_BY_NAME = {c.__name__: c for c in _CLASSES} | {snake_case(c.__name__): c for c in _CLASSES}

# Keras's lowercase aliases are the classes themselves.
max_norm, min_max_norm, non_neg, unit_norm = MaxNorm, MinMaxNorm, NonNeg, UnitNorm


def serialize(constraint):
    """``{"class_name": "MaxNorm", "config": {...}}`` for a built-in constraint, None for
    None; a user's class goes through ``myelin.saving.register_serializable``."""
    return to_config_or_registered(constraint, _CLASSES)


def deserialize(config):
    """Rebuild a constraint from ``serialize``'s output (built-in or registered names)."""
    return from_config_or_registered(config, _BY_NAME, "constraint")


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
    return resolve(identifier, Constraint, _BY_NAME, "constraint",
                   "a name such as 'max_norm', a Constraint or a callable f(w) -> w", deserialize)


__all__ = ["Constraint", "MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm", "deserialize", "get",
           "max_norm", "min_max_norm", "non_neg", "serialize", "unit_norm"]
