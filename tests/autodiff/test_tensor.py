"""Tensor and Variable API, dtype rules and error messages."""

import numpy as np
import pytest

import myelin.ops as ops
from myelin.autodiff import GradientTape, Tensor, Variable, constant, convert_to_tensor

# --- Tensor -------------------------------------------------------------------------

def test_numpy_interop():
    t = constant([[1.0, 2.0], [3.0, 4.0]])
    a = np.asarray(t)
    assert a.dtype == np.float32 and a.tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert np.asarray(t, dtype=np.float64).dtype == np.float64
    assert float(np.sum(t)) == 10.0  # NumPy functions accept tensors


def test_scalar_conversions():
    assert float(constant(2.5)) == 2.5
    assert int(constant(7)) == 7
    assert bool(constant(True)) is True and bool(constant(0.0)) is False
    assert float(constant([[3.0]])) == 3.0  # one element, any rank
    assert [10, 20, 30][constant(1)] == 20  # __index__


@pytest.mark.parametrize("convert", [float, int, bool])
def test_scalar_conversion_of_many_elements_is_an_error(convert):
    with pytest.raises(TypeError, match=r"needs a tensor with one element, received shape \(2,\)"):
        convert(constant([1.0, 2.0]))


def test_len_and_iteration():
    t = constant([[1, 2], [3, 4], [5, 6]])
    assert len(t) == 3
    rows = list(t)
    assert [r.numpy().tolist() for r in rows] == [[1, 2], [3, 4], [5, 6]]
    assert all(isinstance(r, Tensor) for r in rows)
    with pytest.raises(TypeError, match="len"):
        len(constant(1.0))
    with pytest.raises(TypeError, match="iterate over a scalar"):
        iter(constant(1.0))


def test_indexing_and_transpose():
    t = constant(np.arange(6.0).reshape(2, 3))
    assert t[1, 2].numpy() == 5.0
    assert t[:, 1].numpy().tolist() == [1.0, 4.0]
    assert t[..., ::-1][0].numpy().tolist() == [2.0, 1.0, 0.0]
    assert t[[1, 0, 1]].shape == (3, 3)
    assert t[t > 2.0].numpy().tolist() == [3.0, 4.0, 5.0]
    assert t.T.shape == (3, 2) and t.T.numpy()[2, 1] == 5.0


def test_comparisons_are_elementwise():
    t = constant([1.0, 2.0, 3.0])
    assert (t < 2).numpy().tolist() == [True, False, False]
    assert (t <= 2).numpy().tolist() == [True, True, False]
    assert (t > 2).numpy().tolist() == [False, False, True]
    assert (t >= 2).numpy().tolist() == [False, True, True]
    assert (t == 2).numpy().tolist() == [False, True, False]
    assert (t != 2).numpy().tolist() == [True, False, True]
    assert (t == 2).dtype == np.bool_


def test_equality_edge_cases_follow_tf():
    t = constant([1.0, 2.0])
    assert (t == None) is False and (t != None) is True  # noqa: E711
    assert (t == "a") is False
    assert (t == constant([1.0, 2.0, 3.0])) is False  # incompatible shapes
    assert hash(t) == object.__hash__(t)
    d = {t: "kept"}
    assert d[t] == "kept"  # identity-hashed although == is elementwise


def test_repr_like_tensorflow():
    assert repr(constant([1.0, 2.0])) == "tf.Tensor([1., 2.], shape=(2,), dtype=float32)"
    assert repr(constant(3)) == "tf.Tensor(3, shape=(), dtype=int32)"


# --- Variable -----------------------------------------------------------------------

def test_variable_assign_family():
    v = Variable([1.0, 2.0], name="w")
    buffer = v._data
    assert v.assign([5.0, 6.0]) is v
    v.assign_add([1.0, 1.0])
    v.assign_sub(constant([0.5, 0.5]))
    np.testing.assert_array_equal(v.numpy(), [5.5, 6.5])
    assert v._data is buffer  # in place
    v.assign(0.0)  # broadcasts a scalar
    np.testing.assert_array_equal(v.numpy(), [0.0, 0.0])


