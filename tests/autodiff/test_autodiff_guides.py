"""The programs of TensorFlow's "Introduction to gradients and automatic
differentiation" and "Advanced automatic differentiation" guides, with only the
import changed, give the values TensorFlow prints; and a WGAN-GP gradient penalty
trains through a gradient."""

import numpy as np
import pytest

import myelin as tf


def test_intro_scalar_and_persistent_tape():
    x = tf.Variable(3.0)
    with tf.GradientTape() as tape:
        y = x ** 2
    assert tape.gradient(y, x).numpy() == 6.0
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert tape.gradient(z, x).numpy() == 108.0
    assert tape.gradient(y, x).numpy() == 6.0


def test_intro_non_scalar_targets():
    x = tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        y0 = x ** 2
        y1 = 1 / x
    assert tape.gradient(y0, x).numpy() == 4.0
    assert tape.gradient(y1, x).numpy() == -0.25
    with tf.GradientTape() as tape:
        y0 = x ** 2
        y1 = 1 / x
    assert tape.gradient({"y0": y0, "y1": y1}, x).numpy() == 3.75
    with tf.GradientTape() as tape:
        y = x * [3.0, 4.0]
    assert tape.gradient(y, x).numpy() == 7.0


def test_intro_control_flow_and_cases_that_return_none():
    x = tf.constant(1.0)
    v0, v1 = tf.Variable(2.0), tf.Variable(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        result = v0 if x > 0.0 else v1 ** 2
    dv0, dv1 = tape.gradient(result, [v0, v1])
    assert float(dv0) == 1.0 and dv1 is None
    assert tape.gradient(result, x) is None
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]], dtype=tf.float32)
    with tf.GradientTape() as tape:
        x2 = x ** 2
        y = np.mean(x2, axis=0)  # outside TensorFlow: the tape cannot see it
        y = tf.reduce_mean(y, axis=0)
    assert tape.gradient(y, x) is None
    x0, x1 = tf.Variable(3.0), tf.Variable(0.0)
    with tf.GradientTape() as tape:
        x1.assign_add(x0)  # a stateful update is not differentiable
        y = x1 ** 2
    assert tape.gradient(y, x0) is None


def test_advanced_stop_recording_and_stop_gradient():
    x, y = tf.Variable(2.0), tf.Variable(3.0)
    with tf.GradientTape() as t:
        x_sq = x * x
        with t.stop_recording():
            y_sq = y * y
        z = x_sq + y_sq
    grad = t.gradient(z, {"x": x, "y": y})
    assert grad["x"].numpy() == 4.0 and grad["y"] is None
    with tf.GradientTape() as t:
        y_sq = y ** 2
        z = x ** 2 + tf.stop_gradient(y_sq)
    grad = t.gradient(z, {"x": x, "y": y})
    assert grad["x"].numpy() == 4.0 and grad["y"] is None


def test_advanced_multiple_tapes():
    x0, x1 = tf.constant(0.0), tf.constant(0.0)
    with tf.GradientTape() as tape0, tf.GradientTape() as tape1:
        tape0.watch(x0)
        tape1.watch(x1)
        y0 = tf.math.sin(x0)
        y1 = tf.nn.sigmoid(x1)
        y = y0 + y1
        ys = tf.reduce_sum(y)
    assert tape0.gradient(ys, x0).numpy() == 1.0
    assert tape1.gradient(ys, x1).numpy() == 0.25


def test_advanced_higher_order_and_input_gradient_regularization():
    x = tf.Variable(1.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)
    d2y_dx2 = t2.gradient(dy_dx, x)
    assert dy_dx.numpy() == 3.0 and d2y_dx2.numpy() == 6.0

    x = tf.random.normal([7, 5])
    layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = layer(x)
            out = tf.reduce_sum(layer(x) ** 2)
        g1 = t1.gradient(out, x)
        g1_mag = tf.norm(g1)
    dg1_mag = t2.gradient(g1_mag, layer.trainable_variables)
    assert [var.shape for var in dg1_mag] == [(5, 10), (10,)]
    assert y.shape == (7, 10)


def test_advanced_jacobians():
    x = tf.linspace(-10.0, 10.0, 200 + 1)
    delta = tf.Variable(0.0)
    with tf.GradientTape() as tape:
        y = tf.nn.sigmoid(x + delta)
    dy_dx = tape.jacobian(y, delta)
    assert y.shape == (201,) and dy_dx.shape == (201,)
    s = 1 / (1 + np.exp(-x.numpy()))
    np.testing.assert_allclose(dy_dx.numpy(), s * (1 - s), rtol=1e-3, atol=1e-7)

    x = tf.random.normal([7, 5])
    layer = tf.keras.layers.Dense(10, activation=tf.nn.relu)
    with tf.GradientTape(persistent=True) as tape:
        y = layer(x)
    j = tape.jacobian(y, layer.kernel)
    assert j.shape == (7, 10, 5, 10)
    g = tape.gradient(y, layer.kernel)
    j_sum = tf.reduce_sum(j, axis=[0, 1])
    delta = tf.reduce_max(abs(g - j_sum)).numpy()
    assert delta < 1e-3


