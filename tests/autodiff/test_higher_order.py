"""Nested tapes as TensorFlow 2: gradients of gradients, persistent tapes, watch,
stop_gradient, per-thread tapes, and the dtype rules."""

import threading
import warnings

import numpy as np
import pytest

import myelin as tf
from myelin.autodiff import recording


def test_issue_snippet_prints_six():
    v = tf.Variable(1.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = v * v * v
        dy = t1.gradient(y, v)
    assert float(t2.gradient(dy, v)) == 6.0


def test_derivatives_of_sin_squared_up_to_third_order():
    x = tf.Variable(np.linspace(-3, 3, 13))
    with tf.GradientTape() as t3:
        with tf.GradientTape() as t2:
            with tf.GradientTape() as t1:
                y = tf.square(tf.sin(x))
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    d3 = t3.gradient(d2, x)
    a = x.numpy()
    np.testing.assert_allclose(d1.numpy(), np.sin(2 * a), atol=1e-12)
    np.testing.assert_allclose(d2.numpy(), 2 * np.cos(2 * a), atol=1e-12)
    np.testing.assert_allclose(d3.numpy(), -4 * np.sin(2 * a), atol=1e-12)


def test_gradient_inside_persistent_tape_context_is_recorded_on_it():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
        dy = tape.gradient(y, x)  # TF: recorded on the tape itself, which is persistent
    assert float(dy) == 27.0
    assert float(tape.gradient(dy, x)) == 18.0


def test_non_persistent_tape_stops_recording_when_asked_inside_its_context():
    x = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = x * x
        assert float(tape.gradient(y, x)) == 4.0
        assert not recording.is_recording(tape)
        z = x * 3.0  # not recorded any more: nothing refers to a node
    assert z._node is None


def test_watched_intermediate_and_stop_gradient_in_nested_tapes():
    x = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            h = x * x
            inner.watch(h)
            y = h * h + tf.stop_gradient(h) * x
        dy_dh = inner.gradient(y, h)  # 2h = 2x^2 (stop_gradient(h) * x is constant in h)
    assert float(dy_dh) == 8.0
    assert float(outer.gradient(dy_dh, x)) == 8.0  # d(2x^2)/dx = 4x


def test_outer_tape_keeps_the_graph_an_inner_non_persistent_tape_used():
    x = tf.Variable(3.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            y = x * x
    assert float(inner.gradient(y, x)) == 6.0
    assert float(outer.gradient(y, x)) == 6.0  # the shared graph was not freed


def test_second_derivative_through_a_dense_layer_and_softmax_loss():
    layer = tf.keras.layers.Dense(3, activation="tanh", dtype="float64")
    x = tf.constant(np.random.default_rng(1).normal(size=(4, 2)))
    labels = np.array([0, 2, 1, 2])

    def input_gradient_norm(inputs):
        with tf.GradientTape() as tape:
            tape.watch(inputs)
            loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(
                labels, layer(inputs)))
        return tf.norm(tape.gradient(loss, inputs))

    with tf.GradientTape() as outer:
        penalty = input_gradient_norm(x)
    analytic = outer.gradient(penalty, layer.kernel).numpy()
    kernel, eps = layer.kernel.numpy(), 1e-6
    for index in [(0, 0), (1, 2)]:
        values = []
        for sign in (1, -1):
            moved = kernel.copy()
            moved[index] += sign * eps
            layer.kernel.assign(moved)
            values.append(float(input_gradient_norm(x)))
        layer.kernel.assign(kernel)
        np.testing.assert_allclose(analytic[index], (values[0] - values[1]) / (2 * eps),
                                   rtol=1e-6)


def test_tapes_are_per_thread():
    x = tf.Variable(2.0)
    seen = {}

    def other_thread():
        seen["recording"] = recording.active()
        seen["y"] = x * x

    with tf.GradientTape() as tape:
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
    assert seen["recording"] is False
    assert tape.gradient(seen["y"], x) is None


def test_several_targets_add_up_and_list_output_gradients():
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0, y1 = x ** 2, 1 / x
    assert float(tape.gradient({"y0": y0, "y1": y1}, x)) == 3.75
    both = tape.gradient([y0, y1], x, output_gradients=[tf.constant(2.0), tf.constant(4.0)])
    assert float(both) == 2 * 4.0 + 4 * -0.25


def test_unconnected_gradients_enum():
    x, y = tf.Variable(1.0), tf.Variable(2.0)
    with tf.GradientTape() as tape:
        z = y * 2.0
    zero = tape.gradient(z, x, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert float(zero) == 0.0


def test_integer_sources_get_none_and_a_warning_naming_the_dtype():
    x = tf.constant(10)
    with pytest.warns(UserWarning, match="watched tensor must be floating.*got int32"):
        with tf.GradientTape() as g:
            g.watch(x)
            y = x * x
    with pytest.warns(UserWarning) as caught:
        assert g.gradient(y, x) is None
    messages = [str(w.message) for w in caught]
    assert any("source tensor must be floating" in m and "got int32" in m for m in messages)
    assert any("target tensor must be floating" in m and "got int32" in m for m in messages)
    assert all(w.filename == __file__ for w in caught)  # they point at the caller


def test_integer_variable_gets_none_not_an_integer_gradient():
    v = tf.Variable(3)
    with tf.GradientTape() as tape:
        y = v * v
    with pytest.warns(UserWarning, match="source tensor.*got int32; its gradient is None"), \
            pytest.warns(UserWarning, match="target tensor.*got int32"):
        assert tape.gradient(y, v) is None
    b = tf.Variable([True, False])
    with tf.GradientTape() as tape:
        c = tf.cast(b, "float32") * 2.0
    with pytest.warns(UserWarning, match="got bool"):
        assert tape.gradient(c, b) is None


def test_gradients_keep_the_source_float_dtype():
    h = tf.Variable(np.array([1.5, -2.0], dtype=np.float16))
    d = tf.Variable(np.array([0.5], dtype=np.float64))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.cast(h, "float32") * 3.0) + tf.cast(tf.reduce_sum(d * d), "float32")
    gh, gd = tape.gradient(y, [h, d])
    assert gh.dtype == np.float16 and gd.dtype == np.float64
    np.testing.assert_array_equal(gh.numpy(), [3.0, 3.0])
    assert float(gd) == 1.0
    with pytest.raises(TypeError, match="same dtype.*float16 and float32"):
        h + tf.constant([1.0, 1.0])  # TF refuses mixing float16 and float32 too


def test_float_gradients_raise_no_warning():
    x = tf.Variable(1.0)
    with tf.GradientTape() as tape:
        y = x * 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert float(tape.gradient(y, x)) == 2.0


def test_gradients_function_raises_tf_eager_message():
    with pytest.raises(RuntimeError, match="tf.gradients is not supported when eager "
                                           "execution is enabled. Use tf.GradientTape"):
        tf.gradients(tf.constant(1.0), tf.constant(2.0))


def test_nested_sources_keep_their_structure():
    a, b, c = tf.Variable(1.0), tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = a * b * c
    grads = tape.gradient(y, {"first": [a, (b,)], "second": c})
    assert float(grads["first"][0]) == 6.0 and isinstance(grads["first"][1], tuple)
    assert float(grads["first"][1][0]) == 3.0 and float(grads["second"]) == 2.0
    with tf.GradientTape() as tape:
        y = a * 2.0
    with pytest.raises(TypeError, match="sources must be Tensors or Variables, received str"):
        tape.gradient(y, [a, ["b"]])


def test_two_tapes_over_one_forward_pass_as_in_the_dcgan_tutorial():
    gen_w, disc_w = tf.Variable([[0.5, -1.0]]), tf.Variable([[2.0], [1.0]])
    noise = tf.constant([[1.0], [2.0]])
    with tf.GradientTape() as gen_tape, tf.GradientTape() as disc_tape:
        generated = tf.matmul(noise, gen_w)
        fake_output = tf.matmul(generated, disc_w)
        gen_loss = tf.reduce_mean(fake_output)
        disc_loss = -tf.reduce_mean(fake_output)
    (g_gen,) = gen_tape.gradient(gen_loss, [gen_w])
    (g_disc,) = disc_tape.gradient(disc_loss, [disc_w])  # the first call freed nothing
    np.testing.assert_allclose(g_gen.numpy(), [[3.0, 1.5]])  # mean(noise) * disc_w.T
    np.testing.assert_allclose(g_disc.numpy(), [[-0.75], [1.5]])  # -mean(generated).T


def test_a_tape_only_differentiates_with_respect_to_what_it_watched():
    x0, x1 = tf.constant(0.0), tf.constant(0.0)
    with tf.GradientTape(persistent=True) as tape0, tf.GradientTape() as tape1:
        tape0.watch(x0)
        tape1.watch(x1)
        ys = tf.sin(x0) + tf.sigmoid(x1)
    assert tape0.gradient(ys, x1) is None  # tape1's source, not tape0's
    assert float(tape0.gradient(ys, x1, unconnected_gradients="zero")) == 0.0
    v = tf.Variable(2.0)
    with tf.GradientTape() as outer:
        with tf.GradientTape(watch_accessed_variables=False) as inner:
            inner.watch(x0)
            y = v * x0
    assert inner.gradient(y, v) is None
    assert float(outer.gradient(y, v)) == 0.0
