"""TextVectorization: raw strings to token ids or token vectors (Keras 3's layer).

The layer standardizes each string, splits it into tokens, optionally forms n-grams,
and looks the tokens up in a vocabulary held by an inner StringLookup (mask token "",
OOV token "[UNK]"), exactly the composition Keras uses.
"""

import itertools

import numpy as np

from .base import PreprocessingLayer, as_text, iterate_batches, raw_array
from .lookup_layers import StringLookup
from .text_ops import SPLIT, STANDARDIZE, ngrams, split_text, standardize_text


def _check_option(value, allowed, name):
    if value is None or callable(value) or value in allowed:
        return
    raise ValueError(f"TextVectorization: {name} must be one of {allowed}, None or a "
                     f"callable; received {value!r}.")


class TextVectorization(PreprocessingLayer):
    """Map strings to integer sequences or to multi-hot / count / TF-IDF vectors.

    Args:
        max_tokens: the largest vocabulary size, including "" and "[UNK]" in int mode.
        standardize: ``"lower_and_strip_punctuation"`` (default), ``"lower"``,
            ``"strip_punctuation"``, None, or a callable on a NumPy array of strings.
        split: ``"whitespace"`` (default), ``"character"``, None, or a callable mapping
            one string to its tokens.
        ngrams: None, an int n (all 1..n-grams) or a tuple of n-gram widths.
        output_mode: ``"int"`` (default), ``"multi_hot"``, ``"count"`` or ``"tf_idf"``.
        output_sequence_length: in int mode, pad with 0 / truncate every row to this
            length (None: pad to the longest row of the batch).
        pad_to_max_tokens: in the vector modes, output ``max_tokens`` columns.
        vocabulary: a list of tokens or a file path (else call ``adapt``).
        idf_weights: TF-IDF weights for a given vocabulary.
        sparse, ragged: must stay False.
        encoding: UTF-8 only.
        **kwargs: ``name``.

    Example:
        >>> layer = TextVectorization(max_tokens=5, output_sequence_length=4)
        >>> layer.adapt(["the cat", "the dog"])
        >>> layer.get_vocabulary()
        ['', '[UNK]', 'the', 'dog', 'cat']
        >>> layer(np.array(["The cat sat"])).numpy()
        array([[2, 4, 1, 0]])
    """

    def __init__(self, max_tokens=None, standardize="lower_and_strip_punctuation",
                 split="whitespace", ngrams=None, output_mode="int",
                 output_sequence_length=None, pad_to_max_tokens=False, vocabulary=None,
                 idf_weights=None, sparse=False, ragged=False, encoding="utf-8", name=None,
                 **kwargs):
        _check_option(standardize, STANDARDIZE, "standardize")
        _check_option(split, SPLIT, "split")
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in ("int", "one_hot", "multi_hot", "count", "tf_idf"):
            raise ValueError(f"TextVectorization: unknown output_mode {output_mode!r}; "
                             f"expected 'int', 'multi_hot', 'count' or 'tf_idf'.")
        if isinstance(ngrams, list):  # a JSON config turns the tuple into a list
            ngrams = tuple(ngrams)
        if not (ngrams is None or (isinstance(ngrams, int) and ngrams >= 1) or (
                isinstance(ngrams, tuple) and ngrams
                and all(isinstance(n, int) and n >= 1 for n in ngrams))):
            raise ValueError(f"TextVectorization: ngrams must be None, a positive integer "
                             f"or a tuple of positive integers; received {ngrams!r}.")
        if output_mode != "int" and output_sequence_length is not None:
            raise ValueError(f"TextVectorization: output_sequence_length must not be set "
                             f"when output_mode is not 'int'; received "
                             f"output_sequence_length={output_sequence_length} with "
                             f"output_mode={output_mode!r}.")
        if output_sequence_length is not None and (
                not isinstance(output_sequence_length, int) or output_sequence_length < 1):
            raise ValueError(f"TextVectorization: output_sequence_length must be None or a "
                             f"positive integer; received {output_sequence_length!r}.")
        if sparse or ragged:
            raise ValueError("TextVectorization: sparse=True and ragged=True are not "
                             "supported; outputs are dense (padded) arrays.")
        vocabulary_size = kwargs.pop("vocabulary_size", None)  # Keras config key; derived
        del vocabulary_size
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        super().__init__(name=name, **kwargs)
        self._standardize, self._split, self._ngrams_arg = standardize, split, ngrams
        self._ngrams = tuple(range(1, ngrams + 1)) if isinstance(ngrams, int) else ngrams
        self._output_mode, self._output_sequence_length = output_mode, output_sequence_length
        self._lookup_layer = StringLookup(
            max_tokens=max_tokens, vocabulary=vocabulary, idf_weights=idf_weights,
            pad_to_max_tokens=pad_to_max_tokens, mask_token="", output_mode=output_mode,
            has_input_vocabulary=has_input_vocabulary, name=f"{self.name}_lookup")

    # --- vocabulary ------------------------------------------------------------------

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order ("" and "[UNK]" first in int mode)."""
        return self._lookup_layer.get_vocabulary(include_special_tokens)

    def vocabulary_size(self):
        """The number of indices, special tokens included."""
        return self._lookup_layer.vocabulary_size()

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and TF-IDF weights) instead of adapting."""
        self._lookup_layer.set_vocabulary(vocabulary, idf_weights)

    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary from a Dataset of string batches or an array/list of strings.

        Args:
            data: a Dataset (batched strings), an array or list of strings, or an
                iterable of string batches.
            batch_size: unused (Keras's signature).
            steps: how many batches to read at most (None: all).
        """
        where = f"TextVectorization layer '{self.name}'"
        if self._lookup_layer._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             f"vocabulary via the `vocabulary` argument or "
                             f"`set_vocabulary()`.")
        batches = itertools.islice(iterate_batches(data, where), steps)
        self._lookup_layer._learn(self._token_rows(batch) for batch in batches)

    # --- computing -------------------------------------------------------------------

    def _token_rows(self, array):
        """Standardized, split (and n-grammed) tokens: one list per string."""
        where = f"TextVectorization layer '{self.name}'"
        array = raw_array(array)
        if array.dtype.kind not in "USO":
            raise TypeError(f"{where} expects string inputs but received dtype "
                            f"{array.dtype} (shape {array.shape}). Pass raw text, e.g. "
                            f"np.array(['a great movie']), not numbers.")
        array = as_text(array, where)
        if array.ndim == 0:
            array = array.reshape(1)
        if self._split is not None and array.ndim > 1:
            if array.ndim > 2 or array.shape[-1] != 1:
                raise ValueError(f"{where}: to split strings, inputs must have rank 1 or a "
                                 f"last axis of 1, e.g. shape (batch,) or (batch, 1); "
                                 f"received shape {array.shape}.")
            array = array[:, 0]
        texts = standardize_text(array.reshape(-1).tolist(), self._standardize)
        if self._split is None:
            rows = [[t] for t in texts]
        else:
            rows = split_text(texts, self._split)
        if self._ngrams is not None:
            rows = [ngrams(r, self._ngrams) for r in rows]
        return rows

    def _compute(self, array):
        where = f"TextVectorization layer '{self.name}'"
        array = raw_array(array)
        rows = self._token_rows(array)
        lookup = self._lookup_layer
        ids = [lookup._lookup_flat(r, where) for r in rows]
        if self._output_mode != "int":
            return lookup._encode_ids(ids, where)
        if self._split is None and self._ngrams is None:
            return np.concatenate(ids).reshape(array.shape if array.ndim else (1,))
        length = self._output_sequence_length
        if length is None:
            length = max((len(r) for r in ids), default=0)
        out = np.zeros((len(ids), length), dtype=np.int64)
        for i, r in enumerate(ids):
            r = r[:length]
            out[i, :len(r)] = r
        return out

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if self._output_mode == "int":
            if self._split is None and self._ngrams is None:
                return input_shape
            return (input_shape[0] if input_shape else None, self._output_sequence_length)
        return (input_shape[0] if input_shape else None, self._lookup_layer._depth())

    # --- config ----------------------------------------------------------------------

    def get_config(self):
        def named(fn, option):
            if not callable(fn):
                return fn
            from ...saving import registry  # saving sits above layers; import on use

            try:
                return registry.serialize(fn)
            except ValueError:
                raise ValueError(f"TextVectorization layer '{self.name}': its {option} "
                                 f"function {getattr(fn, '__name__', fn)!r} cannot be saved "
                                 f"unless registered; decorate it with "
                                 f"@myelin.saving.register_serializable().") from None

        lookup = self._lookup_layer.get_config()
        return {**super().get_config(), "max_tokens": lookup["max_tokens"],
                "standardize": named(self._standardize, "standardize"),
                "split": named(self._split, "split"), "ngrams": self._ngrams_arg,
                "output_mode": self._output_mode,
                "output_sequence_length": self._output_sequence_length,
                "pad_to_max_tokens": lookup["pad_to_max_tokens"],
                "vocabulary": lookup["vocabulary"], "idf_weights": lookup["idf_weights"],
                "has_input_vocabulary": lookup["has_input_vocabulary"],
                "sparse": False, "ragged": False, "encoding": "utf-8"}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from ...saving import registry

        config = dict(config)
        for option in ("standardize", "split"):
            if isinstance(config.get(option), dict):  # a registered function
                config[option] = registry.deserialize(config[option], custom_objects)
        return cls(**config)
