"""One seed for every random number generator a training run uses."""

import numbers
import random

import numpy as np

from .. import backend


def set_random_seed(seed):
    """Seed Python's ``random``, NumPy's global generator and myelin's Generator.

    Weight initialization, shuffling and dropout all draw from myelin's Generator,
    so the same seed makes a run bit-reproducible (Keras's
    ``keras.utils.set_random_seed``).

    Args:
        seed: a non-negative integer.

    Raises:
        ValueError: when ``seed`` is not a non-negative integer.

    Example:
        >>> set_random_seed(42)
    """
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"set_random_seed: expected a non-negative integer seed, "
                         f"received {seed!r}.")
    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed % 2**32)
    backend.set_seed(seed)