def test_advanced_hessian_and_newton_step():
    tf.random.set_seed(1)
    x0 = tf.random.normal([7, 5])
    layer1 = tf.keras.layers.Dense(8, activation=tf.nn.relu)
    layer2 = tf.keras.layers.Dense(6, activation=tf.nn.relu)

    def loss_value():
        return float(tf.reduce_mean(layer2(layer1(x0)) ** 2))

    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            x = layer1(x0)
            x = layer2(x)
            loss = tf.reduce_mean(x ** 2)
        g = t1.gradient(loss, layer1.kernel)
    h = t2.jacobian(g, layer1.kernel)
    assert layer1.kernel.shape == (5, 8) and h.shape == (5, 8, 5, 8)
    n_params = int(np.prod(layer1.kernel.shape))
    g_vec = tf.reshape(g, [n_params, 1])
    h_mat = tf.reshape(h, [n_params, n_params])
    # The guide uses tf.eye and tf.linalg.solve; NumPy stands in for both here.
    update = np.linalg.solve(h_mat.numpy() + np.eye(n_params) * 1e-3, g_vec.numpy())
    before = loss_value()
    layer1.kernel.assign_sub(tf.reshape(update.astype("float32"), layer1.kernel.shape))
    assert loss_value() < before


def test_advanced_batch_jacobian():
    x = tf.random.normal([7, 5])
    layer1 = tf.keras.layers.Dense(8, activation=tf.nn.elu)
    layer2 = tf.keras.layers.Dense(6, activation=tf.nn.elu)
    with tf.GradientTape(persistent=True, watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = layer1(x)
        y = layer2(y)
    assert y.shape == (7, 6)
    j = tape.jacobian(y, x)
    assert j.shape == (7, 6, 7, 5)
    j_sum = tf.reduce_sum(j, axis=2)
    jb = tape.batch_jacobian(y, x)
    assert jb.shape == (7, 6, 5)
    assert tf.reduce_max(abs(jb - j_sum)) < 1e-3


def _critic(dtype):
    return tf.keras.Sequential([tf.keras.layers.Input((2,)),
                                tf.keras.layers.Dense(16, activation="tanh", dtype=dtype),
                                tf.keras.layers.Dense(1, dtype=dtype)])


def _wgan_gp_loss(critic, real, fake, eps):
    """Gulrajani et al. (2017): -W + 10 * mean((||grad_x D(x_hat)|| - 1)^2)."""
    x_hat = tf.constant(eps * real + (1 - eps) * fake)
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(x_hat)
        d_hat = critic(x_hat)
    norms = tf.norm(gp_tape.gradient(d_hat, x_hat), axis=1)
    w = tf.reduce_mean(critic(real)) - tf.reduce_mean(critic(fake))
    return -w + 10.0 * tf.reduce_mean((norms - 1.0) ** 2), w, norms


def test_wgan_gp_penalty_gradient_matches_finite_differences():
    tf.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    real, fake = rng.normal(2.0, 0.5, (8, 2)), rng.normal(0.0, 1.0, (8, 2))
    eps = rng.uniform(size=(8, 1))
    critic = _critic("float64")
    with tf.GradientTape() as tape:
        loss, _, _ = _wgan_gp_loss(critic, real, fake, eps)
    kernel = critic.layers[0].kernel
    analytic = tape.gradient(loss, kernel).numpy()
    saved, step = kernel.numpy(), 1e-6
    for index in [(0, 0), (1, 5)]:
        values = []
        for sign in (1, -1):
            moved = saved.copy()
            moved[index] += sign * step
            kernel.assign(moved)
            values.append(float(_wgan_gp_loss(critic, real, fake, eps)[0]))
        kernel.assign(saved)
        assert analytic[index] == pytest.approx((values[0] - values[1]) / (2 * step), rel=1e-6)


def test_wgan_gp_critic_trains_through_the_gradient_penalty():
    tf.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    real = rng.normal(2.0, 0.5, (64, 2)).astype("float32")
    fake = rng.normal(0.0, 1.0, (64, 2)).astype("float32")
    critic, optimizer = _critic("float32"), tf.keras.optimizers.Adam(1e-2)
    for _ in range(150):
        eps = rng.uniform(size=(64, 1)).astype("float32")
        with tf.GradientTape() as tape:
            loss, w, norms = _wgan_gp_loss(critic, real, fake, eps)
        grads = tape.gradient(loss, critic.trainable_variables)
        optimizer.apply_gradients(zip(grads, critic.trainable_variables, strict=True))
    # The means differ by 2*sqrt(2) = 2.83, a lower bound of the Wasserstein-1 distance;
    # the penalty keeps the critic's gradient norm near 1 between the two samples.
    assert float(w) > 2.5
    assert abs(float(tf.reduce_mean(norms)) - 1.0) < 0.25
