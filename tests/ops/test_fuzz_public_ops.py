"""Issue 17, item 1: hypothesis fuzzing of public ops against NumPy references.

Random shapes (rank 0 to 4, zero-size axes), dtypes (bool, ints, floats, complex,
object, strings), values (NaN, inf, huge, denormal) and axes: each call returns
NumPy's answer or raises a ValueError/TypeError naming the function.
"""

import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import myelin as tf

DTYPES = st.sampled_from(["bool", "int8", "int32", "int64", "float16", "float32",
                          "float64", "complex64", "object", "U2"])
SPECIAL = st.sampled_from([0.0, -0.0, 1.0, np.nan, np.inf, -np.inf, 1e300, 5e-324, -7.5])


@st.composite
def arrays(draw):
    dtype = draw(DTYPES)
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=3))
    if dtype in ("object", "U2"):
        return np.full(shape, "a", dtype=dtype)
    values = draw(st.lists(SPECIAL, min_size=1, max_size=4))
    flat = np.resize(np.array(values), int(np.prod(shape)))
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return flat.reshape(shape).astype(dtype)


def softmax_ref(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True, initial=-np.inf)
    e = np.exp(shifted)
    return e / e.sum(axis=axis, keepdims=True)


def max_ref(x, axis):
    """TensorFlow's reduce_max: the dtype's lowest value over an empty axis."""
    if x.dtype.kind == "f":
        lowest = -np.inf
    elif x.dtype.kind == "b":
        lowest = False
    else:
        lowest = np.iinfo(x.dtype).min
    return np.max(x, axis=axis, initial=lowest)


def sum_ref(x, axis):
    return np.sum(x, axis=axis, dtype=x.dtype)  # in the input's dtype: ints wrap, as TF


def mean_ref(x, axis):
    """Floats only: TF's integer mean truncates, which NumPy has no reference for."""
    return np.mean(x, axis=axis) if x.dtype.kind == "f" else None


TARGETS = {  # name: (myelin call, NumPy reference, whether an axis is passed)
    "reduce_sum": (tf.reduce_sum, sum_ref, True),
    "reduce_max": (tf.reduce_max, max_ref, True),
    "reduce_mean": (tf.reduce_mean, mean_ref, True),
    "softmax": (tf.nn.softmax, softmax_ref, True),
    "exp": (tf.exp, np.exp, False),
    "abs": (tf.abs, np.abs, False),
    "square": (tf.square, np.square, False),
}


@pytest.mark.parametrize("name", sorted(TARGETS))
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow],
          derandomize=True)
@given(x=arrays(), axis=st.integers(-5, 5))
def test_op_matches_numpy_or_raises_a_named_error(name, x, axis):
    fn, ref, takes_axis = TARGETS[name]
    args = {"axis": axis} if takes_axis else {}
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = fn(x, **args)
        except (ValueError, TypeError) as error:
            # the message names the function (or the conversion of its argument)
            assert name in str(error) or "convert_to_tensor" in str(error), str(error)
            return
        expected = ref(x.astype(out.numpy().dtype), **args)
    got = out.numpy()
    if expected is None:
        return
    assert got.shape == np.shape(expected), (got.shape, np.shape(expected))
    np.testing.assert_allclose(got.astype(np.float64), np.asarray(expected, np.float64),
                               rtol=1e-2 if got.dtype == np.float16 else 1e-5, equal_nan=True)


def test_softmax_over_an_empty_axis_is_empty_not_a_numpy_error():
    # Found by the fuzzer: NumPy's "zero-size array to reduction operation maximum".
    assert tf.nn.softmax(np.ones((2, 0))).shape == (2, 0)
    assert tf.nn.log_softmax(np.ones((2, 0), np.float32)).shape == (2, 0)


def test_reduce_max_of_no_booleans_is_false():
    # Found by the fuzzer: the lowest value -inf was cast to bool, giving True.
    assert not tf.reduce_max(np.zeros((0,), bool)).numpy()
    assert tf.reduce_min(np.zeros((0,), bool)).numpy()
