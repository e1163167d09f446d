"""Matrix multiplication."""

import numpy as np

from ..autodiff import Function
from .elementwise import operands


def _swap(a):
    return np.swapaxes(a, -1, -2)


class MatMul(Function):
    def __init__(self, transpose_a=False, transpose_b=False):
        self.transpose_a, self.transpose_b = transpose_a, transpose_b

    def forward(self, a, b):
        self.a, self.b = a, b
        a = _swap(a) if self.transpose_a else a
        b = _swap(b) if self.transpose_b else b
        return a @ b

    def backward(self, grad):
        # With a_ = op(a), b_ = op(b): d a_ = grad @ b_.T and d b_ = a_.T @ grad,
        # transposed back for an input that was transposed.
        a_ = _swap(self.a) if self.transpose_a else self.a
        b_ = _swap(self.b) if self.transpose_b else self.b
        ga = gb = None
        if self.needs[0]:
            ga = b_ @ _swap(grad) if self.transpose_a else grad @ _swap(b_)
        if self.needs[1]:
            gb = _swap(grad) @ a_ if self.transpose_b else _swap(a_) @ grad
        return ga, gb


def matmul(a, b, transpose_a=False, transpose_b=False, name=None):
    """Matrix product ``a @ b`` over the last two axes (leading axes broadcast).

    Raises:
        ValueError: naming both shapes when the inner dimensions differ.
    """
    a, b = operands(a, b, "matmul")
    if a.ndim < 2 or b.ndim < 2:
        raise ValueError(
            f"matmul: both inputs need rank >= 2, received shapes {a.shape} and {b.shape}. "
            f"Use reshape or expand_dims to add a batch or feature axis."
        )
    inner_a = a.shape[-2] if transpose_a else a.shape[-1]
    inner_b = b.shape[-1] if transpose_b else b.shape[-2]
    if inner_a != inner_b:
        raise ValueError(f"matmul: inner dimensions differ: {a.shape} @ {b.shape}")
    return MatMul.apply(a, b, transpose_a=transpose_a, transpose_b=transpose_b)
