"""Turning integer ids into one-hot, multi-hot, count or TF-IDF vectors (Keras's rules).

Shared by CategoryEncoding and the lookup layers. A rank-0 input is one id; for
multi_hot / count a rank-1 input is one sample's ids and a rank-2 input a batch of
samples; one_hot adds an axis (dropping a trailing axis of 1). Negative ids (masked
tokens of the lookup layers) are left out.
"""

import numpy as np

from ...autodiff import Tensor
from .base import PreprocessingLayer, raw_array

MODES = ("one_hot", "multi_hot", "count")


def _bincount_rows(rows, depth, weights, dtype):
    """(len(rows), depth) counts of each row's ids (ids < 0 skipped)."""
    out = np.zeros((len(rows), depth), dtype=dtype)
    for i, row in enumerate(rows):
        row = np.asarray(row, dtype=np.int64)
        keep = row >= 0
        w = None if weights is None else np.asarray(weights[i])[keep]
        out[i] = np.bincount(row[keep], weights=w, minlength=depth)[:depth]
    return out


def check_ids(ids, depth, where):
    """Refuse ids outside ``[0, depth)`` (negative ids are masks, allowed)."""
    ids = np.asarray(ids)
    if ids.size and ids.max() >= depth:
        raise ValueError(f"{where}: input contains id {int(ids.max())} but num_tokens is "
                         f"{depth}, so ids must be in [0, {depth - 1}]. Raise num_tokens "
                         f"or map the values to ids first (IntegerLookup).")


def encode(ids, mode, depth, dtype="float32", count_weights=None, where="encode"):
    """Encode integer ids (an array, or a list of ragged rows) as ``mode`` vectors.

    Args:
        ids: integer array of rank 0, 1 or 2, or a list of 1-D id rows.
        mode: ``"one_hot"``, ``"multi_hot"`` or ``"count"``.
        depth: the length of each output vector.
        dtype: the output dtype.
        count_weights: optional weights of the same shape as ``ids`` for ``"count"``.
        where: the caller's name, for errors.

    Returns:
        A NumPy array.

    Example:
        >>> encode(np.array([[0, 1], [1, 1]]), "count", 3)
        array([[1., 1., 0.],
               [0., 2., 0.]], dtype=float32)
    """
    if isinstance(ids, list) and (not ids or not np.isscalar(ids[0])):
        check_ids(np.concatenate([np.asarray(r, np.int64) for r in ids] or [[0]]), depth,
                  where)
        out = _bincount_rows(ids, depth, count_weights if mode == "count" else None, dtype)
        return np.minimum(out, 1) if mode == "multi_hot" else out
    ids = np.asarray(ids)
    check_ids(ids, depth, where)
    if mode == "one_hot":
        if ids.ndim > 1 and ids.shape[-1] == 1:
            ids = ids[..., 0]
        out = np.zeros(ids.shape + (depth,), dtype=dtype)
        np.put_along_axis(out, np.maximum(ids, 0)[..., None], 1, axis=-1)
        return out * (ids >= 0)[..., None]
    if ids.ndim > 2:
        raise ValueError(f"{where}: {mode} encoding takes inputs of rank <= 2 (a batch of "
                         f"id lists); received shape {ids.shape}.")
    single = ids.ndim < 2
    rows = ids.reshape(1, -1) if single else ids
    weights = None
    if count_weights is not None and mode == "count":
        weights = np.asarray(count_weights).reshape(rows.shape)
    out = _bincount_rows(list(rows), depth, weights, dtype)
    if mode == "multi_hot":
        out = np.minimum(out, 1)
    return out[0] if single else out


class CategoryEncoding(PreprocessingLayer):
    """Encode integer ids as one-hot, multi-hot or count vectors (Keras's CategoryEncoding).

    Args:
        num_tokens: the number of ids; inputs must lie in ``[0, num_tokens)``.
        output_mode: ``"multi_hot"`` (default; ``"binary"`` is an alias), ``"one_hot"``
            or ``"count"``.
        sparse: must stay False (dense outputs only).
        **kwargs: ``name``, ``dtype`` (of the output, default float32).

    Example:
        >>> CategoryEncoding(num_tokens=4, output_mode="one_hot")([3, 2, 0, 1]).numpy()[0]
        array([0., 0., 0., 1.], dtype=float32)
    """

    def __init__(self, num_tokens=None, output_mode="multi_hot", sparse=False, **kwargs):
        if output_mode == "binary":
            output_mode = "multi_hot"
        if output_mode not in MODES:
            raise ValueError(f"CategoryEncoding: unknown output_mode {output_mode!r}; "
                             f"expected one of {MODES}.")
        if num_tokens is None or isinstance(num_tokens, bool) or not isinstance(
                num_tokens, (int, np.integer)) or num_tokens < 1:
            raise ValueError(f"CategoryEncoding: num_tokens must be an integer >= 1, "
                             f"received {num_tokens!r}. If the number of tokens is not "
                             f"known beforehand, use the IntegerLookup layer instead.")
        if sparse:
            raise ValueError("CategoryEncoding: sparse=True is not supported; myelin's "
                             "outputs are dense. Use sparse=False.")
        super().__init__(**kwargs)
        self.num_tokens, self.output_mode, self.sparse = int(num_tokens), output_mode, False

    def call(self, inputs, count_weights=None):
        """Encode a batch of ids; ``count_weights`` weighs each id in ``"count"`` mode."""
        ids = raw_array(inputs)
        if ids.dtype.kind not in "biuf" or (ids.dtype.kind == "f" and ids.size and not
                                            np.all(ids == np.round(ids))):
            raise TypeError(f"CategoryEncoding layer '{self.name}' expects integer ids but "
                            f"received dtype {ids.dtype}. Map values to ids first, e.g. "
                            f"with IntegerLookup or StringLookup.")
        if ids.size and ids.min() < 0:
            raise ValueError(f"CategoryEncoding layer '{self.name}': input contains "
                             f"negative id {int(ids.min())}; ids must be in "
                             f"[0, {self.num_tokens - 1}].")
        if count_weights is not None:
            count_weights = raw_array(count_weights)
            if self.output_mode != "count":
                raise ValueError(f"CategoryEncoding layer '{self.name}': count_weights "
                                 f"is only used with output_mode='count', not "
                                 f"{self.output_mode!r}.")
        return Tensor(encode(ids.astype(np.int64), self.output_mode, self.num_tokens,
                             self.dtype, count_weights, f"CategoryEncoding '{self.name}'"))

    def compute_output_shape(self, input_shape):
        input_shape = tuple(input_shape)
        if not input_shape:
            return (self.num_tokens,)
        if self.output_mode == "one_hot" and (input_shape[-1] != 1 or len(input_shape) == 1):
            return input_shape + (self.num_tokens,)
        return input_shape[:-1] + (self.num_tokens,)

    def get_config(self):
        return {**super().get_config(), "num_tokens": self.num_tokens,
                "output_mode": self.output_mode, "sparse": self.sparse}
