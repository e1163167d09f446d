"""Autodiff behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np
import pytest

import myelin as tf


def test_batch_jacobian_refuses_a_scalar_target_with_a_named_error():
    # A scalar has no batch dimension: the check must say so, not fail on shape[0].
    x = tf.constant(np.arange(6.0).reshape(2, 3))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(x)
    with pytest.raises(ValueError, match=r"batch_jacobian: need first dimension of target "
                                         r"shape \(\) and source shape \(2, 3\) to match"):
        tape.batch_jacobian(y, x)


def test_hessians_of_a_list_is_the_hessian_of_its_sum():
    # d2/dx2 (x^3 + x^2) = 6x + 2, diagonal because the elements are independent.
    x = tf.constant([1.0, 2.0, -0.5], dtype="float64")
    (h,) = tf.hessians(lambda: [x**3, x**2], x)
    np.testing.assert_allclose(h.numpy(), np.diag(6 * x.numpy() + 2), atol=1e-12)


def test_forward_tangent_of_a_broadcast_input_takes_the_output_shape():
    # y = x + c with x (3,) and c (2, 3): the jvp has y's shape, each row equal to the tangent.
    x = tf.constant([1.0, 2.0, 3.0], dtype="float64")
    c = tf.constant(np.ones((2, 3)), dtype="float64")
    tangent = tf.constant([0.5, -1.0, 2.0], dtype="float64")
    with tf.autodiff.ForwardAccumulator(x, tangent) as acc:
        y = x + c
    jvp = acc.jvp(y)
    assert jvp.shape == (2, 3)
    np.testing.assert_array_equal(jvp.numpy(), [[0.5, -1.0, 2.0], [0.5, -1.0, 2.0]])


def test_random_ops_run_eagerly_outside_graph_mode():
    # Eager calls go straight to the op (the TF-1 graph recorder is only for graph mode).
    tf.random.set_seed(3)
    a = tf.random.normal((2, 3))
    b = tf.random.uniform((4,), minval=2.0, maxval=3.0)
    assert a.shape == (2, 3) and np.isfinite(a.numpy()).all()
    assert ((b.numpy() >= 2.0) & (b.numpy() < 3.0)).all()


def test_a_random_op_in_graph_mode_draws_anew_at_each_session_run():
    tf.compat.v1.disable_eager_execution()
    try:
        draw = tf.random_normal((3,))
        assert isinstance(draw, tf.graph.SymbolicTensor)
        with tf.Session() as sess:
            first, second = sess.run(draw), sess.run(draw)
    finally:
        tf.compat.v1.enable_eager_execution()
    assert first.shape == (3,) and not np.array_equal(first, second)


def test_a_grad_fn_with_variables_must_return_a_pair():
    v = tf.Variable(2.0, dtype="float64")

    @tf.custom_gradient
    def scale(x):
        def grad_fn(upstream, variables=None):
            return upstream * v  # forgot the variable gradients

        return x * v, grad_fn

    x = tf.constant(3.0, dtype="float64")
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = scale(x)
    with pytest.raises(ValueError, match=r"grad_fn uses variables, so it must return "
                                         r"\(input_gradients, variable_gradients\)"):
        tape.gradient(y, [x, v])