def test_variable_assign_shape_mismatch_names_both_shapes_and_keeps_value():
    v = Variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match=r"Variable 'w'.assign: expected a value of shape "
                                         r"\(2,\), received shape \(3,\)"):
        v.assign([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_variable_repr_and_attributes():
    v = Variable([1.0, 2.0], name="kernel", trainable=False)
    assert repr(v) == ("<tf.Variable 'kernel' shape=(2,) dtype=float32, "
                       "numpy=array([1., 2.], dtype=float32)>")
    assert v.trainable is False and v.name == "kernel"
    assert Variable(lambda: np.zeros(3), dtype="float32").dtype == np.float32


def test_variable_numpy_is_a_copy():
    v = Variable([1.0])
    v.numpy()[0] = 9.0
    assert float(v) == 1.0


def test_slices_of_a_variable_are_snapshots():
    v = Variable([[1.0, 2.0], [3.0, 4.0]])
    row, flat, ident, tr = v[0], ops.reshape(v, [-1]), ops.identity(v), ops.transpose(v)
    v.assign_add(np.ones((2, 2), np.float32))
    assert row.numpy().tolist() == [1.0, 2.0]
    assert flat.numpy().tolist() == [1.0, 2.0, 3.0, 4.0]
    assert ident.numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert tr.numpy().tolist() == [[1.0, 3.0], [2.0, 4.0]]


# --- dtype rules --------------------------------------------------------------------

def test_python_values_get_tf_default_dtypes():
    assert constant(1.0).dtype == np.float32
    assert constant([1, 2]).dtype == np.int32
    assert constant(True).dtype == np.bool_


def test_numpy_arrays_keep_their_dtype():
    assert constant(np.array([1.0])).dtype == np.float64
    assert convert_to_tensor(np.arange(3)).dtype == np.int64


def test_raw_values_take_the_tensor_dtype():
    w = constant([1.0, 2.0])
    assert (w * np.array([2.0, 3.0])).dtype == np.float32  # float64 array, float32 result
    assert (np.array([2.0, 3.0]) * w).dtype == np.float32
    assert (constant(np.array([1.0])) * 2.5).dtype == np.float64


def test_mixed_tensor_dtypes_are_refused_naming_both():
    with pytest.raises(TypeError, match="add: both inputs must have the same dtype, received "
                                        "float32 and float64"):
        constant([1.0]) + constant(np.array([1.0]))


def test_convert_to_tensor_returns_tensors_unchanged():
    t = constant([1.0])
    assert convert_to_tensor(t) is t
    assert convert_to_tensor(t, dtype="float64").dtype == np.float64


# Core bug (reported to the lead): operands() casts a Python float to an integer
# tensor's dtype, so int_tensor * 0.5 silently becomes int_tensor * 0. TensorFlow
# raises a TypeError instead of truncating.
def test_float_scalar_with_int_tensor_is_not_truncated():
    try:
        result = constant([1, 2]) * 0.5
    except TypeError:
        return
    assert result.numpy().tolist() == [0.5, 1.0]


# --- error messages -----------------------------------------------------------------

def test_matmul_inner_dimension_message():
    with pytest.raises(ValueError) as info:
        ops.matmul(ops.zeros([32, 785]), ops.zeros([784, 300]))
    assert str(info.value) == "matmul: inner dimensions differ: (32, 785) @ (784, 300)"


@pytest.mark.parametrize("make", [
    lambda: constant("abc"),
    lambda: convert_to_tensor(["a", "b"]),
    lambda: Variable(np.array(["x"])),
    lambda: constant([1.0]) + "a",
    lambda: ops.reduce_sum(np.array([object()])),
])
def test_non_numeric_inputs_are_refused_naming_the_dtype(make):
    with pytest.raises(TypeError, match=r"unsupported dtype (<U\d|object)"):
        make()


def test_gradient_flows_through_indexing_of_a_variable():
    v = Variable([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        y = v[1] * 3.0
    np.testing.assert_array_equal(tape.gradient(y, v).numpy(), [0.0, 3.0, 0.0])
