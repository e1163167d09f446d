"""``keras.backend``: the handful of names tutorials call on it."""

from ..backend import floatx, set_floatx
from ..layers.naming import clear_session


def epsilon():
    """The fuzz factor Keras adds to avoid dividing by zero (1e-7)."""
    return 1e-7


__all__ = ["clear_session", "epsilon", "floatx", "set_floatx"]
