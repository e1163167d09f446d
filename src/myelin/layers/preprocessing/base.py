"""The base of the preprocessing layers that run on NumPy arrays, strings included.

TextVectorization, StringLookup, IntegerLookup, CategoryEncoding and Hashing turn raw
values (often strings) into numbers. They have no trainable weights and no gradient,
so they work on plain NumPy arrays: a string batch is a NumPy array of ``str`` (what
``myelin.data.Dataset`` yields for string elements), wrapped in a Tensor only as a
container when it flows through a model.
"""

import numpy as np

from ...autodiff import Tensor
from ...graph import is_symbolic
from ...strings import decode_text
from ..layer import Layer


def raw_array(inputs):
    """``inputs`` (Tensor, NumPy array, list, scalar) as a NumPy array, strings kept."""
    if isinstance(inputs, Tensor):
        return inputs._data
    if isinstance(inputs, np.ndarray):
        return inputs
    array = np.asarray(inputs)
    if array.dtype.kind == "O":  # a list of Python strings mixed with None etc.
        try:
            array = array.astype(str)
        except (TypeError, ValueError):
            pass
    return array


def as_text(array, where):
    """``array`` as NumPy ``str`` (bytes decoded as UTF-8); other dtypes refused by name."""
    text = decode_text(array)
    if text is None:
        raise TypeError(f"{where} expects string inputs but received dtype {array.dtype} "
                        f"(shape {array.shape}). Pass the raw text, e.g. "
                        f"np.array(['a review', ...]), not numbers.")
    return text


def iterate_batches(data, where):
    """The batches of ``adapt`` data: a Dataset or iterable of batches, or one array."""
    from ...data import Dataset  # data sits above layers; import on use

    if isinstance(data, Dataset):
        for batch in data:
            if isinstance(batch, tuple):
                raise ValueError(f"{where}.adapt expects a dataset of inputs only but it "
                                 f"yields tuples of {len(batch)} (e.g. (text, label)). "
                                 f"Drop the labels first: ds.map(lambda x, y: x).")
            yield raw_array(batch)
        return
    if isinstance(data, (np.ndarray, Tensor, list, tuple, str, bytes)):
        yield raw_array(data)
        return
    if hasattr(data, "__iter__"):
        for batch in data:
            yield raw_array(batch)
        return
    raise TypeError(f"{where}.adapt expects a Dataset, an array or list of values, or an "
                    f"iterable of batches; received {type(data).__name__}.")


class PreprocessingLayer(Layer):
    """A layer computing on NumPy arrays (strings allowed), with no weights to train.

    Subclasses implement ``_compute(array) -> array`` and ``compute_output_shape``.

    Example:
        >>> class Upper(PreprocessingLayer):
        ...     def _compute(self, array):
        ...         return np.char.upper(array)
    """

    _autocast = False  # strings and integer ids stay as they are
    _accepts_strings = True  # fit/predict pass string arrays through to this layer

    def __init__(self, **kwargs):
        super().__init__(trainable=kwargs.pop("trainable", False), **kwargs)

    def __call__(self, inputs, *args, **kwargs):
        if is_symbolic(inputs):
            return super().__call__(inputs, *args, **kwargs)
        kwargs.pop("training", None)  # preprocessing does the same in training
        return self.call(inputs, *args, **kwargs)

    def call(self, inputs):
        """The layer on a batch: a Tensor (container) of the computed array."""
        array = raw_array(inputs)
        if not self.built:
            self._ensure_built(array.shape if array.ndim else (1,))
        return Tensor(self._compute(array))

    def _compute(self, array):  # subclasses
        raise NotImplementedError

    def _check_rank(self, shape):
        """Preprocessing layers take any rank (strings of shape (n,) or (n, 1))."""
