"""Utilities: seeding and session reset and Keras's data helpers.

Example:
    >>> from myelin import utils
    >>> utils.set_random_seed(0)
"""

from ..data.preprocessing import normalize, pad_sequences, to_categorical
from ..data.py_dataset import PyDataset, Sequence
from ..layers.naming import clear_session
from .random_seed import set_random_seed


def plot_model(model, to_file="model.png", **kwargs):
    """Draw the layer graph of ``model`` (``keras.utils.plot_model``; needs matplotlib).

    See ``myelin.plot.plot_model`` for the options (show_shapes, rankdir, expand_nested...).
    """
    from ..plot import plot_model as draw  # matplotlib is imported only when drawing

    return draw(model, to_file=to_file, **kwargs)


__all__ = [
    "PyDataset", "Sequence", "clear_session", "normalize", "pad_sequences", "plot_model",
    "set_random_seed", "to_categorical",
]
