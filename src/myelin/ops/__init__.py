"""Differentiable primitives with TensorFlow 2's names; ``from myelin.ops import *``.

Importing this package also attaches the Python operators to Tensor (see
``operators``). Random draws live in ``myelin.random``; activations are exported
in ``myelin.nn`` (sigmoid and tanh also here, as in TF 2's top level).
"""

from ..autodiff.static_value import make_graph_capable
from . import operators  # noqa: F401  (attaches + - * / @ [] < ... to Tensor)
from .activation import sigmoid, tanh
from .compare import (
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
from .creation import fill, linspace, one_hot, ones, ones_like, range, zeros, zeros_like
from .elementwise import (
    abs,
    add,
    cast,
    clip_by_value,
    divide,
    exp,
    log,
    maximum,
    minimum,
    multiply,
    negative,
    pow,
    sign,
    sqrt,
    square,
    subtract,
    where,
)
from .linalg import matmul
from .norms import clip_by_norm, norm
from .reduce import (
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
from .shape import (
    concat,
    expand_dims,
    gather,
    identity,
    rank,
    reshape,
    shape,
    size,
    squeeze,
    stack,
    transpose,
)
from .trigonometric import cos, sin

__all__ = [
    # elementwise
    "abs", "add", "cast", "clip_by_value", "divide", "exp", "log", "maximum", "minimum",
    "multiply", "negative", "pow", "sigmoid", "sign", "sqrt", "square", "subtract", "tanh",
    "where", "sin", "cos", "norm", "clip_by_norm",
    # linear algebra and reductions
    "matmul", "argmax", "argmin", "reduce_all", "reduce_any", "reduce_logsumexp",
    "reduce_max", "reduce_mean", "reduce_min", "reduce_sum",
    # shape
    "concat", "expand_dims", "gather", "identity", "rank", "reshape", "shape", "size",
    "squeeze", "stack", "transpose",
    # comparisons
    "equal", "greater", "greater_equal", "less", "less_equal", "logical_and",
    "logical_not", "logical_or", "logical_xor", "not_equal",
    # creation
    "fill", "linspace", "one_hot", "ones", "ones_like", "range", "zeros", "zeros_like",
]

# Functions that read raw values outside an op are recorded whole in graph mode.
make_graph_capable(globals(), __all__)
