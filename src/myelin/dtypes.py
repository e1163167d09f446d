"""TensorFlow's dtype names as NumPy dtypes, so ``x.dtype == tf.float32`` just works.

Tensors report ``dtype`` as a ``numpy.dtype``; these constants are the same objects,
so they can be passed anywhere a dtype is accepted (``cast``, ``zeros``, ``Variable``).
"""

import builtins

import numpy as np

float16 = np.dtype("float16")
float32 = np.dtype("float32")
float64 = np.dtype("float64")
int8 = np.dtype("int8")
int16 = np.dtype("int16")
int32 = np.dtype("int32")
int64 = np.dtype("int64")
uint8 = np.dtype("uint8")
bool = np.dtype("bool")  # TensorFlow's name; shadows the builtin in this module only
half, double = float16, float64

_SUPPORTED = (float16, float32, float64, int8, int16, int32, int64, uint8, bool)
# TensorFlow's spellings and Python types that NumPy would map differently
# (np.dtype("float") and np.dtype(float) are float64; TensorFlow means float32).
_ALIASES = {"float": float32, "half": float16, "double": float64, "int": int32,
            builtins.float: float32, builtins.int: int32, builtins.bool: bool}


def as_dtype(type_value):
    """Convert a dtype-like value to one of the supported NumPy dtypes.

    Args:
        type_value: a NumPy dtype or scalar type, a name (``"float32"``, ``"float"``,
            ``"double"``), or a Python type (``float`` -> float32, ``int`` -> int32).

    Returns:
        The ``numpy.dtype``.

    Raises:
        TypeError: for strings, objects, complex numbers and unknown names.

    Example:
        >>> as_dtype("float") == float32
        True
    """
    if isinstance(type_value, (str, type)) and type_value in _ALIASES:
        return _ALIASES[type_value]
    try:
        dtype = None if type_value is None else np.dtype(type_value)
    except TypeError:
        dtype = None
    if dtype is None or dtype not in _SUPPORTED:  # (None == np.dtype("float64") is True)
        names = ", ".join(d.name for d in _SUPPORTED)
        raise TypeError(
            f"as_dtype: cannot convert {type_value!r} to a supported dtype; expected one "
            f"of {names}."
        )
    return dtype
