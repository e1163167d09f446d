"""Batch-wise dot product (Keras's ``batch_dot``, the kernel of the ``Dot`` layer).

For each sample ``b``, contracts axis ``axes[0]`` of ``x[b]`` with axis ``axes[1]`` of
``y[b]``; the result holds ``x``'s other axes, then ``y``'s, so ``(b, 3, 5)`` and
``(b, 10, 3)`` with ``axes=(1, 2)`` give ``(b, 5, 10)``. One einsum forward, one per
input backward.
"""

import numpy as np

from ..autodiff import Function, convert_to_tensor
from .shape import reshape

_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _subscripts(x_ndim, y_ndim, axes):
    """einsum subscripts ``(x, y, out)``: batch letter shared, contracted letter shared."""
    x = list(_LETTERS[:x_ndim])
    y = [x[0]] + list(_LETTERS[x_ndim:x_ndim + y_ndim - 1])
    y[axes[1]] = x[axes[0]]
    out = [c for i, c in enumerate(x) if i != axes[0]]
    out += [c for i, c in enumerate(y) if i not in (0, axes[1])]
    return "".join(x), "".join(y), "".join(out)


class BatchDot(Function):
    def __init__(self, axes):
        self.axes = axes

    def forward(self, x, y):
        self.sx, self.sy, self.so = _subscripts(x.ndim, y.ndim, self.axes)
        self.x, self.y = x, y
        return np.einsum(f"{self.sx},{self.sy}->{self.so}", x, y, optimize=True)

    def backward(self, grad):
        gx = (np.einsum(f"{self.so},{self.sy}->{self.sx}", grad, self.y, optimize=True)
              if self.needs[0] else None)
        gy = (np.einsum(f"{self.so},{self.sx}->{self.sy}", grad, self.x, optimize=True)
              if self.needs[1] else None)
        return gx, gy


def batch_dot(x, y, axes):
    """The per-sample dot product of ``x`` and ``y`` over ``axes = (axis_x, axis_y)``.

    Args:
        x, y: Tensors of rank >= 2 with the same batch size (axis 0).
        axes: two axes (>= 1 after counting negative ones from the end) of equal size.

    Returns:
        A Tensor of ``x``'s remaining axes then ``y``'s (without its batch axis); a
        result of rank 1 is returned as ``(batch, 1)``, as Keras.

    Raises:
        ValueError: for ranks below 2, different batch sizes, the batch axis in
            ``axes`` or contracted axes of different sizes.

    Example:
        >>> batch_dot(np.ones((2, 3)), np.ones((2, 3)), (1, 1)).numpy()
        array([[3.], [3.]], dtype=float32)
    """
    x, y = convert_to_tensor(x), convert_to_tensor(y)
    if x.ndim < 2 or y.ndim < 2:
        raise ValueError(f"batch_dot: inputs must have rank >= 2, received shapes {x.shape} "
                         f"and {y.shape}.")
    if x.shape[0] != y.shape[0]:
        raise ValueError(f"batch_dot: inputs have different batch sizes, received shapes "
                         f"{x.shape} and {y.shape}.")
    a0, a1 = axes[0] % x.ndim, axes[1] % y.ndim
    if 0 in (a0, a1):
        raise ValueError(f"batch_dot: cannot contract the batch axis 0, received axes={axes} "
                         f"for shapes {x.shape} and {y.shape}.")
    if x.shape[a0] != y.shape[a1]:
        raise ValueError(f"batch_dot: x.shape[{a0}] != y.shape[{a1}] ({x.shape[a0]} != "
                         f"{y.shape[a1]}) for shapes {x.shape} and {y.shape}.")
    out = BatchDot.apply(x, y, axes=(a0, a1))
    return out if out.ndim > 1 else reshape(out, (-1, 1))
