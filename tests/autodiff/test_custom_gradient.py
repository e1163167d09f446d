"""tf.custom_gradient (upstream, variables, second order) and tf.recompute_grad."""

import numpy as np
import pytest

import myelin as tf


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)

    def grad(upstream):
        return upstream * (1 - 1 / (1 + e))

    return tf.math.log(1 + e), grad


@np.errstate(over="ignore", invalid="ignore")  # exp(100) is inf in float32, as in TF
def test_log1pexp_is_stable_where_the_naive_gradient_is_nan():
    x = tf.constant(100.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        naive = tf.math.log(1 + tf.exp(x))
    assert np.isnan(float(tape.gradient(naive, x)))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = log1pexp(x)
    assert float(tape.gradient(y, x)) == 1.0
    x0 = tf.constant(0.0)
    with tf.GradientTape() as tape:
        tape.watch(x0)
        y0 = log1pexp(x0)
    assert float(y0) == pytest.approx(np.log(2.0)) and float(tape.gradient(y0, x0)) == 0.5


def test_clip_gradients_example_from_the_guide():
    @tf.custom_gradient
    def clip_gradients(y):
        def backward(dy):
            return tf.clip_by_norm(dy, 0.5)
        return y, backward

    v = tf.Variable(2.0)
    with tf.GradientTape() as t:
        output = clip_gradients(v * v)
    assert float(t.gradient(output, v)) == 2.0  # backward clips 4 to 0.5; times dv*v/dv = 4


def test_variables_get_gradients_from_grad_fn():
    weights = tf.Variable([5.0, 20.0])

    @tf.custom_gradient
    def linear_poly(x):
        poly = weights[1] * x + weights[0]

        def grad_fn(dpoly, variables):
            assert len(variables) == 1 and variables[0] is weights
            dy_dw = dpoly * tf.stack([x ** 1.0, x ** 0.0])
            return dpoly * weights[1], [tf.reduce_sum(tf.reshape(dy_dw, [2, -1]), axis=1)]

        return poly, grad_fn

    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        poly = linear_poly(x)
    np.testing.assert_array_equal(poly.numpy(), [25.0, 45.0, 65.0])
    np.testing.assert_array_equal(tape.gradient(poly, x).numpy(), [20.0, 20.0, 20.0])
    np.testing.assert_array_equal(tape.gradient(poly, weights).numpy(), [6.0, 3.0])


def test_grad_fn_without_variables_argument_is_refused_by_name():
    w = tf.Variable(2.0, name="scale")

    @tf.custom_gradient
    def scaled(x):
        return x * w, lambda dy: dy * w

    x = tf.constant(1.0)
    with tf.GradientTape() as tape, pytest.raises(
            TypeError, match=r"'scaled'.*\['scale'\].*keyword argument 'variables'"):
        tape.watch(x)
        scaled(x)


def test_wrong_number_of_gradients_is_reported():
    @tf.custom_gradient
    def pair(a, b):
        return a * b, lambda dy: dy * b

    a, b = tf.constant(2.0), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = pair(a, b)
    with pytest.raises(ValueError, match="'pair'.*2 tensor inputs.*returned 1"):
        tape.gradient(y, [a, b])


def test_second_derivative_through_a_differentiable_grad_fn():
    @tf.custom_gradient
    def cube(x):
        return x * x * x, lambda dy: dy * 3.0 * x * x

    x = tf.Variable(2.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = cube(x)
        dy = t1.gradient(y, x)
    assert float(dy) == 12.0 and float(t2.gradient(dy, x)) == 12.0


def test_several_outputs_each_get_their_upstream():
    @tf.custom_gradient
    def split(x):
        return [x * 2.0, x * 3.0], lambda d0, d1: d0 * 20.0 + d1 * 300.0

    x = tf.constant(1.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        a, b = split(x)
        total = a + b
    assert float(tape.gradient(a, x)) == 20.0 and float(tape.gradient(b, x)) == 300.0
    assert float(tape.gradient(total, x)) == 320.0


def test_forward_mode_through_a_custom_gradient():
    x = tf.constant(0.0)
    with tf.autodiff.ForwardAccumulator(x, tf.constant(2.0)) as acc:
        y = log1pexp(x)
    assert float(acc.jvp(y)) == 1.0  # 2 * sigmoid(0)


def test_outside_any_tape_the_function_just_runs():
    assert float(log1pexp(tf.constant(0.0))) == pytest.approx(np.log(2.0))


def test_recompute_grad_is_a_pass_through():
    def block(x):
        return tf.nn.relu(x) * 2.0

    assert tf.recompute_grad(block) is block


def test_nested_custom_gradient_defines_the_second_derivative():
    @tf.custom_gradient
    def cube(x):
        def first_order(dy):
            @tf.custom_gradient
            def derivative(xx):
                # a deliberately scaled second derivative: proves this grad_fn is used
                return 3.0 * xx * xx, lambda ddy: ddy * 6.0 * xx * 100.0
            return dy * derivative(x)
        return x ** 3.0, first_order

    x = tf.Variable(2.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = cube(x)
        g = t1.gradient(y, x)
    assert float(g) == 12.0 and float(t2.gradient(g, x)) == 1200.0
