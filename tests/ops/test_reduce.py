"""Reductions and arg-extrema: TF values, gradients, ties, axis handling."""

import numpy as np
import pytest

import myelin.ops as ops
from myelin.autodiff import GradientTape, Variable, constant
from myelin.testing import gradcheck

X = np.random.default_rng(1).normal(size=(2, 3, 4))  # distinct values: no ties


@pytest.mark.parametrize("op, ref", [(ops.reduce_sum, np.sum), (ops.reduce_mean, np.mean),
                                     (ops.reduce_max, np.max), (ops.reduce_min, np.min)])
@pytest.mark.parametrize("axis", [None, 0, -1, [0, 2], (1,), []])
@pytest.mark.parametrize("keepdims", [False, True])
def test_values_and_gradients(op, ref, axis, keepdims):
    out = op(constant(X), axis=axis, keepdims=keepdims)
    np_axis = None if axis is None else tuple(np.atleast_1d(axis).tolist())
    np.testing.assert_allclose(out.numpy(), ref(X, axis=np_axis, keepdims=keepdims))
    assert gradcheck(lambda x: op(x, axis=axis, keepdims=keepdims), X)


def test_empty_axis_list_reduces_nothing():
    # TensorFlow (like NumPy) treats axis=[] as "reduce no axis": the identity.
    out = ops.reduce_sum(constant(X), axis=[])
    assert out.shape == X.shape
    np.testing.assert_allclose(out.numpy(), X)


def test_tensor_axis_is_accepted():
    out = ops.reduce_sum(constant([[1.0, 2.0], [3.0, 4.0]]), axis=constant(1))
    assert out.numpy().tolist() == [3.0, 7.0]


@pytest.mark.parametrize("op", [ops.reduce_max, ops.reduce_min])
def test_ties_share_the_gradient_equally(op):
    x = Variable([[1.0, 5.0, 5.0, 5.0], [2.0, 2.0, -1.0, 0.0]])
    with GradientTape() as tape:
        y = op(x * 1.0 if op is ops.reduce_max else -x, axis=1)
    g = tape.gradient(y, x).numpy()
    expected = ([[0, 1 / 3, 1 / 3, 1 / 3], [0.5, 0.5, 0, 0]] if op is ops.reduce_max
                else [[0, -1 / 3, -1 / 3, -1 / 3], [-0.5, -0.5, 0, 0]])
    np.testing.assert_allclose(g, expected, rtol=1e-6)


def test_max_over_all_axes_with_ties():
    x = Variable([3.0, 1.0, 3.0])
    with GradientTape() as tape:
        y = ops.reduce_max(x)
    assert tape.gradient(y, x).numpy().tolist() == [0.5, 0.0, 0.5]


def test_max_of_an_empty_axis_is_minus_infinity():
    assert ops.reduce_max(ops.zeros([0, 2]), axis=0).numpy().tolist() == [-np.inf, -np.inf]
    assert ops.reduce_min(constant(np.zeros((2, 0), np.int32)), axis=1).numpy().tolist() == [
        np.iinfo(np.int32).max] * 2


def test_integer_mean_truncates_like_tf():
    assert int(ops.reduce_mean(constant([1, 2]))) == 1
    assert int(ops.reduce_mean(constant([-1, -2]))) == -1
    assert ops.reduce_mean(constant([1, 2])).dtype == np.int32
    assert ops.reduce_sum(constant([1, 2])).dtype == np.int32


def test_float32_stays_float32():
    x = constant([[1.0, 2.0]])
    for op in (ops.reduce_sum, ops.reduce_mean, ops.reduce_max, ops.reduce_logsumexp):
        assert op(x).dtype == np.float32


@pytest.mark.parametrize("op", [ops.reduce_sum, ops.reduce_mean, ops.reduce_max,
                                ops.reduce_min, ops.reduce_logsumexp, ops.reduce_any])
def test_axis_out_of_range_names_op_and_shape(op):
    with pytest.raises(ValueError, match=op.__name__ + r": axis 3 is out of range for a tensor "
                                         r"of shape \(2, 3, 4\) \(rank 3\)"):
        op(constant(X > 0 if op is ops.reduce_any else X), axis=3)


def test_repeated_axis_is_an_error():
    with pytest.raises(ValueError, match=r"reduce_sum: axis \[0, -3\] names an axis twice"):
        ops.reduce_sum(constant(X), axis=[0, -3])


def test_logsumexp_value_gradient_and_stability():
    x = np.array([[1.0, 2.0, 3.0], [1000.0, 1000.0, -1000.0]])
    out = ops.reduce_logsumexp(constant(x), axis=1).numpy()
    np.testing.assert_allclose(out, [np.log(np.exp(x[0]).sum()), 1000.0 + np.log(2.0)])
    assert gradcheck(lambda a: ops.reduce_logsumexp(a, axis=1, keepdims=True), X[0])
    assert gradcheck(lambda a: ops.reduce_logsumexp(a), X[0])
    all_neg_inf = ops.reduce_logsumexp(constant([-np.inf, -np.inf]))
    assert float(all_neg_inf) == -np.inf


def test_any_and_all():
    b = constant([[True, False], [True, True]])
    assert ops.reduce_any(b, axis=1).numpy().tolist() == [True, True]
    assert ops.reduce_all(b, axis=1).numpy().tolist() == [False, True]
    assert bool(ops.reduce_all(b)) is False


def test_argmax_argmin_default_axis_zero_int64():
    x = constant([[1.0, 9.0, 3.0], [7.0, 2.0, 3.0]])
    assert ops.argmax(x).numpy().tolist() == [1, 0, 0]  # tie in column 2 -> first index
    assert ops.argmin(x).numpy().tolist() == [0, 1, 0]
    assert ops.argmax(x, axis=1).numpy().tolist() == [1, 0]
    assert ops.argmax(x).dtype == np.int64
    assert ops.argmax(x, axis=-1, output_type="int32").dtype == np.int32
    with pytest.raises(ValueError, match="argmax: axis 2 is out of range"):
        ops.argmax(x, axis=2)
