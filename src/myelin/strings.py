"""``tf.strings``: element-wise string ops on NumPy ``str`` arrays (text batches).

A text batch from ``myelin.data`` is a NumPy array of ``str``; these functions take
and return such arrays (a Python string gives a 0-d array), so standardization
functions written for TensorFlow -- e.g. the text tutorial's
``tf.strings.regex_replace(tf.strings.lower(x), "<br />", " ")`` -- run unchanged.
Like TensorFlow, ``lower``/``upper`` change ASCII letters only unless
``encoding="utf-8"`` is given, and ``regex_replace`` uses Python's ``re`` syntax
(the common subset of RE2's).

Example:
    >>> from myelin import strings
    >>> strings.regex_replace(strings.lower(["A <br />B"]), "<br />", " ")
    array(['a  b'], dtype='<U4')
"""

import re

import numpy as np

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def decode_text(array):
    """``array`` as NumPy ``str`` (bytes decoded as UTF-8), or None if it is not text.

    Example:
        >>> decode_text(np.array([b"a"]))
        array(['a'], dtype='<U1')
    """
    if array.dtype.kind == "U":
        return array
    if array.dtype.kind == "S":
        return np.char.decode(array, "utf-8")
    if array.dtype.kind == "O" and all(isinstance(v, (str, bytes)) for v in array.flat):
        return np.array([v.decode("utf-8") if isinstance(v, bytes) else v
                         for v in array.flat], dtype=str).reshape(array.shape)
    return None


def ascii_lower(text):
    """``text`` with ASCII letters lower-cased, others kept (TensorFlow's ``lower``)."""
    return text.translate(_ASCII_LOWER)


def _text(input, where):
    array = np.asarray(getattr(input, "_data", input))
    text = decode_text(array)
    if text is None:
        raise TypeError(f"tf.strings.{where} expects strings but received dtype "
                        f"{array.dtype}. Convert numbers first, e.g. "
                        f"tf.strings.as_string(x).")
    return text


def _each(array, fn):
    out = [fn(s) for s in array.reshape(-1).tolist()]
    return np.array(out, dtype=str).reshape(array.shape)


def lower(input, encoding="", name=None):
    """Lower-case each string (ASCII letters only unless ``encoding="utf-8"``).

    Example:
        >>> lower(["ÀB"])
        array(['Àb'], dtype='<U2')
    """
    array = _text(input, "lower")
    if encoding:
        return np.char.lower(array)
    return _each(array, ascii_lower)


def upper(input, encoding="", name=None):
    """Upper-case each string (ASCII letters only unless ``encoding="utf-8"``).

    Example:
        >>> upper(["ab"])
        array(['AB'], dtype='<U2')
    """
    array = _text(input, "upper")
    if encoding:
        return np.char.upper(array)
    return _each(array, lambda s: s.translate(_ASCII_UPPER))


def regex_replace(input, pattern, rewrite, replace_global=True, name=None):
    """Replace matches of ``pattern`` by ``rewrite`` (all of them, or the first).

    ``rewrite`` may use ``\\1`` group references, as RE2's.

    Example:
        >>> regex_replace(["a.b,c"], r"[.,]", "")
        array(['abc'], dtype='<U3')
    """
    try:
        compiled = re.compile(pattern)
    except re.error as err:
        raise ValueError(f"tf.strings.regex_replace: invalid pattern {pattern!r} ({err}).") \
            from None
    count = 0 if replace_global else 1
    return _each(_text(input, "regex_replace"), lambda s: compiled.sub(rewrite, s, count))


def strip(input, name=None):
    """Remove leading and trailing whitespace.

    Example:
        >>> strip([" a "])
        array(['a'], dtype='<U1')
    """
    return _each(_text(input, "strip"), str.strip)


def length(input, unit="BYTE", name=None):
    """The length of each string in bytes (default) or in characters (``"UTF8_CHAR"``).

    Example:
        >>> length(["hé"]).tolist()
        [3]
    """
    array = _text(input, "length")
    if unit not in ("BYTE", "UTF8_CHAR"):
        raise ValueError(f"tf.strings.length: unit must be 'BYTE' or 'UTF8_CHAR', received "
                         f"{unit!r}.")
    size = len if unit == "UTF8_CHAR" else (lambda s: len(s.encode("utf-8")))
    return np.array([size(s) for s in array.reshape(-1).tolist()],
                    dtype=np.int32).reshape(array.shape)


def as_string(input, name=None):
    """Each value formatted as TensorFlow does: integers in decimal, floats with six
    decimals, booleans as ``true``/``false``.

    Example:
        >>> as_string([7, 42])
        array(['7', '42'], dtype='<U2')
    """
    array = np.asarray(getattr(input, "_data", input))
    if array.dtype.kind == "b":
        fmt = {True: "true", False: "false"}.__getitem__
    elif array.dtype.kind == "f":
        fmt = "{:.6f}".format
    else:
        fmt = str
    return np.array([fmt(v) for v in array.reshape(-1).tolist()],
                    dtype=str).reshape(array.shape)


__all__ = ["as_string", "length", "lower", "regex_replace", "strip", "upper"]
