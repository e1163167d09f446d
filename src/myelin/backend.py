"""The array namespace, the default float dtype, the library's one random Generator,
how freed array memory is kept, and the BLAS routines and thread switch NumPy does
not expose.

Everything above this module gets arrays from ``xp`` and random numbers from
``rng()``, so a different array library (CuPy) or a reseed touches only this file.
"""

import contextlib
import ctypes
import glob
import os
import sys
import threading

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


# --- NumPy's own BLAS -----------------------------------------------------------------
# Plain SGD is ``w -= lr * g``; NumPy needs two passes for it (scale into a buffer, then
# subtract), BLAS's axpy does it in one, reading g and w once (784x300 weight: ~120 ->
# ~55 us). The routine comes from the OpenBLAS library NumPy's wheels already load, so
# nothing new is installed; where that library is not found (other builds, Accelerate),
# ``axpy`` returns False and the caller keeps its NumPy path.

# (symbol prefix, suffix, integer type) of the OpenBLAS builds NumPy has shipped
_BLAS_NAMES = (("scipy_cblas_", "64_", ctypes.c_int64), ("cblas_", "64_", ctypes.c_int64),
               ("cblas_", "", ctypes.c_int))
_axpy = None  # dtype -> ctypes function, filled on first use


def _load_axpy():
    found = {}
    here = os.path.dirname(np.__file__)
    paths = glob.glob(os.path.join(here, "..", "numpy.libs", "*openblas*")) + glob.glob(
        os.path.join(here, ".dylibs", "*openblas*"))
    for path in paths:
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix, integer in _BLAS_NAMES:
            for letter, scalar, dtype in (("s", ctypes.c_float, np.float32),
                                          ("d", ctypes.c_double, np.float64)):
                fn = getattr(lib, f"{prefix}{letter}axpy{suffix}", None)
                if fn is not None and dtype not in found:
                    fn.argtypes = [integer, scalar, ctypes.c_void_p, integer, ctypes.c_void_p,
                                   integer]
                    fn.restype = None
                    found[dtype] = fn
                # OpenBLAS's extension y = a * x + b * y (Adam's moments in one pass)
                fn = getattr(lib, f"{prefix}{letter}axpby{suffix}", None)
                if fn is not None and ("axpby", dtype) not in found:
                    fn.argtypes = [integer, scalar, ctypes.c_void_p, integer, scalar,
                                   ctypes.c_void_p, integer]
                    fn.restype = None
                    found["axpby", dtype] = fn
        local = getattr(lib, "openblas_set_num_threads_local", None)
        if local is not None and "threads" not in found:
            local.argtypes, local.restype = [ctypes.c_int], ctypes.c_int
            found["threads"] = local
    if "threads" not in found:
        return {}  # axpy without the thread switch could hand a small pass to two threads
    return found


def axpy(alpha, x, y):
    """``y += alpha * x`` in place, in one BLAS pass, when NumPy's OpenBLAS allows.

    Args:
        alpha: a Python float.
        x: a C-contiguous float32 or float64 array.
        y: a C-contiguous array of the same size and dtype, updated in place.

    Returns:
        True when done; False (``y`` untouched) when the arrays do not qualify or no
        BLAS routine was found, so the caller falls back to NumPy.

    Example:
        >>> y = np.ones(3, np.float32)
        >>> if not axpy(-0.5, np.ones(3, np.float32), y):
        ...     y -= 0.5
        >>> y
        array([0.5, 0.5, 0.5], dtype=float32)
    """
    return _level1(y.dtype.type, x, y, alpha, x.ctypes.data, 1, y.ctypes.data, 1)


def _level1(key, x, y, *args):
    """Call the BLAS routine ``key`` on one thread with ``(y.size, *args)``; False when
    it is missing or ``x`` and ``y`` are not C-contiguous arrays of one size and dtype."""
    fn = _routines().get(key)
    if (fn is None or x.dtype != y.dtype or x.size != y.size or not x.flags.c_contiguous
            or not y.flags.c_contiguous or not y.flags.writeable):
        return False
    # One thread: OpenBLAS splits an axpy over 10,000 elements across its threads, and
    # that hand-off costs more than the pass (784x300 on a busy 2-core machine: 0.4-1.2
    # ms instead of 0.06). The switch costs a few microseconds, so a pass OpenBLAS keeps
    # on one thread anyway (a small model's grouped update) skips it.
    if y.size <= 10_000:
        fn(y.size, *args)
        return True
    with one_blas_thread():
        fn(y.size, *args)
    return True


