"""Shared hypothesis strategies and the error contract of the public-API fuzzers (issue 17).

Every fuzzed call must return a correct result or raise a myelin error: a ``ValueError``
or ``TypeError`` subclass whose message names the function or layer. NumPy internals
escaping (``IndexError``, ``AxisError``, ``UFuncTypeError``, ``ZeroDivisionError``, a raw
"invalid literal for int()") are failures, and so is a hang (guarded by an alarm).

CI runs ``MYELIN_FUZZ_EXAMPLES`` examples per target (default 25, derandomized, so a CI
run is reproducible); a long run sets it higher, e.g. ``MYELIN_FUZZ_EXAMPLES=2000``.
"""

import contextlib
import os
import signal
import threading
import warnings

import numpy as np
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

EXAMPLES = int(os.environ.get("MYELIN_FUZZ_EXAMPLES", "25"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                suppress_health_check=list(HealthCheck), database=None)
HANG_SECONDS = 60  # far beyond any legitimate call on these tiny inputs

NUMERIC = ["bool", "int8", "int32", "int64", "uint8", "float16", "float32", "float64",
           "complex64"]
ALL_DTYPES = NUMERIC + ["object", "U3"]
SPECIAL = [0.0, -0.0, 1.0, -2.5, 0.5, np.nan, np.inf, -np.inf, 1e300, -1e300, 5e-324, 3.0]
FINITE = [0.0, -0.0, 1.0, -2.5, 0.5, 3.0, 1e-3, 2.0, 5e-324]
FORBIDDEN_TEXT = ("invalid literal for int()", "zero-size array to reduction")


def values_array(draw, shape, dtype, values=SPECIAL):
    """An array of ``shape``/``dtype`` filled by cycling drawn values (strings for text)."""
    if dtype == "object":
        return np.full(shape, draw(st.sampled_from(["a", None, 1.5])), dtype=object)
    if dtype.startswith("U"):
        return np.full(shape, draw(st.sampled_from(["a", "", "1", "nan"])), dtype=dtype)
    picked = draw(st.lists(st.sampled_from(values), min_size=1, max_size=5))
    flat = np.resize(np.array(picked, dtype=np.float64), int(np.prod(shape)))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # nan -> int casts warn
        return flat.reshape(shape).astype(dtype)


@st.composite
def arrays(draw, dtypes=ALL_DTYPES, min_dims=0, max_dims=5, min_side=0, max_side=3,
           values=SPECIAL):
    """Arrays of rank ``min_dims``..``max_dims`` (zero-size axes allowed), any dtype."""
    shape = draw(hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                                  max_side=max_side))
    return values_array(draw, shape, draw(st.sampled_from(dtypes)), values)


@st.composite
def shaped(draw, shape, dtypes=ALL_DTYPES, values=SPECIAL):
    """An array of exactly ``shape`` and a drawn dtype."""
    return values_array(draw, tuple(shape), draw(st.sampled_from(dtypes)), values)


def odd_values():
    """Argument values of the wrong kind or range (for a parameter wanting a number)."""
    return st.sampled_from([-1, 0, 1, 2, 1.5, -0.5, np.nan, np.inf, None, "x", True,
                            (1, 2), [], 10**12])


@contextlib.contextmanager
def no_hang(seconds=HANG_SECONDS):
    """Fails (instead of blocking CI) when a call runs past ``seconds`` (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def _alarm(signum, frame):
        raise AssertionError(f"hang: the call ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_myelin_error(error, *names):
    """``error`` is a clean myelin error naming one of ``names`` (case-insensitive)."""
    kind = type(error)
    where = f"{kind.__module__}.{kind.__name__}: {str(error)[:300]}"
    assert isinstance(error, (ValueError, TypeError)), f"not a ValueError/TypeError: {where}"
    assert not isinstance(error, (IndexError, ZeroDivisionError)), f"NumPy internal: {where}"
    assert not kind.__module__.startswith("numpy"), f"NumPy error escaped: {where}"
    text = str(error)
    assert not any(bad in text for bad in FORBIDDEN_TEXT), f"raw NumPy message: {where}"
    lowered = text.lower()
    assert any(name.lower() in lowered for name in names), \
        f"message names none of {names}: {where}"


def call(fn, *names):
    """Runs ``fn()`` under the contract; returns (result, None) or (None, error)."""
    try:
        with no_hang(), np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return fn(), None
    except (ValueError, TypeError, ArithmeticError, LookupError) as error:
        assert_myelin_error(error, *names)
        return None, error


def snapshot(variables):
    """Copies of the values of ``variables`` (weights or optimizer slots)."""
    return [np.array(v.numpy(), copy=True) for v in variables]


def assert_unchanged(before, variables, what):
    """A failed call left every variable bit-identical (NaN compares equal to NaN)."""
    after = snapshot(variables)
    assert len(before) == len(after), f"{what}: a failed call added/removed variables"
    for old, new in zip(before, after, strict=True):
        assert np.array_equal(old, new, equal_nan=old.dtype.kind in "fc"), \
            f"{what}: a failed call changed a variable"


def to_numpy(value):
    """A tensor, Variable or array as a NumPy array."""
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)
