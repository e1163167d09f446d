"""tape.jacobian, tape.batch_jacobian and tf.hessians against NumPy finite differences."""

import numpy as np
import pytest

import myelin as tf
from myelin.autodiff import jacobian as jacobian_module

rng = np.random.default_rng(5)
X = rng.normal(size=(4, 3))
W1, B1 = rng.normal(size=(3, 5)) * 0.7, rng.normal(size=5) * 0.1
W2 = rng.normal(size=(5, 2)) * 0.7


def net(x, w1=W1, b1=B1, w2=W2):
    """A small two-layer network on float64 (each row of x independent)."""
    hidden = tf.tanh(tf.matmul(x, tf.convert_to_tensor(w1)) + tf.constant(b1))
    return tf.nn.softmax(tf.matmul(hidden, tf.constant(w2)) * tf.reduce_sum(x, axis=1,
                                                                               keepdims=True))


def numeric_jacobian(f, x, eps=1e-6):
    """d f(x) / d x by central differences, shape f(x).shape + x.shape."""
    out = np.asarray(f(x))
    jac = np.zeros(out.shape + x.shape)
    for j in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[j] += eps
        minus[j] -= eps
        jac[(...,) + j] = (np.asarray(f(plus)) - np.asarray(f(minus))) / (2 * eps)
    return jac


def test_jacobian_matches_finite_differences():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = net(x)
    jac = tape.jacobian(y, x)
    assert jac.shape == (4, 2, 4, 3)
    expected = numeric_jacobian(lambda a: net(tf.constant(a)).numpy(), X)
    np.testing.assert_allclose(jac.numpy(), expected, atol=1e-8)


@pytest.mark.parametrize("options", [dict(parallel_iterations=3),
                                     dict(experimental_use_pfor=False)])
def test_chunked_and_one_by_one_walks_agree(options):
    x = tf.constant(X)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = net(x)
    np.testing.assert_allclose(tape.jacobian(y, x, **options).numpy(),
                               tape.jacobian(y, x).numpy(), atol=1e-14)


def test_jacobian_vectorises_elementwise_ops(monkeypatch):
    calls = []
    original = tf.ops.elementwise.Multiply.backward

    def counting(self, grad):
        calls.append(grad.shape)
        return original(self, grad)

    monkeypatch.setattr(tf.ops.elementwise.Multiply, "backward", counting)
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    jac = tape.jacobian(y, x).numpy()
    assert calls == [(12, 4, 3)]  # one call for all 12 seeds
    np.testing.assert_allclose(jac.reshape(12, 12), np.diag(2 * X.reshape(-1)))


def test_jacobian_of_several_sources_and_unconnected():
    w, b, unused = tf.Variable(W1), tf.Variable(B1), tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = tf.tanh(tf.matmul(tf.constant(X), w) + b)
    jw, jb, ju = tape.jacobian(y, [w, b, unused])
    assert jw.shape == (4, 5, 3, 5) and jb.shape == (4, 5, 5) and ju is None
    expected = numeric_jacobian(lambda a: np.tanh(X @ W1 + a), B1)
    np.testing.assert_allclose(jb.numpy(), expected, atol=1e-8)
    with tf.GradientTape() as tape:
        y = w * 2.0
    zero = tape.jacobian(y, unused, unconnected_gradients="zero")
    assert zero.shape == (3, 5) and not zero.numpy().any()


def test_batch_jacobian_matches_per_example_finite_differences():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = net(x)
    jb = tape.batch_jacobian(y, x)
    assert jb.shape == (4, 2, 3)
    for i in range(4):
        expected = numeric_jacobian(lambda row: net(tf.constant(row[None])).numpy()[0], X[i])
        np.testing.assert_allclose(jb.numpy()[i], expected, atol=1e-8)


def test_batch_jacobian_refuses_mismatched_batches_and_reuse():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x, axis=0, keepdims=True)
    with pytest.raises(ValueError, match=r"first dimension of target shape \(1, 3\) and "
                                         r"source shape \(4, 3\) to match"):
        tape.batch_jacobian(y, x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
    tape.jacobian(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape can only be used"):
        tape.jacobian(y, x)


def test_jacobian_of_a_gradient_is_the_hessian():
    def loss(w):
        return tf.reduce_mean(tf.square(net(tf.constant(X), w1=w)))

    w = tf.Variable(W1)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            value = loss(w)
        g = t1.gradient(value, w)
    h = t2.jacobian(g, w)
    assert h.shape == (3, 5, 3, 5)

    def numeric_gradient(a):
        with tf.GradientTape() as tape:
            v = tf.Variable(a)
            out = loss(v)
        return tape.gradient(out, v).numpy()

    expected = numeric_jacobian(numeric_gradient, W1)
    np.testing.assert_allclose(h.numpy(), expected, atol=1e-7)
    flat = h.numpy().reshape(15, 15)
    np.testing.assert_allclose(flat, flat.T, atol=1e-12)  # a Hessian is symmetric


def test_jacobian_inside_an_outer_tape_is_differentiable():
    x = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x * x
        jac = inner.jacobian(y, x)  # diag(3 x^2)
        trace = tf.reduce_sum(jac * np.eye(2))
    np.testing.assert_allclose(outer.gradient(trace, x).numpy(), [6.0, 12.0])


def test_hessians_of_a_recorded_tensor_and_of_a_function():
    x = tf.Variable([1.0, 2.0, -1.0])
    with tf.GradientTape():
        y = tf.reduce_sum(x ** 3.0) + x[0] * x[1]
    (h,) = tf.hessians(y, x)
    expected = np.diag(6 * np.array([1.0, 2.0, -1.0]))
    expected[0, 1] = expected[1, 0] = 1.0
    np.testing.assert_allclose(h.numpy(), expected)
    (h2,) = tf.hessians(lambda: tf.reduce_sum(x ** 3.0) + x[0] * x[1], [x])
    np.testing.assert_allclose(h2.numpy(), expected)


def test_hessians_of_an_unrecorded_tensor_says_how_to_fix_it():
    x = tf.Variable(1.0)
    y = x * x
    with pytest.raises(ValueError, match="no GradientTape was recording.*lambda"):
        tf.hessians(y, x)


def test_memory_budget_splits_the_seeds(monkeypatch):
    monkeypatch.setattr(jacobian_module, "_ELEMENT_BUDGET", 30)
    x = tf.constant(X)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = net(x)
    small = tape.jacobian(y, x).numpy()
    monkeypatch.undo()
    np.testing.assert_allclose(small, tape.jacobian(y, x).numpy(), atol=1e-14)
