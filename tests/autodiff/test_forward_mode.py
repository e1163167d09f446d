"""tf.autodiff.ForwardAccumulator: JVPs, Hessian-vector products, errors."""

import numpy as np
import pytest

import myelin as tf

rng = np.random.default_rng(7)
A = rng.normal(size=(3, 3))


def f(x):
    return tf.reduce_sum(tf.tanh(tf.matmul(tf.reshape(x, [1, 3]), tf.constant(A))) ** 2.0)


def test_jvp_of_an_elementwise_function():
    x = tf.constant([0.5, -1.0, 2.0], dtype="float64")
    v = np.array([1.0, 2.0, -1.0])
    with tf.autodiff.ForwardAccumulator(x, tf.constant(v)) as acc:
        y = tf.sin(x) * x
    expected = (np.cos(x.numpy()) * x.numpy() + np.sin(x.numpy())) * v
    np.testing.assert_allclose(acc.jvp(y).numpy(), expected)


def test_jvp_structures_and_unconnected():
    x, w = tf.Variable(2.0), tf.Variable(5.0)
    with tf.autodiff.ForwardAccumulator([x], [tf.constant(1.0)]) as acc:
        y, z = x * x, w * 3.0
    out = acc.jvp({"y": y, "z": z})
    assert float(out["y"]) == 4.0 and out["z"] is None
    assert float(acc.jvp(z, unconnected_gradients="zero")) == 0.0
    assert float(acc.jvp(x)) == 1.0  # a primal's tangent is the one given


def test_hessian_vector_product_forward_over_backward():
    x = tf.constant([0.3, -0.2, 0.7], dtype="float64")
    v = tf.constant([1.0, 0.0, -2.0], dtype="float64")
    with tf.autodiff.ForwardAccumulator(x, v) as acc:
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        backward = tape.gradient(y, x)
    hvp = acc.jvp(backward).numpy()
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        g = t1.gradient(y, x)
    hessian = t2.jacobian(g, x).numpy()
    np.testing.assert_allclose(hvp, hessian @ v.numpy(), atol=1e-12)


def test_backward_over_forward_gives_the_same_product():
    x = tf.constant([0.3, -0.2, 0.7], dtype="float64")
    v = tf.constant([1.0, 0.0, -2.0], dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, v) as acc:
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = f(x)
            jvp = acc.jvp(y)
    outer = tape.gradient(jvp, x).numpy()
    with tf.autodiff.ForwardAccumulator(x, v) as acc:
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        hvp = acc.jvp(inner.gradient(y, x)).numpy()
    np.testing.assert_allclose(outer, hvp, atol=1e-12)


def test_ops_outside_the_context_are_not_recorded():
    x = tf.constant(1.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(1.0)) as acc:
        pass
    assert acc.jvp(x * 2.0) is None


def test_bad_primals_and_tangents_are_refused():
    x = tf.constant([1.0, 2.0])
    with pytest.raises(ValueError, match=r"tangent of shape \(3,\) does not match its primal "
                                         r"of shape \(2,\)"):
        tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 2.0, 3.0]))
    with pytest.raises(ValueError, match="2 primals but 1 tangents"):
        tf.autodiff.ForwardAccumulator([x, x], [x])
    with pytest.raises(TypeError, match="primals must be Tensors.*received list"):
        tf.autodiff.ForwardAccumulator([[1.0]], [[1.0]])
    with pytest.warns(UserWarning, match="primal must be floating.*got int32"):
        acc = tf.autodiff.ForwardAccumulator(tf.constant(3), tf.constant(1))
    assert not acc._watched
    with pytest.raises(TypeError, match="jvp: sources must be Tensors.*received float"):
        acc.jvp(1.0)
