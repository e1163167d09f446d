"""TensorFlow's ``tf.math`` namespace: elementwise math, reductions, comparisons.

Most names are the ops themselves; this module adds the few ``tf.math`` functions
built from them (variance, standard deviation, ``divide_no_nan``) and ``in_top_k``.
"""

import numpy as np

from .autodiff import Tensor, convert_to_tensor
from .autodiff.static_value import make_graph_capable
from .ops.activation import log_softmax, sigmoid, softmax, softplus, softsign, tanh
from .ops.compare import (
    equal,
    greater,
    greater_equal,
    less,
    less_equal,
    logical_and,
    logical_not,
    logical_or,
    logical_xor,
    not_equal,
)
from .ops.creation import ones_like, zeros_like
from .ops.elementwise import (
    abs,
    add,
    divide,
    exp,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    operands,
    pow,
    sign,
    sqrt,
    square,
    subtract,
    where,
)
from .ops.reduce import (
    argmax,
    argmin,
    reduce_all,
    reduce_any,
    reduce_logsumexp,
    reduce_max,
    reduce_mean,
    reduce_min,
    reduce_sum,
)
from .ops.trigonometric import cos, sin

__all__ = [
    "abs", "add", "argmax", "argmin", "cos", "divide", "divide_no_nan", "equal", "exp", "greater",
    "greater_equal", "in_top_k", "less", "less_equal", "log", "log_softmax", "logical_and",
    "logical_not", "logical_or", "logical_xor", "maximum", "minimum", "multiply", "negative",
    "not_equal", "pow", "reduce_all", "reduce_any", "reduce_logsumexp", "reduce_max",
    "reduce_mean", "reduce_min", "reduce_std", "reduce_sum", "reduce_variance", "sigmoid",
    "sign", "sin", "softmax", "softplus", "softsign", "sqrt", "square", "subtract", "tanh",
]


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """Population variance (divides by N) over ``axis``."""
    x = convert_to_tensor(input_tensor)
    centered = x - reduce_mean(x, axis=axis, keepdims=True)
    return reduce_mean(square(centered), axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """Population standard deviation over ``axis``."""
    return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def divide_no_nan(x, y, name=None):
    """``x / y``, but 0 wherever ``y`` is 0 (and no gradient flows there)."""
    x, y = operands(x, y, "divide_no_nan")
    zero = y._data == 0
    safe = where(zero, ones_like(y), y)
    return where(zero, zeros_like(x), x / safe)


def in_top_k(targets, predictions, k, name=None):
    """Whether each target class is among the ``k`` highest predictions of its row.

    Accepts TF 2's order ``(targets, predictions, k)`` and TF 1's
    ``(predictions, targets, k)`` (``tf.compat.v1.nn.in_top_k``): the rank-2 argument
    is taken as the predictions, the rank-1 one as the targets. As in TF, classes
    tied with the target's score all count as in the top ``k``, and a non-finite
    target score or an out-of-range target gives False.

    Args:
        targets: integer class ids, shape ``(batch,)``.
        predictions: scores, shape ``(batch, classes)``.
        k: how many top scores to look at.

    Returns:
        A bool Tensor of shape ``(batch,)``.

    Example:
        >>> in_top_k([0, 1], [[0.9, 0.1], [0.8, 0.2]], 1).numpy()
        array([ True, False])
    """
    a = convert_to_tensor(targets)._data
    b = convert_to_tensor(predictions)._data
    if a.ndim == 2 and b.ndim == 1:
        a, b = b, a
    if a.ndim != 1 or b.ndim != 2 or a.shape[0] != b.shape[0]:
        raise ValueError(
            f"in_top_k: expected targets of shape (batch,) and predictions of shape "
            f"(batch, classes), received shapes {a.shape} and {b.shape}."
        )
    if a.dtype.kind not in "iu":
        raise TypeError(f"in_top_k: targets must be integers, received dtype {a.dtype.name}.")
    valid = (a >= 0) & (a < b.shape[1])
    score = b[np.arange(b.shape[0]), np.where(valid, a, 0)]
    above = (b > score[:, None]).sum(axis=1)
    return Tensor(valid & np.isfinite(score) & (above < int(k)))


# Functions that read raw values outside an op are recorded whole in graph mode.
make_graph_capable(globals(), __all__)
