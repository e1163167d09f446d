"""IMDB movie-review sentiment: 25,000 training and 25,000 test reviews as word indices.

Words are ranked by frequency ("the" is 1 in the word index); in the loaded
sequences they are shifted by ``index_from`` so that 0 (padding), 1 (start) and
2 (out-of-vocabulary) stay free.
"""

from __future__ import annotations

import itertools
import json

import numpy as np

from myelin.data.download import RemoteFile, get_file
from myelin.data.safe_npz import load_npz

_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"

IMDB_NPZ = RemoteFile(
    "imdb",
    "imdb.npz",
    _BASE + "imdb.npz",
    "69664113be75683a8fe16e3ed0ab59fda8886cb3cd7ada244f7d9544e4676b9f",
)
WORD_INDEX_JSON = RemoteFile(
    "imdb",
    "imdb_word_index.json",
    _BASE + "imdb_word_index.json",
    "027313fe9a320280f3bf0fac5baf58c4a683cf39a7ed9c3d3d3912bde4284cf6",
)
#: A 5,000/1,000-review slice already encoded with the 500 most frequent words.
#: It has no public URL: it must be pre-placed (MYELIN_DATASETS) or in the cache.
SUBSET_NPZ = RemoteFile(
    "imdb",
    "imdb_subset_500words.npz",
    None,
    "501999b1bee9ca01b59f91ffb7af227d0b98543b78bb4c4162dac96e600f18d4",
)


def load_data(
    path: str = "imdb.npz",
    num_words: int | None = None,
    skip_top: int = 0,
    maxlen: int | None = None,
    seed: int = 113,
    start_char: int | None = 1,
    oov_char: int | None = 2,
    index_from: int = 3,
    **kwargs,
):
    """Load the IMDB reviews exactly as ``keras.datasets.imdb.load_data`` does.

    Train and test are each shuffled with ``np.random.RandomState(seed)`` (one
    generator, train first), every review gets ``start_char`` in front and its
    word indices shifted by ``index_from``; reviews of ``maxlen`` tokens or more
    are dropped; indices outside ``[skip_top, num_words)`` become ``oov_char`` (or
    are removed when ``oov_char`` is None).

    Args:
        path: Name of the cached file (relative to the cache's ``imdb/``) or absolute.
        num_words: Keep only the ``num_words`` most frequent words; None keeps all.
        skip_top: Also map the ``skip_top`` most frequent indices to ``oov_char``.
        maxlen: Drop sequences whose length (start token included) is ``>= maxlen``.
        seed: Seed of the shuffle.
        start_char: Index marking the start of each review; None adds none.
        oov_char: Index replacing words cut by ``num_words``/``skip_top``.
        index_from: Offset added to every word index.
        **kwargs: Accepted for Keras compatibility and ignored.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: ``x`` are 1-D object arrays of
        lists of ints, ``y`` int64 arrays of 0/1 labels.

    Raises:
        ValueError: ``maxlen`` filters out every review of a split.
    """
    data = load_npz(get_file(IMDB_NPZ, path=path))
    rng = np.random.RandomState(seed)
    splits = []
    for name in ("train", "test"):
        x, y = data[f"x_{name}"], data[f"y_{name}"]
        order = np.arange(len(x))
        rng.shuffle(order)
        splits.append((_Ragged.from_lists(x[order], start_char, index_from), y[order]))
    if maxlen:
        splits = [(x.select(x.lengths < maxlen), y[x.lengths < maxlen]) for x, y in splits]
        if not all(len(x.lengths) for x, _ in splits):
            raise ValueError(
                f"imdb.load_data: no review is shorter than maxlen={maxlen}; increase maxlen."
            )
    if not num_words:
        # As Keras does: the largest index seen, which itself then becomes OOV.
        num_words = max(int(x.values.max(initial=0)) for x, _ in splits)
    return tuple((x.clip(skip_top, num_words, oov_char).to_object_array(), y) for x, y in splits)


def get_word_index(path: str = "imdb_word_index.json") -> dict[str, int]:
    """Return Keras's word -> frequency rank map (88,584 words, "the" is 1).

    The ranks are not shifted: add ``index_from`` (3) to match loaded sequences.

    Args:
        path: Name of the cached file (relative to the cache's ``imdb/``) or absolute.
    """
    with open(get_file(WORD_INDEX_JSON, path=path), encoding="utf-8") as f:
        return json.load(f)


def load_subset(path: str = "imdb_subset_500words.npz"):
    """Load the small IMDB slice used by fast tests and examples.

    5,000 training and 1,000 test reviews from Keras's encoding (1 = start,
    2 = out-of-vocabulary, words offset by 3) keeping the 500 most frequent words,
    i.e. what ``load_data(num_words=500)`` encodes, without the 17 MB download.
    Not shuffled again: the file's order is returned.

    Args:
        path: Name of the cached file (relative to the cache's ``imdb/``) or absolute.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` like :func:`load_data`.
    """
    data = load_npz(get_file(SUBSET_NPZ, path=path))
    return (data["arr_0"], data["arr_1"]), (data["arr_2"], data["arr_3"])


class _Ragged:
    """Sequences as one flat int64 array plus lengths, so the index arithmetic runs
    in NumPy over all ~6 million tokens at once instead of word by word in Python."""

    def __init__(self, values: np.ndarray, lengths: np.ndarray):
        self.values, self.lengths = values, lengths

    @classmethod
    def from_lists(cls, seqs, start_char: int | None, index_from: int) -> _Ragged:
        lengths = np.fromiter(map(len, seqs), np.int64, count=len(seqs))
        values = np.fromiter(itertools.chain.from_iterable(seqs), np.int64, int(lengths.sum()))
        values += index_from
        if start_char is not None:
            values = np.insert(values, np.cumsum(lengths) - lengths, start_char)
            lengths = lengths + 1
        return cls(values, lengths)

    def select(self, keep: np.ndarray) -> _Ragged:
        return _Ragged(self.values[np.repeat(keep, self.lengths)], self.lengths[keep])

    def clip(self, skip_top: int, num_words: int, oov_char: int | None) -> _Ragged:
        inside = (self.values >= skip_top) & (self.values < num_words)
        if oov_char is not None:
            return _Ragged(np.where(inside, self.values, oov_char), self.lengths)
        segment = np.repeat(np.arange(len(self.lengths)), self.lengths)
        return _Ragged(
            self.values[inside], np.bincount(segment[inside], minlength=len(self.lengths))
        )

    def to_object_array(self) -> np.ndarray:
        # Keras hands out Python lists of ints; one tolist() then slicing is the fast way.
        flat, bounds = self.values.tolist(), np.cumsum(self.lengths).tolist()
        out = np.empty(len(self.lengths), dtype=object)
        for i, (lo, hi) in enumerate(zip([0, *bounds], bounds, strict=False)):
            out[i] = flat[lo:hi]
        return out
