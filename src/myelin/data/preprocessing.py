"""Array preprocessing with Keras's semantics: padding, one-hot, normalization, splits."""

from __future__ import annotations

import functools
import math
import numbers
import os

import numpy as np

from myelin import backend
from myelin.data.download import CACHE_ENV, DATASETS_ENV


def pad_sequences(
    sequences, maxlen=None, dtype="int32", padding="pre", truncating="pre", value=0.0
):
    """Pad (and truncate) a list of sequences into one 2-D array, as Keras does.

    Args:
        sequences: A list (or array) of sequences, each a list or array of values.
        maxlen: Length of the output rows; defaults to the longest sequence.
        dtype: Output dtype; use ``object`` for variable-length strings.
        padding: ``"pre"`` or ``"post"``: pad before or after each sequence.
        truncating: ``"pre"`` or ``"post"``: drop values from the start or the end
            of sequences longer than ``maxlen``.
        value: The padding value.

    Returns:
        An array of shape ``(len(sequences), maxlen) + sample_shape``.

    Example:
        >>> pad_sequences([[1], [2, 3], [4, 5, 6]], maxlen=2, padding="post")
        array([[1, 0],
               [2, 3],
               [5, 6]], dtype=int32)
    """
    for name, given in (("padding", padding), ("truncating", truncating)):
        if given not in ("pre", "post"):
            raise ValueError(f"pad_sequences: {name} must be 'pre' or 'post', received {given!r}.")
    if not hasattr(sequences, "__len__"):
        raise ValueError(
            f"pad_sequences: sequences must be a list of sequences, received "
            f"{type(sequences).__name__}."
        )
    lengths, sample_shape = _lengths_and_sample_shape(sequences)
    if maxlen is None:
        maxlen = max(lengths, default=0)
    elif not isinstance(maxlen, numbers.Integral) or maxlen < 0:
        raise ValueError(f"pad_sequences: maxlen must be a non-negative int, received {maxlen!r}.")
    maxlen = int(maxlen)
    is_text = np.issubdtype(dtype, np.str_) or np.issubdtype(dtype, np.bytes_)
    if isinstance(value, str) and dtype is not object and not is_text:
        raise ValueError(
            f"pad_sequences: dtype {dtype!r} cannot hold the string padding value {value!r}; "
            "use dtype=object for variable-length strings."
        )
    out = np.full((len(sequences), maxlen) + sample_shape, value, dtype=dtype)
    for i, seq in enumerate(sequences):
        if not len(seq) or not maxlen:
            continue
        part = seq[-maxlen:] if truncating == "pre" else seq[:maxlen]
        try:
            kept = np.asarray(part, dtype=dtype)
        except (ValueError, TypeError):
            raise ValueError(
                f"pad_sequences: sequence {i} holds {_first_bad(part, dtype)!r}, which is not a "
                f"{np.dtype(dtype).name} value. pad_sequences pads sequences of integer ids: "
                f"turn words into ids first (e.g. layers.TextVectorization or a word index), or "
                f"pass dtype=object to pad sequences of strings."
            ) from None
        if kept.shape[1:] != sample_shape:
            raise ValueError(
                f"pad_sequences: sequence {i} has elements of shape {kept.shape[1:]}, expected "
                f"{sample_shape} like the first non-empty sequence."
            )
        if padding == "post":
            out[i, : len(kept)] = kept
        else:
            out[i, maxlen - len(kept) :] = kept
    return out


def _first_bad(sequence, dtype):
    """The first element of ``sequence`` that ``dtype`` cannot hold."""
    for element in sequence:
        try:
            np.asarray(element, dtype=dtype)
        except (ValueError, TypeError):
            return element
    return sequence


def _lengths_and_sample_shape(sequences) -> tuple[list[int], tuple]:
    lengths, sample_shape = [], None
    for i, seq in enumerate(sequences):
        try:
            lengths.append(len(seq))
        except TypeError:
            raise ValueError(
                f"pad_sequences: every entry must be a sequence, but entry {i} is "
                f"{type(seq).__name__} {seq!r}."
            ) from None
        if sample_shape is None and len(seq):
            # Later sequences must match the element shape of the first non-empty one.
            sample_shape = np.asarray(seq).shape[1:]
    return lengths, sample_shape or ()


def to_categorical(x, num_classes=None):
    """Convert integer class labels to one-hot rows, as ``keras.utils.to_categorical``.

    A trailing axis of size 1 is dropped first, so labels of shape ``(n, 1)`` give
    ``(n, num_classes)``. Unlike Keras (float64), the result is float32, the
    library's default float.

    Args:
        x: Array-like of integer labels in ``[0, num_classes)``.
        num_classes: Number of classes; defaults to ``max(x) + 1``.

    Returns:
        A float32 array of shape ``x.shape + (num_classes,)``.
    """
    labels = np.asarray(x)
    if labels.dtype.kind not in "iub" and not (
        labels.dtype.kind == "f" and np.all(np.mod(labels, 1) == 0)
    ):
        raise ValueError(
            f"to_categorical: expected integer class labels, received dtype {labels.dtype}."
        )
    if num_classes is not None and not (isinstance(num_classes, numbers.Integral)
                                        and not isinstance(num_classes, bool)
                                        and num_classes >= 1):
        raise ValueError(f"to_categorical: num_classes must be a positive int or None, "
                         f"received {num_classes!r}.")
    labels = labels.astype(np.int64)
    shape = labels.shape[:-1] if labels.ndim > 1 and labels.shape[-1] == 1 else labels.shape
    flat = labels.reshape(-1)
    if num_classes is None:
        if not flat.size:
            raise ValueError("to_categorical: cannot infer num_classes from empty labels.")
        num_classes = int(flat.max()) + 1
    if flat.size and (flat.min() < 0 or flat.max() >= num_classes):
        raise ValueError(
            f"to_categorical: labels must lie in [0, {num_classes}) for num_classes="
            f"{num_classes}, received values from {flat.min()} to {flat.max()}."
        )
    out = np.zeros((flat.size, num_classes), dtype=np.float32)
    out[np.arange(flat.size), flat] = 1.0
    return out.reshape(shape + (num_classes,))


