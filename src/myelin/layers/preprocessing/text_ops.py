"""TextVectorization's string steps: standardize, split and n-grams, as TensorFlow does.

Keras 3 runs these with ``tf.strings``: ``lower`` changes ASCII letters only,
punctuation is the ASCII set of ``string.punctuation``, and ``split="whitespace"``
splits on runs of ASCII whitespace, dropping empty pieces. The same rules here keep
vocabularies identical for non-ASCII text.
"""

import re

import numpy as np

from ...strings import ascii_lower

# tf.strings.regex_replace(inputs, r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']', "")
_PUNCTUATION = re.compile(r'[!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\']')
_ASCII_SPACE = re.compile(r"[ \t\n\v\f\r]+")

STANDARDIZE = ("lower_and_strip_punctuation", "lower", "strip_punctuation")
SPLIT = ("whitespace", "character")


def standardize_text(texts, standardize):
    """Standardize a flat list of strings with a named mode, None, or a callable.

    Args:
        texts: list of ``str``.
        standardize: ``"lower_and_strip_punctuation"``, ``"lower"``,
            ``"strip_punctuation"``, None, or a callable taking and returning a NumPy
            array of strings.

    Returns:
        A list of ``str``.

    Example:
        >>> standardize_text(["Hello, World!"], "lower_and_strip_punctuation")
        ['hello world']
    """
    if standardize in ("lower", "lower_and_strip_punctuation"):
        texts = [ascii_lower(t) for t in texts]
    if standardize in ("strip_punctuation", "lower_and_strip_punctuation"):
        texts = [_PUNCTUATION.sub("", t) for t in texts]
    if callable(standardize):
        out = standardize(np.array(texts, dtype=str))
        out = getattr(out, "_data", out)  # a Tensor container
        texts = [str(t) for t in np.asarray(out).reshape(-1)]
    return texts


def split_text(texts, split):
    """Split each string into tokens (a list of token lists).

    Example:
        >>> split_text(["a  b", "cd"], "whitespace")
        [['a', 'b'], ['cd']]
    """
    if split == "whitespace":
        return [[tok for tok in _ASCII_SPACE.split(t) if tok] for t in texts]
    if split == "character":
        return [list(t) for t in texts]
    rows = []
    for t in texts:  # a callable maps one string to its tokens, as tf.strings.split would
        out = split(t)
        out = getattr(out, "_data", out)
        rows.append([str(tok) for tok in np.asarray(out).reshape(-1)])
    return rows


def ngrams(tokens, widths):
    """All n-grams of each width in ``widths`` joined by a space (tf.strings.ngrams).

    Example:
        >>> ngrams(["a", "b", "c"], (1, 2))
        ['a', 'b', 'c', 'a b', 'b c']
    """
    out = []
    for n in widths:
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out