def _routines():
    """The BLAS routines found in NumPy's OpenBLAS (loaded on first use)."""
    global _axpy
    if _axpy is None:
        _axpy = _load_axpy()
    return _axpy


def axpby(alpha, x, beta, y):
    """``y = alpha * x + beta * y`` in place, in one BLAS pass, when NumPy's OpenBLAS allows.

    Adam's moment update ``m = beta_1 * m + (1 - beta_1) * g`` is one such pass instead
    of NumPy's three (subtract, scale, add).

    Args:
        alpha, beta: Python floats.
        x: a C-contiguous float32 or float64 array.
        y: a C-contiguous array of the same size and dtype, updated in place.

    Returns:
        True when done; False (``y`` untouched) when the arrays do not qualify or the
        routine was not found, so the caller falls back to NumPy.

    Example:
        >>> y = np.ones(3, np.float32)
        >>> if not axpby(0.5, np.ones(3, np.float32), 0.25, y):
        ...     y *= 0.25; y += 0.5
        >>> y
        array([0.75, 0.75, 0.75], dtype=float32)
    """
    return _level1(("axpby", y.dtype.type), x, y, alpha, x.ctypes.data, 1, beta,
                   y.ctypes.data, 1)


_switch_lock = threading.Lock()
_switch = {"holders": 0, "before": None}  # one_blas_thread's nesting count, saved count


@contextlib.contextmanager
def one_blas_thread():
    """Run every BLAS call of the process on its calling thread alone while active.

    For kernels that split work over the cores themselves: each core's products then
    stay on it instead of also waking OpenBLAS's pool (which would leave one core
    spinning while the other works). OpenBLAS's ``openblas_set_num_threads_local``
    sets the count for the whole process (it only returns the previous one), so the
    switch is counted: the first thread in sets one thread, the last one out restores
    the count. Without the count, two threads leaving in the wrong order left the
    whole process on one thread, and whether a product ran on one thread or two
    (OpenBLAS may block it differently, so the roundings differ) depended on timing.
    Where NumPy's OpenBLAS is not found this changes nothing.

    Example:
        >>> with one_blas_thread():
        ...     product = np.ones((2, 3)) @ np.ones((3, 2))
        >>> product.tolist()
        [[3.0, 3.0], [3.0, 3.0]]
    """
    threads = _routines().get("threads")
    if threads is None:
        yield
        return
    with _switch_lock:
        if _switch["holders"] == 0:
            _switch["before"] = threads(1)
        _switch["holders"] += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch["holders"] -= 1
            if _switch["holders"] == 0:
                threads(_switch["before"])


BLAS_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))  # the dtypes BLAS computes in


def sum_of_squares(array):
    """The sum of ``array``'s squared elements.

    One BLAS dot for a C-contiguous float32/64 array, accumulated in its dtype as Keras
    sums squares (2-5x faster than NumPy's pairwise sum); any other array is squared
    and summed in float64.

    Example:
        >>> float(sum_of_squares(np.array([[1.0, 2.0], [2.0, 0.0]], np.float32)))
        9.0
    """
    if array.dtype in BLAS_FLOATS and array.flags.c_contiguous:
        flat = array.reshape(-1)
        return np.dot(flat, flat)
    return np.add.reduce(np.square(array, dtype=np.float64), axis=None)


def all_finite(array):
    """Whether every element of ``array`` is finite (no NaN, no infinity).

    One pass proves it: a NaN or an infinity makes the sum of squares non-finite. Only
    a sum that overflowed (huge but finite values) is checked element by element.

    Example:
        >>> all_finite(np.array([3e38, 3e38], np.float32)), all_finite(np.array([np.nan]))
        (True, False)
    """
    with np.errstate(all="ignore"):
        if np.isfinite(sum_of_squares(array)):
            return True
    return bool(np.isfinite(array).all())
