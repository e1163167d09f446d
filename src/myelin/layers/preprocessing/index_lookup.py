"""IndexLookup: the vocabulary table behind StringLookup, IntegerLookup, TextVectorization.

Indices follow Keras 3: in ``"int"`` mode a ``mask_token`` takes index 0, then
``num_oov_indices`` out-of-vocabulary indices, then the vocabulary. ``adapt`` orders
the learned tokens by count, ties broken by the token, both descending (Keras's
``np.lexsort((tokens, counts))[::-1]``), and keeps the first ``max_tokens`` minus the
special ones. TF-IDF weights are ``log(1 + documents / (1 + documents with token))``,
the OOV weight being their mean.
"""

import collections
import itertools

import numpy as np

from .base import PreprocessingLayer, iterate_batches
from .encoding import encode
from .hashing_fn import hash_bucket

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")


class IndexLookup(PreprocessingLayer):
    """Map values to indices through a vocabulary (base of the lookup layers).

    Subclasses set ``_kind`` ("string"/"integer") and convert inputs in ``_values``.
    """

    _kind = "value"

    def __init__(self, max_tokens, num_oov_indices, mask_token, oov_token, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", pad_to_max_tokens=False,
                 sparse=False, **kwargs):
        where = type(self).__name__
        has_input_vocabulary = kwargs.pop("has_input_vocabulary", vocabulary is not None)
        output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
        if output_mode not in OUTPUT_MODES:
            raise ValueError(f"{where}: unknown output_mode {output_mode!r}; expected one of "
                             f"{OUTPUT_MODES}.")
        if max_tokens is not None and (not isinstance(max_tokens, (int, np.integer))
                                       or isinstance(max_tokens, bool) or max_tokens <= 1):
            raise ValueError(f"{where}: max_tokens must be None or an integer > 1, received "
                             f"{max_tokens!r}.")
        if not isinstance(num_oov_indices, (int, np.integer)) or num_oov_indices < 0:
            raise ValueError(f"{where}: num_oov_indices must be an integer >= 0, received "
                             f"{num_oov_indices!r}.")
        if invert and output_mode != "int":
            raise ValueError(f"{where}: invert=True needs output_mode='int', received "
                             f"output_mode={output_mode!r}.")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"{where}: pad_to_max_tokens=True needs max_tokens to be set.")
        if idf_weights is not None and output_mode != "tf_idf":
            raise ValueError(f"{where}: idf_weights is only used with output_mode='tf_idf', "
                             f"received output_mode={output_mode!r}.")
        if sparse:
            raise ValueError(f"{where}: sparse=True is not supported; outputs are dense.")
        super().__init__(**kwargs)
        self.max_tokens, self.num_oov_indices = max_tokens, int(num_oov_indices)
        self.mask_token, self.oov_token, self.invert = mask_token, oov_token, bool(invert)
        self.output_mode, self.pad_to_max_tokens = output_mode, pad_to_max_tokens
        self.sparse = False
        self._has_input_vocabulary = has_input_vocabulary
        self._tokens, self._index, self._idf = [], {}, None
        if vocabulary is not None:
            self.set_vocabulary(vocabulary, idf_weights)
            self._has_input_vocabulary = has_input_vocabulary  # False for a saved, adapted one
        elif output_mode == "tf_idf" and has_input_vocabulary:
            raise ValueError(f"{where}: output_mode='tf_idf' with a vocabulary needs "
                             f"idf_weights too.")

    # --- the index layout ------------------------------------------------------------

    def _oov_start(self):
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start(self):
        return self._oov_start() + self.num_oov_indices

    def vocabulary_size(self):
        """The number of indices: special tokens plus the vocabulary."""
        return self._token_start() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens=True):
        """The vocabulary in index order (mask and OOV tokens first, unless excluded).

        Example:
            >>> StringLookup(vocabulary=["a", "b"]).get_vocabulary()
            ['[UNK]', 'a', 'b']
        """
        if not include_special_tokens:
            return list(self._tokens)
        specials = [self.mask_token] * self._oov_start() + [self.oov_token] * self.num_oov_indices
        return specials + list(self._tokens)

    def _depth(self):
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    # --- setting and learning the vocabulary -----------------------------------------

    def _as_tokens(self, values, where):
        """A flat list of Python values of this layer's kind (subclasses check the dtype)."""
        return list(np.asarray(values).reshape(-1).tolist())

    def set_vocabulary(self, vocabulary, idf_weights=None):
        """Set the vocabulary (and TF-IDF weights) directly instead of adapting.

        Args:
            vocabulary: a list or 1-D array of unique tokens, or the path of a text file
                with one token per line. It may start with the special tokens as
                ``get_vocabulary()`` returns them.
            idf_weights: one weight per vocabulary entry (``output_mode="tf_idf"`` only).
        """
        where = f"{type(self).__name__} layer '{self.name}'"
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError(f"{where}: idf_weights must be set with output_mode='tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"{where}: idf_weights is only used with output_mode='tf_idf'.")
        if isinstance(vocabulary, str):
            with open(vocabulary, encoding="utf-8") as f:
                vocabulary = f.read().splitlines()
            while vocabulary and vocabulary[-1] == "":
                vocabulary.pop()
        tokens = self._as_tokens(getattr(vocabulary, "_data", vocabulary), where)
        specials = self.get_vocabulary()[:self._token_start()]
        found_specials = tokens[:len(specials)] == specials and bool(specials)
        if found_specials:
            tokens = tokens[len(specials):]
        for special, name in ((self.mask_token, "mask_token"), (self.oov_token, "oov_token")):
            if special is not None and special in tokens and (
                    name == "mask_token" or self.invert):
                raise ValueError(f"{where}: the vocabulary contains the {name} "
                                 f"{special!r} at index {tokens.index(special)}; special "
                                 f"tokens may only come first, as get_vocabulary() lists "
                                 f"them.")
        if len(set(tokens)) != len(tokens):
            seen = collections.Counter(tokens)
            repeated = [t for t, c in seen.items() if c > 1][:5]
            raise ValueError(f"{where}: the vocabulary repeats {repeated}; every token "
                             f"must be unique.")
        size = self._token_start() + len(tokens)
        if self.max_tokens is not None and size > self.max_tokens:
            raise ValueError(f"{where}: the vocabulary has {size} entries with the special "
                             f"tokens, more than max_tokens={self.max_tokens}.")
        if idf_weights is not None:
            idf = np.asarray(getattr(idf_weights, "_data", idf_weights), dtype=np.float64)
            given = len(tokens) + (len(specials) if found_specials else 0)
            if idf.ndim != 1 or len(idf) != given:
                raise ValueError(f"{where}: idf_weights must be 1-D with one weight per "
                                 f"vocabulary entry ({given}); received shape {idf.shape}.")
            if not found_specials:  # the OOV weight is the mean of the given ones
                idf = np.concatenate([np.full(self._token_start(), idf.mean()), idf])
            self._idf = idf
        self._set_tokens(tokens)
        self._has_input_vocabulary = True

    def _set_tokens(self, tokens):
        self._tokens = list(tokens)
        start = self._token_start()
        self._index = {t: i + start for i, t in enumerate(self._tokens)}

    def adapt(self, data, batch_size=None, steps=None):
        """Learn the vocabulary (and document frequencies) from data.

        Args:
            data: a Dataset of batches, an array or list of values, or an iterable of
                batches.
            batch_size: unused (Keras's signature).
            steps: how many batches to read at most (None: all).
        """
        where = f"{type(self).__name__} layer '{self.name}'"
        if self._has_input_vocabulary:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static "
                             f"vocabulary via the `vocabulary` argument or "
                             f"`set_vocabulary()`.")
        if isinstance(data, (np.ndarray, list, tuple)) and np.ndim(data) == 1:
            data = np.asarray(data).reshape(-1, 1)  # an array: one document per value
        batches = itertools.islice(iterate_batches(data, where), steps)
        self._learn(self._token_rows(batch, where) for batch in batches)

    def _learn(self, row_batches):
        """Count tokens over batches of token rows, then fix the vocabulary."""
        counts, doc_counts, documents = collections.Counter(), collections.Counter(), 0
        for rows in row_batches:
            for row in rows:
                counts.update(row)
            if self.output_mode == "tf_idf":
                for row in rows:
                    doc_counts.update(set(row))
                documents += len(rows)
        self._finalize(counts, doc_counts, documents)

    def _token_rows(self, batch, where):
        """One token list per document of ``batch`` (adapt's unit for TF-IDF)."""
        batch = np.asarray(batch)
        if batch.ndim == 0:
            batch = batch.reshape(1, 1)
        rows = batch.reshape(len(batch) if batch.ndim > 1 else 1, -1)
        return [self._as_tokens(r, where) for r in rows]

    def _finalize(self, counts, doc_counts, documents):
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        if not counts:
            return
        tokens = list(counts)
        order = sorted(range(len(tokens)), key=lambda i: (counts[tokens[i]], tokens[i]),
                       reverse=True)
        if self.max_tokens:
            order = order[:self.max_tokens - self._token_start()]
        chosen = [tokens[i] for i in order]
        if self.output_mode == "tf_idf":
            df = np.array([doc_counts[t] for t in chosen], dtype=np.float64)
            idf = np.log(1 + documents / (1 + df))
            self._idf = np.concatenate([np.full(self._token_start(), idf.mean()), idf])
        self._set_tokens(chosen)

    # --- looking up ------------------------------------------------------------------

    def _lookup_flat(self, values, where):
        """Indices of a flat list of values (masked values -> -1 outside int mode)."""
        get, oov = self._index.get, self._oov_start()
        mask_value = 0 if self.output_mode == "int" else -1
        out = np.empty(len(values), dtype=np.int64)
        missing = []
        for i, v in enumerate(values):
            if v == self.mask_token and self.mask_token is not None:
                out[i] = mask_value
                continue
            index = get(v)
            if index is None:
                missing.append(i)
                index = oov
            out[i] = index
        if missing and self.num_oov_indices == 0:
            bad = sorted({values[i] for i in missing}, key=str)[:5]
            raise ValueError(f"{where}: with num_oov_indices=0 all inputs must be in the "
                             f"vocabulary; found out-of-vocabulary values {bad}. Set "
                             f"num_oov_indices=1.")
        if missing and self.num_oov_indices > 1:
            missed = [values[i] for i in missing]
            if self._kind == "integer":  # Keras's default oov_method "floormod" for ints
                extra = np.mod(missed, self.num_oov_indices)
            else:  # tf.strings.to_hash_bucket_fast
                extra = hash_bucket(missed, self.num_oov_indices)
            out[missing] = oov + np.asarray(extra, dtype=np.int64)
        return out

    def _invert_flat(self, ids, where):
        vocab = self.get_vocabulary()
        ids = np.asarray(ids, dtype=np.int64)
        if ids.size and (ids.min() < 0 or ids.max() >= len(vocab)):
            bad = int(ids.max() if ids.max() >= len(vocab) else ids.min())
            raise ValueError(f"{where}: index {bad} is outside the vocabulary of size "
                             f"{len(vocab)}.")
        return np.array(vocab, dtype=object if self._kind == "integer" else str)[ids]

    def _encode_ids(self, ids, where):
        """The output of the lookup for int ids (an array or ragged rows)."""
        if self.output_mode == "int":
            return ids
        depth = self._depth()
        mode = "count" if self.output_mode == "tf_idf" else self.output_mode
        out = encode(ids, mode, depth, self.dtype, where=where)
        if self.output_mode == "tf_idf":
            idf = np.zeros(depth)
            idf[:len(self._idf)] = self._idf
            out = (out * idf).astype(self.dtype)
        return out

    def _compute(self, array):
        where = f"{type(self).__name__} layer '{self.name}'"
        if self.invert:
            return self._invert_flat(array, where).reshape(array.shape)
        flat = self._as_tokens(array, where)
        ids = self._lookup_flat(flat, where).reshape(array.shape)
        return self._encode_ids(ids, where)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        input_shape, depth = tuple(input_shape), self._depth()
        if self.output_mode == "one_hot":
            if len(input_shape) > 1 and input_shape[-1] == 1:
                return input_shape[:-1] + (depth,)
            return input_shape + (depth,)
        return input_shape[:-1] + (depth,)

    def get_config(self):
        vocabulary = self.get_vocabulary() if self._tokens or self._has_input_vocabulary \
            else None
        return {**super().get_config(), "max_tokens": self.max_tokens,
                "num_oov_indices": self.num_oov_indices, "mask_token": self.mask_token,
                "oov_token": self.oov_token, "invert": self.invert,
                "output_mode": self.output_mode, "pad_to_max_tokens": self.pad_to_max_tokens,
                "sparse": self.sparse, "vocabulary": vocabulary,
                "idf_weights": None if self._idf is None else self._idf.tolist(),
                "has_input_vocabulary": self._has_input_vocabulary}
