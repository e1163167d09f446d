"""Utilities: seeding and session reset and Keras's data helpers.

Example:
    >>> from myelin import utils
    >>> utils.set_random_seed(0)
"""

from ..data.preprocessing import normalize, pad_sequences, to_categorical
from ..data.py_dataset import PyDataset, Sequence
from ..layers.naming import clear_session
from .random_seed import set_random_seed

__all__ = ["PyDataset", "Sequence", "clear_session", "normalize", "pad_sequences",
           "set_random_seed", "to_categorical"]
