"""Weight initializers with Keras 3's classes, defaults and snake_case aliases.

Example:
    >>> from myelin import initializers
    >>> initializers.get("glorot_uniform")((784, 10)).shape
    (784, 10)
"""

from .._lookup import from_config, resolve, snake_case, to_config
from .constant import Constant, Ones, Zeros
from .initializer import Initializer, compute_fans
from .orthogonal import Orthogonal
from .random import (
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
    VarianceScaling,
)

_CLASSES = (
    Constant, Zeros, Ones, RandomNormal, RandomUniform, TruncatedNormal, VarianceScaling,
    GlorotUniform, GlorotNormal, HeNormal, HeUniform, LecunNormal, LecunUniform, Orthogonal,
)
_BY_NAME = {c.__name__: c for c in _CLASSES} | {snake_case(c.__name__): c for c in _CLASSES}
# Keras 3's short names (Embedding's default is "uniform")
_BY_NAME |= {"uniform": RandomUniform, "normal": RandomNormal, "one": Ones, "zero": Zeros}

# Keras's lowercase function-style aliases, e.g. initializers.glorot_uniform(seed=1)
constant, zeros, ones = Constant, Zeros, Ones
random_normal, random_uniform, truncated_normal = RandomNormal, RandomUniform, TruncatedNormal
variance_scaling, glorot_uniform, glorot_normal = VarianceScaling, GlorotUniform, GlorotNormal
he_normal, he_uniform, lecun_normal, lecun_uniform = HeNormal, HeUniform, LecunNormal, LecunUniform
orthogonal = Orthogonal


def serialize(initializer):
    """``{"class_name": ..., "config": ...}`` for a built-in initializer."""
    return to_config(initializer)


def deserialize(config):
    """Rebuild an initializer from ``serialize``'s output (built-in classes only)."""
    return from_config(config, _BY_NAME, "initializer")


def get(identifier):
    """Resolve an initializer from a name, class, instance, config dict or callable.

    Args:
        identifier: ``"glorot_uniform"`` / ``"GlorotUniform"``, a class (instantiated
            with its defaults), an instance, a ``serialize`` dict, a function
            ``f(shape, dtype=None)``, or None.

    Returns:
        A callable ``f(shape, dtype=None)`` returning a NumPy array, or None.

    Raises:
        ValueError: for an unknown name, with the closest known name.
    """
    return resolve(identifier, Initializer, _BY_NAME, "initializer",
                   "a name, an Initializer or a callable", deserialize)

__all__ = [
    "Constant", "GlorotNormal", "GlorotUniform", "HeNormal", "HeUniform", "Initializer",
    "LecunNormal", "LecunUniform", "Ones", "Orthogonal", "RandomNormal", "RandomUniform",
    "TruncatedNormal", "VarianceScaling", "Zeros", "compute_fans", "constant",
    "deserialize", "get", "glorot_normal", "glorot_uniform", "he_normal", "he_uniform",
    "lecun_normal", "lecun_uniform", "ones", "orthogonal", "random_normal", "random_uniform",
    "serialize", "truncated_normal", "variance_scaling", "zeros",
]
