"""``tf.print``: print tensors the way TensorFlow 2 formats them.

A tensor prints as its values without commas (``[0 1 2 ... 7 8 9]``), the first and
last ``summarize`` entries of each dimension, rows of a matrix on their own lines;
floats in the shortest ``%g`` form that reads back to the same value, booleans as
``1``/``0``. Other Python objects print with ``str``; lists, tuples and dicts print
as Python does, with the tensors inside formatted as above.
"""

import sys

import numpy as np

from .autodiff import Tensor

_OPTIONS = ("output_stream", "summarize", "sep", "end", "name")


def _element(value, dtype):
    if dtype.kind == "b":
        return "1" if value else "0"
    if dtype.kind == "f":
        # TensorFlow's FloatToBuffer: 6 (15) significant digits, 9 (17) if needed to
        # read back the same float32 (float64)
        short, full = (15, 17) if dtype == np.float64 else (6, 9)
        kind = np.float64 if dtype == np.float64 else np.float32
        text = f"{float(value):.{short}g}"
        return text if kind(text) == kind(value) else f"{float(value):.{full}g}"
    if dtype.kind in "US":
        text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
        return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return str(value)


def _spacing(dim, ndim):
    """Between two entries of dimension ``dim``: a space in the last dimension, else
    line breaks and an indent (TensorFlow's PrintDimSpacing)."""
    if dim == ndim - 1:
        return " "
    return "\n" * (ndim - dim - 1) + " " * (dim + 1)


def format_tensor(array, summarize=3):
    """The text ``tf.print`` shows for one array.

    Args:
        array: a NumPy array (or anything ``np.asarray`` accepts).
        summarize: entries kept at each end of every dimension; -1 keeps all.

    Returns:
        The formatted string, e.g. ``"[[1 2]\\n [3 4]]"``.

    Example:
        >>> format_tensor(np.arange(10))
        '[0 1 2 ... 7 8 9]'
    """
    array = np.asarray(array)
    if array.dtype == np.float16:
        array = array.astype(np.float32)
    edge = array.size if summarize < 0 else min(summarize, array.size)
    dtype, ndim = array.dtype, array.ndim

    def rows(x, dim):
        if dim == ndim:
            return _element(x[()], dtype)
        count, gap = x.shape[0], _spacing(dim, ndim)
        text = "[" + gap.join(rows(x[i, ...], dim + 1) for i in range(min(edge, count)))
        if count > 2 * edge:
            text += gap + "..."
        for i in range(max(edge, count - edge), count):
            text += gap + rows(x[i, ...], dim + 1)
        return text + "]"

    return rows(array, 0)


def _format(value, summarize, top=True):
    if isinstance(value, Tensor):
        return format_tensor(value._data, summarize)
    if isinstance(value, np.ndarray):
        return format_tensor(value, summarize)
    if isinstance(value, dict):
        try:
            keys = sorted(value)  # TensorFlow flattens dicts in sorted key order
        except TypeError:
            keys = list(value)
        inner = ", ".join(f"{k!r}: {_format(value[k], summarize, False)}" for k in keys)
        return "{" + inner + "}"
    if isinstance(value, (list, tuple)):
        inner = ", ".join(_format(v, summarize, False) for v in value)
        if isinstance(value, tuple):
            return "(" + inner + ("," if len(value) == 1 else "") + ")"
        return "[" + inner + "]"
    if isinstance(value, str) and not top:
        return repr(value)
    return str(value)


def _write(text, end, stream):
    if isinstance(stream, str):
        if not stream.startswith("file://"):
            raise ValueError(f"print: output_stream must be sys.stdout, sys.stderr, a "
                             f"'file://path' string, a logging function or an object with "
                             f"write(), received {stream!r}.")
        with open(stream[len("file://"):], "a", encoding="utf-8") as handle:
            handle.write(text + end)
    elif hasattr(stream, "write"):
        stream.write(text + end)
        if hasattr(stream, "flush"):
            stream.flush()
    elif callable(stream):  # logging.info, tf.compat.v1.logging.info ...
        stream(text)
    else:
        raise ValueError(f"print: output_stream must be sys.stdout, sys.stderr, a "
                         f"'file://path' string, a logging function or an object with "
                         f"write(), received {stream!r}.")


def print(*inputs, **kwargs):  # TensorFlow's name: myelin.print is tf.print
    """Print ``inputs`` formatted as TensorFlow does (``tf.print``).

    Args:
        *inputs: tensors, arrays, Python objects, or lists/tuples/dicts of them.
        output_stream: where to print: ``sys.stderr`` (the default, as in
            TensorFlow), ``sys.stdout``, a ``"file://path"`` string (appended to), a
            logging function such as ``logging.info``, or any object with ``write``.
        summarize: entries printed at each end of every tensor dimension (default 3;
            -1 prints everything).
        sep: the separator between inputs (default one space).
        end: appended after the last input (default a newline).
        name: ignored (a TensorFlow op name).

    Raises:
        ValueError: for an unknown keyword or an unusable ``output_stream``/``summarize``.

    Example:
        >>> print("x:", myelin.range(10), output_stream=sys.stdout)
        x: [0 1 2 ... 7 8 9]
    """
    unknown = sorted(set(kwargs) - set(_OPTIONS))
    if unknown:
        raise ValueError(f"print: unrecognized keyword arguments {unknown}; accepted are "
                         f"{list(_OPTIONS)}.")
    summarize = kwargs.get("summarize", 3)
    summarize = 3 if summarize is None else summarize
    if isinstance(summarize, bool) or not isinstance(summarize, int) or summarize < -1:
        raise ValueError(f"print: summarize must be an integer >= -1 (-1 prints every "
                         f"entry), received {summarize!r}.")
    sep, end = kwargs.get("sep", " "), kwargs.get("end", "\n")
    if not isinstance(sep, str) or not isinstance(end, str):
        raise ValueError(f"print: sep and end must be strings, received sep={sep!r}, "
                         f"end={end!r}.")
    stream = kwargs.get("output_stream", sys.stderr)
    _write(sep.join(_format(value, summarize) for value in inputs), end, stream)
