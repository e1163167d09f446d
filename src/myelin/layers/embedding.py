"""Embedding: turns integer ids (word indices) into dense vectors of fixed size."""

import numpy as np

from .. import constraints, regularizers
from ..ops import fused
from .core import serialize_initializer, weight_options
from .layer import Layer


def _positive_int(value, arg, where):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value <= 0:
        raise ValueError(f"{where}: `{arg}` must be a positive integer, received {value!r}.")
    return int(value)


class Embedding(Layer):
    """Looks up row ``i`` of a trainable ``(input_dim, output_dim)`` table for each id ``i``.

    Args:
        input_dim: size of the vocabulary: ids must be in ``[0, input_dim)``.
        output_dim: length of each vector.
        embeddings_initializer: initializer of the table (default ``"uniform"``:
            uniform in [-0.05, 0.05], as Keras).
        mask_zero: treat id 0 as padding: the layer then outputs a mask that
            mask-aware layers downstream (GlobalAveragePooling1D) use to skip it.
        embeddings_regularizer: a penalty on the table (e.g. ``regularizers.l2(1e-4)``).
        embeddings_constraint: a projection of the table after each update.
        activity_regularizer: a penalty on the output vectors.

    Input shape:
        ``(batch, sequence_length)`` integers.

    Output shape:
        ``(batch, sequence_length, output_dim)``.

    Example:
        >>> Embedding(10000, 16)(np.array([[1, 2, 3]])).shape
        (1, 3, 16)
    """

    _autocast = False  # ids stay integers

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 mask_zero=False, embeddings_regularizer=None, embeddings_constraint=None,
                 **kwargs):
        super().__init__(**kwargs)
        where = f"Embedding layer '{self.name}'"
        self.input_dim = _positive_int(input_dim, "input_dim", where)
        self.output_dim = _positive_int(output_dim, "output_dim", where)
        self.embeddings_initializer = embeddings_initializer
        self.mask_zero = bool(mask_zero)
        self.embeddings_regularizer, = weight_options(
            self, regularizers, embeddings_regularizer=embeddings_regularizer)
        self.embeddings_constraint, = weight_options(
            self, constraints, embeddings_constraint=embeddings_constraint)
        self.supports_masking = self.mask_zero
        self.embeddings = None

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(
            shape=(self.input_dim, self.output_dim), name="embeddings",
            initializer=self.embeddings_initializer, regularizer=self.embeddings_regularizer,
            constraint=self.embeddings_constraint)

    def _validate_data(self, x, where):
        if x.dtype.kind == "f" and np.any(x != np.floor(x)):
            raise TypeError(f"{where}: Embedding layer '{self.name}' takes integer ids, but x "
                            f"holds non-integer values such as {x[x != np.floor(x)][0]}.")
        low, high = x.min(), x.max()
        if low < 0 or high >= self.input_dim:
            bad = low if low < 0 else high
            index = tuple(int(i) for i in np.argwhere(x == bad)[0])
            if x.dtype.kind == "f" and float(bad).is_integer():
                bad = int(bad)  # ids given as floats: say 60, not 60.0
            raise ValueError(
                f"{where}: x contains the id {bad} at index {index}, but Embedding layer "
                f"'{self.name}' has input_dim={self.input_dim}, so ids must be in "
                f"[0, {self.input_dim}). Raise input_dim to the vocabulary size or limit "
                f"the ids (e.g. num_words=...).")

    def call(self, inputs):
        return fused.embedding_lookup(self.embeddings, inputs,
                                      where=f"Embedding layer '{self.name}'")

    def compute_mask(self, inputs, mask=None):
        if not self.mask_zero:
            return None
        return np.asarray(inputs._data if hasattr(inputs, "_data") else inputs) != 0

    def compute_output_shape(self, input_shape):
        return tuple(input_shape) + (self.output_dim,)

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim, "mask_zero": self.mask_zero,
                "embeddings_initializer": serialize_initializer(self.embeddings_initializer),
                "embeddings_regularizer": regularizers.serialize(self.embeddings_regularizer),
                "embeddings_constraint": constraints.serialize(self.embeddings_constraint)}
