"""TensorSpec (the shape and dtype of one component) and tf.data's special numbers.

``Dataset.element_spec`` is a nested structure of ``TensorSpec``; a ``None`` dimension
is unknown (a batch axis without ``drop_remainder``, sequences of varying length).
String components have the spec dtype ``str`` (NumPy's unsized unicode dtype).
"""

import numpy as np

from ...dtypes import as_dtype

AUTOTUNE = -1  # tf.data.AUTOTUNE: let the pipeline pick buffer sizes and parallelism
INFINITE_CARDINALITY = -1  # tf.data.INFINITE_CARDINALITY, e.g. after repeat()
UNKNOWN_CARDINALITY = -2  # tf.data.UNKNOWN_CARDINALITY, e.g. after filter()

_TEXT_KINDS = "USO"


def _spec_dtype(dtype, where):
    if dtype in ("string", str, bytes) or (isinstance(dtype, np.dtype)
                                           and dtype.kind in _TEXT_KINDS):
        return np.dtype(str)
    try:
        return as_dtype(dtype)
    except TypeError:
        raise TypeError(f"{where}: dtype must be a numeric dtype (myelin.float32, 'int64', "
                        f"...) or 'string', received {dtype!r}.") from None


def _spec_shape(shape, where):
    if shape is None:
        return None
    try:
        dims = tuple(None if d is None or d == -1 else int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: shape must be a tuple of ints or None, e.g. (None, 28), "
                        f"received {shape!r}.") from None
    if any(d is not None and d < 0 for d in dims):
        raise ValueError(f"{where}: shape dimensions must be >= 0 or None, received {shape!r}.")
    return dims


class TensorSpec:
    """The shape and dtype of a tensor, as in ``tf.TensorSpec``.

    Args:
        shape: a tuple with ints or ``None`` for unknown dimensions; ``None`` for a
            shape of unknown rank.
        dtype: a numeric dtype (default float32) or ``"string"``.
        name: an optional name.

    Example:
        >>> spec = TensorSpec(shape=(None, 28), dtype="float32")
        >>> spec.is_compatible_with(np.zeros((5, 28), np.float32))
        True
    """

    __slots__ = ("shape", "dtype", "name")

    def __init__(self, shape, dtype="float32", name=None):
        self.shape = _spec_shape(shape, "TensorSpec")
        self.dtype = _spec_dtype(dtype, "TensorSpec")
        self.name = name

    @classmethod
    def from_array(cls, array, batch_none=False):
        """The spec of ``array`` (a NumPy array), the first axis unknown if asked."""
        shape = tuple(array.shape)
        if batch_none and shape:
            shape = (None,) + shape[1:]
        return cls(shape, array.dtype)

    def is_text(self):
        """Whether the component holds strings."""
        return self.dtype.kind in _TEXT_KINDS

    def shape_compatible(self, shape):
        """Whether an array of ``shape`` fits this spec (``None`` matches any size)."""
        if self.shape is None:
            return True
        return len(shape) == len(self.shape) and all(
            s is None or s == d for s, d in zip(self.shape, shape, strict=True))

    def is_compatible_with(self, other):
        """Whether ``other`` (a TensorSpec or an array) fits this spec."""
        if not isinstance(other, TensorSpec):
            other = TensorSpec.from_array(np.asarray(other))
        if self.is_text() or other.is_text():
            if not (self.is_text() and other.is_text()):
                return False
        elif self.dtype != other.dtype:
            return False
        if self.shape is None or other.shape is None:
            return True
        return len(self.shape) == len(other.shape) and all(
            a is None or b is None or a == b for a, b in zip(self.shape, other.shape, strict=True))

    def merged(self, other):
        """The most specific spec both specs fit (differing dimensions become None)."""
        if self.shape is None or other.shape is None or len(self.shape) != len(other.shape):
            return TensorSpec(None, self.dtype, self.name)
        dims = tuple(a if a == b else None for a, b in zip(self.shape, other.shape, strict=True))
        return TensorSpec(dims, self.dtype, self.name)

    def __eq__(self, other):
        return (isinstance(other, TensorSpec) and self.shape == other.shape
                and self.dtype == other.dtype and self.name == other.name)

    def __hash__(self):
        return hash((self.shape, self.dtype, self.name))

    def __repr__(self):
        dtype = "string" if self.is_text() else self.dtype.name
        return f"TensorSpec(shape={self.shape}, dtype={dtype}, name={self.name!r})"
