"""VJP and JVP rules of the elementwise ops, matmul and the activations.

Each VJP rule restates the op's array ``backward`` with differentiable ops on
Tensors (``fn.inputs``, the output ``out`` and the incoming ``grad``); masks and
other piecewise-constant factors stay constants. Elementwise ops take their JVP
from the VJP (``jvp_from_vjp``).
"""

import numpy as np

from ...autodiff import Tensor
from ...autodiff.forward_mode import jvp_from_vjp, jvp_rule
from ...autodiff.higher_order import vjp_rule
from .. import activation as act
from .. import elementwise as ew
from ..linalg import MatMul, matmul
from ..reduce import reduce_sum


def const(array, like):
    """A constant factor (mask, saved scale) in ``like``'s dtype.

    Args:
        array: a mask, scale or other array saved by the forward pass.
        like: the Tensor whose dtype the constant takes.

    Returns:
        An untracked Tensor.
    """
    return Tensor(np.asarray(array, dtype=like.dtype))


@vjp_rule(ew.Add)
def _add(fn, out, g):
    return g, g


@vjp_rule(ew.Subtract)
def _subtract(fn, out, g):
    return g, -g


@vjp_rule(ew.Multiply)
def _multiply(fn, out, g):
    a, b = fn.inputs
    return g * b, g * a


@vjp_rule(ew.Divide)
def _divide(fn, out, g):
    b = fn.inputs[1]
    return g / b, -(g * out) / b


@vjp_rule(ew.Pow)
def _pow(fn, out, g):
    a, b = fn.inputs
    ga = g * b * ew.pow(a, b - 1.0) if fn.needs[0] else None
    gb = None
    if fn.needs[1]:
        positive = a._data > 0
        safe = ew.where(positive, a, const(1, a))
        gb = ew.where(positive, g * out * ew.log(safe), const(0, g))
    return ga, gb


@vjp_rule(ew.Maximum, ew.Minimum)
def _extreme(fn, out, g):
    return g * const(fn.mask, g), g * const(~fn.mask, g)


@vjp_rule(ew.Negative)
def _negative(fn, out, g):
    return -g


@vjp_rule(ew.Exp)
def _exp(fn, out, g):
    return g * out


@vjp_rule(ew.Log)
def _log(fn, out, g):
    return g / fn.inputs[0]


@vjp_rule(ew.Sqrt)
def _sqrt(fn, out, g):
    return g / (out * 2.0)


@vjp_rule(ew.Square)
def _square(fn, out, g):
    return g * fn.inputs[0] * 2.0


@vjp_rule(ew.Abs)
def _abs(fn, out, g):
    return g * const(np.sign(fn.inputs[0]._data), g)


@vjp_rule(ew.Where)
def _where(fn, out, g):
    zero = const(0, g)
    return (ew.Where.apply(g, zero, condition=fn.condition),
            ew.Where.apply(zero, g, condition=fn.condition))


@vjp_rule(ew.ClipByValue)
def _clip(fn, out, g):
    return g * const(fn.inside, g)


@vjp_rule(ew.Cast)
def _cast(fn, out, g):
    return g  # the walk casts it to the input's dtype


@jvp_rule(ew.Cast)
def _cast_jvp(fn, out, tangents):
    return ew.Cast.apply(tangents[0], dtype=fn.dtype)


jvp_from_vjp(ew.Add, ew.Subtract, ew.Multiply, ew.Divide, ew.Pow, ew.Maximum, ew.Minimum,
             ew.Negative, ew.Exp, ew.Log, ew.Sqrt, ew.Square, ew.Abs, ew.Where,
             ew.ClipByValue)


@vjp_rule(MatMul)
def _matmul(fn, out, g):
    a, b = fn.inputs
    ta, tb = fn.transpose_a, fn.transpose_b
    ga = gb = None
    if fn.needs[0]:
        ga = (matmul(b, g, transpose_a=tb, transpose_b=True) if ta
              else matmul(g, b, transpose_b=not tb))
    if fn.needs[1]:
        gb = (matmul(g, a, transpose_a=True, transpose_b=ta) if tb
              else matmul(a, g, transpose_a=not ta))
    return ga, gb


@jvp_rule(MatMul)
def _matmul_jvp(fn, out, tangents):
    (a, b), (da, db) = fn.inputs, tangents
    flags = dict(transpose_a=fn.transpose_a, transpose_b=fn.transpose_b)
    terms = [matmul(da, b, **flags) if da is not None else None,
             matmul(a, db, **flags) if db is not None else None]
    terms = [t for t in terms if t is not None]
    return terms[0] if len(terms) == 1 else terms[0] + terms[1]


@vjp_rule(act.Relu, act.Relu6)
def _relu(fn, out, g):
    inside = out._data > 0 if isinstance(fn, act.Relu) else (out._data > 0) & (out._data < 6)
    return g * const(inside, g)


@vjp_rule(act.LeakyRelu)
def _leaky_relu(fn, out, g):
    return g * const(np.where(fn.positive, 1.0, fn.alpha), g)


@vjp_rule(act.Elu)
def _elu(fn, out, g):
    below = out + fn.scale * fn.alpha  # d/dx of scale*alpha*(e^x - 1) is out + scale*alpha
    return g * ew.Where.apply(const(fn.scale, g), below, condition=fn.positive)


@vjp_rule(act.Sigmoid)
def _sigmoid(fn, out, g):
    return g * out * (1.0 - out)


@vjp_rule(act.Tanh)
def _tanh(fn, out, g):
    return g * (1.0 - out * out)


@vjp_rule(act.Softplus)
def _softplus(fn, out, g):
    return g * act.sigmoid(fn.inputs[0])


@vjp_rule(act.Softsign)
def _softsign(fn, out, g):
    denominator = ew.abs(fn.inputs[0]) + 1.0
    return g / (denominator * denominator)


@vjp_rule(act.Silu)
def _silu(fn, out, g):
    x = fn.inputs[0]
    s = act.sigmoid(x * fn.beta)
    return g * (s + x * s * (1.0 - s) * fn.beta)


jvp_from_vjp(act.Relu, act.Relu6, act.LeakyRelu, act.Elu, act.Sigmoid, act.Tanh,
             act.Softplus, act.Softsign, act.Silu)


@vjp_rule(act.Softmax)
def _softmax(fn, out, g):
    return out * (g - reduce_sum(g * out, axis=fn.axis, keepdims=True))


@vjp_rule(act.LogSoftmax)
def _log_softmax(fn, out, g):
    return g - ew.exp(out) * reduce_sum(g, axis=fn.axis, keepdims=True)


@jvp_rule(act.Softmax)
def _softmax_jvp(fn, out, tangents):
    return _softmax(fn, out, tangents[0])  # the softmax Jacobian is symmetric


@jvp_rule(act.LogSoftmax)
def _log_softmax_jvp(fn, out, tangents):
    t = tangents[0]
    return t - reduce_sum(t * ew.exp(out), axis=fn.axis, keepdims=True)
