"""Property-based gradient checks over random shapes and random compositions."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays, mutually_broadcastable_shapes

import myelin.ops as ops
from myelin.testing import gradcheck

# derandomize: the same examples every run, so a failure reproduces and CI is stable.
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)
# Values kept away from 0 so division and its derivatives stay well conditioned.
MAGNITUDES = st.floats(0.5, 2.0)


@st.composite
def broadcast_pair(draw):
    shapes = draw(mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3))
    x, y = (draw(arrays(np.float64, s, elements=MAGNITUDES)) for s in shapes.input_shapes)
    signs = draw(arrays(np.float64, shapes.input_shapes[0], elements=st.sampled_from([-1., 1.])))
    return x * signs, y


@SETTINGS
@given(broadcast_pair(), st.sampled_from([ops.add, ops.subtract, ops.multiply, ops.divide]))
def test_broadcast_binary_ops(pair, op):
    x, y = pair
    out = op(x, y)
    assert out.shape == np.broadcast_shapes(x.shape, y.shape)
    assert gradcheck(op, x, y)


UNARY = [ops.tanh, ops.sigmoid, ops.square, lambda x: ops.exp(ops.tanh(x)),
         lambda x: x * 0.5 + 1.0, lambda x: ops.sqrt(ops.square(x) + 1.0),
         lambda x: ops.reduce_sum(x, axis=-1, keepdims=True) * x,
         lambda x: ops.reduce_mean(x, axis=0) + x, lambda x: ops.transpose(ops.transpose(x)),
         lambda x: ops.log(ops.sigmoid(x)), lambda x: x / (1.0 + ops.square(x))]


# Shared inputs reached by paths of different length trip the core's topological-order
# bug (see tests/autodiff/test_graph.py); remove the marker when tape.py is fixed.
@SETTINGS
@given(shape=st.lists(st.integers(1, 3), min_size=1, max_size=3).map(tuple),
       steps=st.lists(st.integers(0, len(UNARY) - 1), min_size=1, max_size=6),
       data=st.data())
def test_random_composition(shape, steps, data):
    x = data.draw(arrays(np.float64, shape, elements=st.floats(-2.0, 2.0)))
    other = data.draw(arrays(np.float64, shape[-1:], elements=MAGNITUDES))

    def fn(a, b):
        for i in steps:
            a = UNARY[i](a) * b  # the second input joins at every step (reused node)
        return a

    assert gradcheck(fn, x, other, rtol=1e-3)
