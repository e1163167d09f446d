"""Comparisons, logical ops, tensor creation and the dtypes module."""

import numpy as np
import pytest

import myelin.ops as ops
from myelin import dtypes
from myelin.autodiff import GradientTape, Variable, constant


@pytest.mark.parametrize("op, expected", [
    (ops.equal, [False, True, False]), (ops.not_equal, [True, False, True]),
    (ops.less, [True, False, False]), (ops.less_equal, [True, True, False]),
    (ops.greater, [False, False, True]), (ops.greater_equal, [False, True, True]),
])
def test_comparisons(op, expected):
    out = op(constant([1.0, 2.0, 3.0]), 2.0)
    assert out.dtype == np.bool_ and out.numpy().tolist() == expected


def test_comparisons_broadcast():
    out = ops.less(constant([[1], [3]]), constant([2, 4]))
    assert out.numpy().tolist() == [[True, True], [False, True]]


def test_python_numbers_compare_exactly_with_integer_tensors():
    assert ops.greater(constant([0, 1]), 0.5).numpy().tolist() == [False, True]
    assert (constant(np.array([0.1])) == 0.1).numpy().tolist() == [True]  # float64 exact


def test_comparison_errors():
    with pytest.raises(TypeError, match="less: both inputs must have the same dtype, received "
                                        "float32 and int32"):
        ops.less(constant([1.0]), constant([1]))
    with pytest.raises(ValueError, match=r"equal: shapes \(2,\) and \(3,\) cannot be broadcast"):
        ops.equal(constant([1.0, 2.0]), constant([1.0, 2.0, 3.0]))
    with pytest.raises(TypeError, match="unsupported dtype"):
        ops.less(constant([1.0]), "a")


def test_comparisons_are_not_differentiable():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = ops.cast(x > 1.5, "float32") * x
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0]


def test_logical_ops_and_operators():
    a, b = constant([True, True, False]), constant([True, False, False])
    assert ops.logical_and(a, b).numpy().tolist() == [True, False, False]
    assert (a | b).numpy().tolist() == [True, True, False]
    assert (a ^ b).numpy().tolist() == [False, True, False]
    assert (~a).numpy().tolist() == [False, False, True]
    assert ops.logical_not(b).numpy().tolist() == [False, True, True]


def test_zeros_ones_fill():
    z = ops.zeros([2, 3])
    assert z.dtype == np.float32 and z.numpy().sum() == 0 and z.shape == (2, 3)
    assert ops.ones(3, dtype="int32").numpy().tolist() == [1, 1, 1]
    assert ops.ones((), dtype=dtypes.float64).dtype == np.float64
    assert ops.fill([2], 7).numpy().tolist() == [7, 7] and ops.fill([2], 7).dtype == np.int32
    assert ops.fill([1, 2], 0.5).dtype == np.float32
    with pytest.raises(ValueError, match=r"zeros: dimensions must be >= 0, received shape "
                                         r"\(2, -1\)"):
        ops.zeros([2, -1])
    with pytest.raises(TypeError, match="ones: expected a shape of integers"):
        ops.ones(["a"])


def test_zeros_like_ones_like():
    x = constant([[1, 2]])
    assert ops.zeros_like(x).dtype == np.int32 and ops.zeros_like(x).shape == (1, 2)
    assert ops.ones_like(x, dtype="float32").numpy().tolist() == [[1.0, 1.0]]
    assert ops.ones_like([1.0, 2.0]).dtype == np.float32


def test_range_like_tf():
    assert ops.range(5).numpy().tolist() == [0, 1, 2, 3, 4]
    assert ops.range(5).dtype == np.int32
    assert ops.range(3, 18, 3).numpy().tolist() == [3, 6, 9, 12, 15]
    assert ops.range(3, 1, -0.5).numpy().tolist() == [3.0, 2.5, 2.0, 1.5]
    assert ops.range(0, 1.0, 0.5).dtype == np.float32  # int32 + float32 -> float32, not 64
    assert ops.range(np.int64(4)).dtype == np.int64
    assert ops.range(4, dtype="float64").dtype == np.float64
    with pytest.raises(ValueError, match="range: delta must not be 0"):
        ops.range(0, 5, 0)
    with pytest.raises(ValueError, match="range: start 5 is past limit 1 for delta 1"):
        ops.range(5, 1)


def test_one_hot():
    out = ops.one_hot(constant([0, 2, -1]), 3)
    assert out.dtype == np.float32
    assert out.numpy().tolist() == [[1, 0, 0], [0, 0, 1], [0, 0, 0]]  # -1: all off, like TF
    assert ops.one_hot([1], 2, on_value=5, off_value=-1).numpy().tolist() == [[-1, 5]]
    assert ops.one_hot([1], 2, on_value=5).dtype == np.int32
    assert ops.one_hot([[0, 1]], 2, axis=0).shape == (2, 1, 2)
    with pytest.raises(TypeError, match="one_hot: indices must be integers"):
        ops.one_hot([0.5], 2)


def test_dtypes_are_numpy_dtypes():
    assert dtypes.float32 == np.float32 and constant(1.0).dtype == dtypes.float32
    assert dtypes.bool == np.bool_ and dtypes.int64 == np.int64 and dtypes.float16.itemsize == 2
    assert dtypes.as_dtype("float") == dtypes.float32
    assert dtypes.as_dtype("double") == dtypes.float64
    assert dtypes.as_dtype(float) == dtypes.float32 and dtypes.as_dtype(int) == dtypes.int32
    assert dtypes.as_dtype(bool) == dtypes.bool and dtypes.as_dtype(np.int64) == dtypes.int64
    assert dtypes.as_dtype("uint8") == np.uint8
    for bad in ("string", None, object, complex, "nope"):
        with pytest.raises(TypeError, match="as_dtype: cannot convert"):
            dtypes.as_dtype(bad)
