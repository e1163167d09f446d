"""The backward walk: accumulation, deep graphs, freeing, shape checks, needs."""

import gc
import weakref

import numpy as np
import pytest

import myelin.ops as ops
from myelin.autodiff import Function, GradientTape, Variable, constant
from myelin.testing import gradcheck


def test_reused_node_accumulates():
    x = Variable([1.0, -2.0])
    with GradientTape() as tape:
        y = x * x + x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [3.0, -3.0])
    assert gradcheck(lambda a: a * a + a, np.array([1.0, -2.0]))


def test_diamond_graph():
    # a feeds two branches that meet again: dy/dx = 2 exp(2x) + 8x
    def fn(x):
        a = x * 2.0
        return ops.exp(a) + a * a

    x = Variable([0.5, -0.25])
    with GradientTape() as tape:
        y = fn(x)
    xs = np.array([0.5, -0.25])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), 2 * np.exp(2 * xs) + 8 * xs,
                               rtol=1e-6)
    assert gradcheck(fn, xs)


# Core bug (reported to the lead): _topological_order marks a tensor as seen when it is
# pushed, not when it is expanded, so a tensor reached again by a longer path (h below:
# consumed by d = h + 1 and by q = h / d) is processed before d has sent its gradient.
# dy/da comes out as 0.5 instead of 0.25.
def test_tensor_reached_by_paths_of_different_length():
    def fn(a, b):
        h = a * b
        return h / (h + 1.0) * b

    a, b = Variable(np.array([1.0])), Variable(np.array([1.0]))
    with GradientTape() as tape:
        y = fn(a, b)
    ga, gb = tape.gradient(y, [a, b])
    assert float(ga) == pytest.approx(0.25) and float(gb) == pytest.approx(0.75)


@pytest.mark.parametrize("length", [3000, 10000])
def test_long_chain_has_no_recursion_limit(length):
    x = Variable(1.0)
    with GradientTape(persistent=True) as tape:
        y = x
        for _ in range(length):
            y = y * 1.0001
    np.testing.assert_allclose(float(tape.gradient(y, x)), 1.0001 ** length, rtol=1e-3)
    del y, tape
    gc.collect()  # tearing down the deep graph must not overflow the C stack either


def test_graph_is_freed_after_a_non_persistent_gradient():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        h = x * 2.0
        y = ops.reduce_sum(h * h)
    node = weakref.ref(h._node)
    tape.gradient(y, x)
    assert h._node is None and y._node is None
    assert node() is None


def test_persistent_tape_keeps_the_graph():
    x = Variable([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        h = x * 2.0
        y = ops.reduce_sum(h * h)
    node = weakref.ref(h._node)
    tape.gradient(y, x)
    assert node() is not None


class BadShape(Function):
    def forward(self, x):
        return x * 2

    def backward(self, grad):
        return np.ones(3)  # the input has shape (2,)


def test_wrong_gradient_shape_is_reported():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = BadShape.apply(x)
    with pytest.raises(RuntimeError, match=r"badshape: backward produced a gradient of shape "
                                           r"\(3,\) for an input of shape \(2,\)"):
        tape.gradient(y, x)


class Spy(Function):
    seen = None

    def forward(self, a, b):
        return a * b

    def backward(self, grad):
        Spy.seen = self.needs
        return grad, grad


def test_untracked_inputs_are_not_differentiated():
    w, c = Variable([1.0, 2.0]), constant([3.0, 4.0])
    with GradientTape() as tape:
        y = Spy.apply(w, c)
    gw, gc_ = tape.gradient(y, [w, c])
    assert Spy.seen == (True, False)
    assert gw is not None and gc_ is None


def test_op_on_untracked_inputs_is_not_recorded():
    with GradientTape():
        y = constant(2.0) * constant(3.0)
    assert y._node is None


def test_broadcast_gradients_are_summed_back():
    col, row = Variable(np.ones((3, 1), "float32")), Variable(np.ones((1, 4), "float32"))
    scalar = Variable(2.0)
    with GradientTape() as tape:
        y = (col + row) * scalar
    gcol, grow, gs = tape.gradient(y, [col, row, scalar])
    np.testing.assert_array_equal(gcol.numpy(), np.full((3, 1), 8.0))
    np.testing.assert_array_equal(grow.numpy(), np.full((1, 4), 6.0))
    assert float(gs) == 24.0