def normalize(x, axis=-1, order=2):
    """Scale ``x`` to unit ``order``-norm along ``axis`` (zero vectors are left as zeros).

    Args:
        x: Array to normalize; integer input gives float32 output.
        axis: Axis along which to normalize.
        order: Norm order, as ``np.linalg.norm``'s ``ord`` (2 for L2).

    Returns:
        A normalized copy of ``x``, of the same shape.
    """
    x = np.asarray(x)
    _check_normalize_args(x, axis, order)
    if x.dtype.kind != "f":
        x = x.astype(backend.floatx())
    norm = np.linalg.norm(x, order, axis, keepdims=True)
    norm[norm == 0] = 1
    # keepdims keeps a 1-D input 1-D (Keras returns shape (1, n) for it).
    return x / norm


def _check_normalize_args(x, axis, order):
    if x.dtype.kind not in "biuf":
        raise TypeError(f"normalize: x must hold real numbers, received dtype {x.dtype}.")
    if x.ndim == 0:
        raise ValueError(f"normalize: x must have at least one axis, received the scalar "
                         f"{x!r}; wrap it in a list.")
    if not (isinstance(axis, numbers.Integral) and not isinstance(axis, bool)
            and -x.ndim <= axis < x.ndim):
        raise ValueError(f"normalize: axis must be an int in [{-x.ndim}, {x.ndim}) for x of "
                         f"shape {x.shape}, received axis={axis!r}.")
    is_int = isinstance(order, numbers.Integral) and not isinstance(order, bool)
    if not ((is_int and order >= 1) or (isinstance(order, float) and order == np.inf)):
        raise ValueError(f"normalize: order must be an int >= 1 or np.inf (a norm), "
                         f"received order={order!r}.")


def train_test_split(x, y=None, test_size=0.25, shuffle=True, seed=None):
    """Split arrays into train and test parts, like scikit-learn's function.

    Args:
        x: Samples (array, or list) indexed along the first axis.
        y: Optional targets with as many entries as ``x``.
        test_size: Fraction of samples in ``(0, 1)`` (rounded up) or a count.
        shuffle: Shuffle an index before splitting; otherwise the test part is the tail.
        seed: Seed of the shuffle; None uses the library Generator
            (``myelin.utils.set_random_seed``).

    Returns:
        ``x_train, x_test, y_train, y_test``, or ``x_train, x_test`` without ``y``.
    """
    for name, part in (("x", x), ("y", y)):
        if part is not None and not isinstance(part, list) and np.ndim(part) == 0:
            raise ValueError(f"train_test_split: {name} must have a samples axis, received "
                             f"{type(part).__name__} {part!r}.")
    n = len(x)
    if y is not None and len(y) != n:
        raise ValueError(f"train_test_split: x has {n} samples but y has {len(y)}.")
    if isinstance(test_size, float) and 0.0 < test_size < 1.0:
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    else:
        raise ValueError(
            f"train_test_split: test_size must be a float in (0, 1) or an int, "
            f"received {test_size!r}."
        )
    if not 0 < n_test < n:
        raise ValueError(
            f"train_test_split: test_size={test_size!r} leaves {n_test} of {n} samples for "
            "testing; both parts need at least one sample."
        )
    if shuffle:
        rng = backend.rng() if seed is None else np.random.default_rng(seed)
        order = rng.permutation(n)
        test_idx, train_idx = order[:n_test], order[n_test:]
    else:
        train_idx, test_idx = np.arange(n - n_test), np.arange(n - n_test, n)
    parts = (x,) if y is None else (x, y)
    return tuple(_take(a, idx) for a in parts for idx in (train_idx, test_idx))


def _take(a, idx: np.ndarray):
    # Lists stay lists (IMDB reviews are ragged); anything array-like is indexed directly.
    return [a[i] for i in idx] if isinstance(a, list) else np.asarray(a)[idx]


def decode_review(sequence, word_index=None):
    """Turn an IMDB index sequence back into words, as the IMDB tutorial does.

    Indices are Keras's default encoding (``index_from=3``): 0 ``<PAD>``,
    1 ``<START>``, 2 ``<UNK>``, 3 ``<UNUSED>``; unknown indices print as ``?``.

    Args:
        sequence: A review as a list or array of ints (padded rows work too).
        word_index: The raw word -> rank map of ``imdb.get_word_index()``;
            loaded (once) when omitted.

    Returns:
        The review as one space-separated string.
    """
    if word_index is None:
        reverse = _default_reverse_index(os.environ.get(DATASETS_ENV), os.environ.get(CACHE_ENV))
    else:
        reverse = _reverse_index(word_index)
    return " ".join(reverse.get(int(i), "?") for i in sequence)


def _reverse_index(word_index: dict) -> dict[int, str]:
    shifted = {word: rank + 3 for word, rank in word_index.items()}
    shifted.update({"<PAD>": 0, "<START>": 1, "<UNK>": 2, "<UNUSED>": 3})
    return {index: word for word, index in shifted.items()}


@functools.lru_cache(maxsize=4)
def _default_reverse_index(_datasets_dir, _cache_dir) -> dict[int, str]:
    # Keyed by the environment so a changed MYELIN_DATASETS is honoured.
    from myelin.data.datasets import imdb

    return _reverse_index(imdb.get_word_index())
