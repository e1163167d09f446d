"""Elementwise ops and matmul: values, and gradients against finite differences."""

import numpy as np
import pytest

import myelin.ops as ops
from myelin.autodiff import GradientTape, Variable, constant
from myelin.testing import gradcheck

RNG = np.random.default_rng(0)
A = RNG.uniform(0.5, 2.0, (3, 4))
B = RNG.uniform(0.5, 2.0, (3, 4))
SIGNED = RNG.uniform(0.2, 1.0, (3, 4)) * np.where(RNG.random((3, 4)) < 0.5, -1, 1)


@pytest.mark.parametrize("op", [ops.add, ops.subtract, ops.multiply, ops.divide,
                                ops.maximum, ops.minimum, ops.pow])
@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 1), (1, 4)), ((), (3, 4)),
                                    ((2, 3, 4), (4,))])
def test_binary_gradients_with_broadcasting(op, shapes):
    x = RNG.uniform(0.5, 2.0, shapes[0])
    y = RNG.uniform(0.5, 2.0, shapes[1]) + 0.01  # no ties for maximum/minimum
    assert gradcheck(op, x, y)


@pytest.mark.parametrize("op, x", [
    (ops.negative, SIGNED), (ops.exp, SIGNED), (ops.log, A), (ops.sqrt, A),
    (ops.square, SIGNED), (ops.abs, SIGNED), (ops.sigmoid, SIGNED), (ops.tanh, SIGNED),
    (ops.identity, SIGNED),
])
def test_unary_gradients(op, x):
    assert gradcheck(op, x)


def test_operator_gradients():
    assert gradcheck(lambda a, b: (a + b) * a - b / a + (-a) ** 2 + 2.0 ** a - 1.0 / b, A, B)
    assert gradcheck(lambda a, b: abs(a - b) + 3 - a, SIGNED, B)


def test_where_gradient_goes_to_the_chosen_branch():
    cond = SIGNED > 0
    assert gradcheck(lambda a, b: ops.where(cond, a, b), A, B)
    assert gradcheck(lambda a: ops.where(cond, a, 0.0), A)  # scalar other branch


def test_where_with_one_argument_gives_indices():
    out = ops.where(constant([[True, False], [False, True]]))
    assert out.dtype == np.int64 and out.numpy().tolist() == [[0, 0], [1, 1]]


def test_clip_by_value_values_and_gradient():
    x = np.array([-2.0, -0.5, 0.3, 0.9, 3.0])
    out = ops.clip_by_value(constant(x), -1.0, 1.0)
    np.testing.assert_allclose(out.numpy(), [-1.0, -0.5, 0.3, 0.9, 1.0])
    assert gradcheck(lambda a: ops.clip_by_value(a, -1.0, 1.0), x)


def test_sign_is_a_constant():
    x = Variable([-2.0, 0.0, 3.0])
    with GradientTape() as tape:
        y = ops.sign(x)
    assert y.numpy().tolist() == [-1.0, 0.0, 1.0]
    assert tape.gradient(y, x) is None


def test_divide_of_integers_gives_floats():
    out = ops.divide(constant([1, 2]), constant([2, 4]))
    assert out.dtype == np.float64 and out.numpy().tolist() == [0.5, 0.5]


def test_cast_gradient_between_floats():
    x = Variable([1.5, -2.5])
    with GradientTape() as tape:
        y = ops.cast(x, "float64") * np.array([2.0, 3.0])
    assert y.dtype == np.float64
    g = tape.gradient(y, x)
    assert g.dtype == np.float32 and g.numpy().tolist() == [2.0, 3.0]
    assert gradcheck(lambda a: ops.cast(a, "float64") * 2.0, A)


def test_cast_to_integers_truncates_and_stops_the_gradient():
    x = Variable([1.7, -1.7, 0.0])
    with GradientTape():
        i = ops.cast(x, "int32")
        b = ops.cast(x, bool)
    assert i.numpy().tolist() == [1, -1, 0] and i.dtype == np.int32
    assert b.numpy().tolist() == [True, True, False]
    assert i._node is None
    assert ops.cast(x, "float32") is x  # same dtype: the input itself, like TF


def test_cast_refuses_unknown_dtypes():
    with pytest.raises(TypeError, match="as_dtype: cannot convert 'str'"):
        ops.cast(constant([1.0]), "str")


@pytest.mark.parametrize("ta", [False, True])
@pytest.mark.parametrize("tb", [False, True])
def test_matmul_gradients_with_transposes(ta, tb):
    a = RNG.normal(size=(4, 3) if ta else (3, 4))
    b = RNG.normal(size=(2, 4) if tb else (4, 2))
    assert gradcheck(lambda x, y: ops.matmul(x, y, transpose_a=ta, transpose_b=tb), a, b)


def test_batched_matmul_gradient_and_operator():
    a, b = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(4, 5))
    assert gradcheck(lambda x, y: x @ y, a, b)
    np.testing.assert_allclose((constant(a) @ constant(b)).numpy(), a @ b)


def test_matmul_needs_rank_two():
    with pytest.raises(ValueError, match=r"matmul: both inputs need rank >= 2, received "
                                         r"shapes \(3,\) and \(3, 2\)"):
        ops.matmul(ops.ones([3]), ops.ones([3, 2]))
