"""Initializers that fill with one value: Zeros, Ones, Constant."""

import numpy as np

from .. import backend
from .initializer import Initializer, standardize_shape


class Constant(Initializer):
    """Fills the array with ``value``.

    Args:
        value: a Python number.

    Example:
        >>> Constant(0.5)((2,))
        array([0.5, 0.5], dtype=float32)
    """

    def __init__(self, value=0.0):
        if not np.isscalar(value):
            raise ValueError(
                f"Constant: value must be a scalar number, received {value!r}. "
                f"For a whole array, assign it to the weight with set_weights()."
            )
        self.value = value

    def __call__(self, shape, dtype=None):
        shape = standardize_shape(shape, type(self).__name__)
        return np.full(shape, self.value, dtype=np.dtype(dtype or backend.floatx()))

    def get_config(self):
        return {"value": self.value}


class Zeros(Constant):
    """Fills the array with 0 (the Keras default for biases)."""

    def __init__(self):
        super().__init__(0.0)

    def get_config(self):
        return {}


class Ones(Constant):
    """Fills the array with 1."""

    def __init__(self):
        super().__init__(1.0)

    def get_config(self):
        return {}
