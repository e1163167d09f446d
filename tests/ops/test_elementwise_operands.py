"""How binary ops combine Tensors with raw values: the cases mutation testing of
``ops/elementwise.py`` found untested (both operands raw, float values meeting integer
tensors, the exact wording of the dtype errors)."""

import numpy as np
import pytest

import myelin as tf


def test_two_raw_operands_give_a_tensor_of_the_default_float():
    out = tf.add(2.0, 3.5)
    assert isinstance(out, tf.Tensor) and out.dtype == np.float32 and float(out) == 5.5
    assert tf.subtract([1.0, 2.0], 0.5).numpy().tolist() == [0.5, 1.5]


def test_a_raw_operand_takes_the_tensor_s_dtype():
    ints = tf.constant([1, 2, 3])
    out = tf.add(ints, 4)                      # int value into an int tensor: stays int32
    assert out.dtype == np.int32 and out.numpy().tolist() == [5, 6, 7]
    floats = tf.constant([1.0, 2.0])
    out = tf.multiply(3, floats)               # int value into a float tensor: float32
    assert out.dtype == np.float32 and out.numpy().tolist() == [3.0, 6.0]


def test_a_float_value_meeting_an_int_tensor_is_refused_with_the_fix():
    ints = tf.constant([1, 2])
    with pytest.raises(TypeError) as caught:
        tf.add(ints, 1.5)
    assert str(caught.value) == (
        "add: cannot combine a int32 tensor with the float value 1.5 without truncating "
        "it. Cast the tensor first: myelin.cast(x, 'float32')."
    )
    with pytest.raises(TypeError, match=r"^multiply: cannot combine a int32 tensor"):
        tf.multiply(np.array([0.5]), ints)     # the raw value on the left, too


def test_two_tensors_of_different_dtypes_are_refused_with_the_fix():
    with pytest.raises(TypeError) as caught:
        tf.add(tf.constant([1.0]), tf.constant([1.0], dtype=tf.float64))
    assert str(caught.value) == (
        "add: both inputs must have the same dtype, received float32 and float64. "
        "Cast one with myelin.cast(x, 'float32')."
    )
