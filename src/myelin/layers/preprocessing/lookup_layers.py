"""StringLookup and IntegerLookup: vocabulary lookups with Keras 3's defaults."""

import numpy as np

from .base import as_text
from .index_lookup import IndexLookup


class StringLookup(IndexLookup):
    """Map strings to integer indices (or encoded vectors) through a vocabulary.

    Args:
        max_tokens: the largest vocabulary size, special tokens included (None: no limit).
        num_oov_indices: indices for out-of-vocabulary strings (default 1; more than one
            hashes OOV strings with FarmHash as Keras does).
        mask_token: a string mapped to index 0 in ``"int"`` mode (default None).
        oov_token: the vocabulary entry shown for OOV indices (default ``"[UNK]"``).
        vocabulary: a list/array of strings or a text file path (else call ``adapt``).
        idf_weights: TF-IDF weights for a given vocabulary (``output_mode="tf_idf"``).
        invert: map indices back to strings.
        output_mode: ``"int"`` (default), ``"one_hot"``, ``"multi_hot"``, ``"count"``
            or ``"tf_idf"``.
        pad_to_max_tokens: in the vector modes, output ``max_tokens`` columns.
        sparse: must stay False.
        encoding: text encoding of bytes inputs (UTF-8).
        **kwargs: ``name``, ``dtype``.

    Example:
        >>> layer = StringLookup(vocabulary=["a", "b", "c", "d"])
        >>> layer(np.array([["a", "c", "d"], ["d", "z", "b"]])).numpy()
        array([[1, 3, 4],
               [4, 0, 2]])
    """

    _kind = "string"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token="[UNK]",
                 vocabulary=None, idf_weights=None, invert=False, output_mode="int",
                 pad_to_max_tokens=False, sparse=False, encoding="utf-8", **kwargs):
        if encoding.lower().replace("-", "") != "utf8":
            raise ValueError(f"StringLookup: only encoding='utf-8' is supported, received "
                             f"{encoding!r}.")
        self.encoding = "utf-8"
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         idf_weights, invert, output_mode, pad_to_max_tokens, sparse,
                         **kwargs)

    def _as_tokens(self, values, where):
        return as_text(np.asarray(values), where).reshape(-1).tolist()

    def get_config(self):
        return {**super().get_config(), "encoding": self.encoding}


class IntegerLookup(IndexLookup):
    """Map integers to contiguous indices (or encoded vectors) through a vocabulary.

    Args:
        max_tokens: the largest vocabulary size, special tokens included.
        num_oov_indices: indices for out-of-vocabulary values (default 1).
        mask_token: an integer mapped to index 0 in ``"int"`` mode (default None).
        oov_token: the vocabulary entry shown for OOV indices (default -1).
        vocabulary: a list/array of integers or a text file path (else ``adapt``).
        vocabulary_dtype: ``"int64"`` (Keras's default) or ``"int32"``.
        idf_weights, invert, output_mode, pad_to_max_tokens, sparse: as StringLookup.
        **kwargs: ``name``, ``dtype``.

    Example:
        >>> IntegerLookup(vocabulary=[12, 36, 1138, 42])(np.array([12, 1000, 42])).numpy()
        array([1, 0, 4])
    """

    _kind = "integer"

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=-1,
                 vocabulary=None, vocabulary_dtype="int64", idf_weights=None, invert=False,
                 output_mode="int", sparse=False, pad_to_max_tokens=False, **kwargs):
        if vocabulary_dtype not in ("int64", "int32"):
            raise ValueError(f"IntegerLookup: vocabulary_dtype must be 'int64' or 'int32', "
                             f"received {vocabulary_dtype!r}.")
        self.vocabulary_dtype = vocabulary_dtype
        super().__init__(max_tokens, num_oov_indices, mask_token, oov_token, vocabulary,
                         idf_weights, invert, output_mode, pad_to_max_tokens, sparse,
                         **kwargs)

    def _as_tokens(self, values, where):
        array = np.asarray(values)
        if array.dtype.kind == "f" and np.all(array == np.round(array)):
            array = array.astype(np.int64)
        if array.dtype.kind not in "iu":
            raise TypeError(f"{where} expects integer inputs but received dtype "
                            f"{array.dtype}. Use StringLookup for strings.")
        return array.reshape(-1).tolist()

    def get_config(self):
        return {**super().get_config(), "vocabulary_dtype": self.vocabulary_dtype}
