"""The array namespace, the default float dtype, the library's one random Generator,
and how freed array memory is kept.

Everything above this module gets arrays from ``xp`` and random numbers from
``rng()``, so a different array library (CuPy) or a reseed touches only this file.
"""

import ctypes
import os
import sys

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


# --- freed memory ---------------------------------------------------------------------
# A training step frees and re-allocates the same few MB of temporaries. glibc's default
# hands freed heap memory back to the OS as soon as 128 KB sit free at its top, so every
# step page-faults those pages in again: ~740 faults a step for a 784-300-100-10 network
# at batch 256, nearly half its epoch time. Keeping up to 64 MB of freed memory (and
# serving blocks up to 32 MB, glibc's own dynamic ceiling, from the heap) removes that
# cost; peak memory is unchanged. Users who tune malloc themselves are left alone.

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3


def _keep_freed_memory():
    tuned = any(k.startswith("MALLOC_") for k in os.environ) or "malloc" in os.environ.get(
        "GLIBC_TUNABLES", "")
    if tuned or not sys.platform.startswith("linux"):
        return
    mallopt = getattr(ctypes.CDLL(None), "mallopt", None)  # glibc; absent on musl
    if mallopt is not None:
        mallopt(_M_MMAP_THRESHOLD, 32 * 2**20)
        mallopt(_M_TRIM_THRESHOLD, 64 * 2**20)


_keep_freed_memory()
