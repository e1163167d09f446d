"""Python operators on Tensor map to the ops, in both directions."""

import numpy as np
import pytest

import myelin.ops  # noqa: F401  (attaches the operators)
from myelin.autodiff import Tensor, constant

A = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
B = np.array([[0.5, -1.0], [2.0, 0.25]], np.float32)


@pytest.mark.parametrize("expr", [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b,
    lambda a, b: a ** 2, lambda a, b: 2.0 ** a, lambda a, b: a @ b, lambda a, b: -a,
    lambda a, b: abs(b), lambda a, b: 1 + a, lambda a, b: 1 - a, lambda a, b: 3 * a,
    lambda a, b: 1 / a, lambda a, b: a.T, lambda a, b: a[1], lambda a, b: a[:, ::-1],
    lambda a, b: a < b, lambda a, b: a >= b, lambda a, b: a == b, lambda a, b: a != b,
])
def test_operators_match_numpy(expr):
    out = expr(constant(A), constant(B))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.numpy(), expr(A, B))
    assert out.dtype == expr(A, B).dtype


@pytest.mark.parametrize("expr", [
    lambda a, t: a + t, lambda a, t: a - t, lambda a, t: a * t, lambda a, t: a / t,
    lambda a, t: a @ t, lambda a, t: a ** t, lambda a, t: a < t, lambda a, t: a == t,
])
def test_numpy_array_on_the_left_defers_to_the_tensor(expr):
    out = expr(B, constant(A))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.numpy(), expr(B, A), rtol=1e-6)
