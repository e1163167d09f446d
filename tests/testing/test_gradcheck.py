"""myelin.testing.gradcheck: passes correct gradients, reports wrong ones precisely."""

import numpy as np
import pytest

from myelin import backend
from myelin.autodiff import Function, Tensor
from myelin.ops import multiply, reduce_sum
from myelin.ops.fused import embedding_lookup
from myelin.testing import gradcheck


class WrongSquare(Function):
    """x*x with a backward that is off by one at every element."""

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad):
        return grad * (2 * self.x + 1)


def test_correct_gradient_passes():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    assert gradcheck(lambda a, b: multiply(a, b), x, x.T.copy()) is True


def test_wrong_gradient_reports_the_worst_element():
    x = np.array([1.0, 2.0, 3.0])
    seed = np.array([1.0, 1.0, 5.0])  # element 2 has the largest error
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda a: WrongSquare.apply(a), x, seed_grad=seed)
    message = str(info.value)
    assert "input 0 at element (2,)" in message
    assert "analytic 35" in message and "numeric 30" in message  # 5*(2*3+1) vs 5*2*3
    assert "abs error 5" in message and "rel error 0.167" in message


def test_second_input_is_named():
    with pytest.raises(AssertionError, match="for input 1 at element"):
        gradcheck(lambda a, b: a + WrongSquare.apply(b), np.ones(2), np.ones(2))


def test_integer_inputs_pass_through_undifferentiated():
    table = np.arange(12.0).reshape(4, 3)
    ids = np.array([1, 1, 3])
    assert gradcheck(lambda p, i: embedding_lookup(p, i), table, ids)


def test_inputs_are_checked_in_float64_and_not_modified():
    x32 = np.array([0.1, 0.2], dtype=np.float32)
    seen = []
    gradcheck(lambda a: seen.append(a.dtype) or reduce_sum(a * a), x32)
    assert set(seen) == {np.dtype(np.float64)}
    np.testing.assert_array_equal(x32, np.array([0.1, 0.2], dtype=np.float32))


def test_tensor_inputs_accepted():
    assert gradcheck(lambda a: a * 3.0, Tensor(np.array([1.0, 2.0])))


def test_library_random_stream_untouched():
    backend.set_seed(7)
    expected = backend.rng().random(3)
    backend.set_seed(7)
    gradcheck(lambda a: a * a, np.array([1.0, 2.0]))
    np.testing.assert_array_equal(backend.rng().random(3), expected)


def test_no_float_input_is_an_error():
    with pytest.raises(ValueError, match="no float input"):
        gradcheck(lambda i: i, np.array([1, 2]))


class SquareWithWrongCurvature(Function):
    """x*x: a right first derivative, but a VJP rule whose own derivative is off."""

    def forward(self, x):
        self.x = x
        return x * x

    def backward(self, grad):
        return 2 * self.x * grad


def test_order_two_checks_second_derivatives_and_catches_a_wrong_rule():
    from myelin.autodiff.higher_order import VJP_RULES

    VJP_RULES[SquareWithWrongCurvature] = lambda fn, out, g: g * fn.inputs[0] * fn.inputs[0]
    try:
        x = np.array([0.5, 1.5])
        assert gradcheck(lambda a: SquareWithWrongCurvature.apply(a), x)  # first order is right
        with pytest.raises(AssertionError, match="analytic and numeric gradients differ"):
            gradcheck(lambda a: SquareWithWrongCurvature.apply(a), x, order=2)
    finally:
        del VJP_RULES[SquareWithWrongCurvature]
    assert gradcheck(lambda a: a * a * a, np.array([0.5, -1.5]), order=3)


def test_order_must_be_a_positive_integer():
    with pytest.raises(ValueError, match="order must be an integer >= 1, received 0"):
        gradcheck(lambda a: a * a, np.array([1.0]), order=0)
