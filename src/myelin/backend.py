"""The array namespace, the default float dtype and the library's one random Generator.

Everything above this module gets arrays from ``xp`` and random numbers from
``rng()``, so a different array library (CuPy) or a reseed touches only this file.
"""

import numpy as np

xp = np

_FLOAT_TYPES = ("float16", "float32", "float64")
_floatx = "float32"
_rng = np.random.default_rng()


def floatx() -> str:
    """Return the default float dtype name (``"float32"`` unless changed)."""
    return _floatx


def set_floatx(dtype: str) -> None:
    """Set the default float dtype: one of ``float16``, ``float32``, ``float64``."""
    global _floatx
    name = np.dtype(dtype).name
    if name not in _FLOAT_TYPES:
        raise ValueError(f"set_floatx: expected one of {_FLOAT_TYPES}, received {dtype!r}.")
    _floatx = name


def rng() -> np.random.Generator:
    """The library-owned Generator behind every initializer, shuffle and dropout mask."""
    return _rng


def set_seed(seed: int | None) -> None:
    """Reseed the library Generator; the same seed replays the same random stream."""
    global _rng
    _rng = np.random.default_rng(seed)


def get_rng_state() -> dict:
    """The Generator's state, a plain dict of ints (for checkpoints)."""
    return _rng.bit_generator.state


def set_rng_state(state: dict) -> None:
    """Restore a state returned by ``get_rng_state``."""
    _rng.bit_generator.state = state
