"""Graph variables and initializers; TF 1's optimizers against hand-computed steps;
compute_gradients / apply_gradients / tf.gradients against a GradientTape."""

import numpy as np
import pytest

import myelin as tf


def test_initializer_redraws_random_initial_values_and_resets_others():
    tf.placeholder(tf.float32, shape=(None, 4), name="X")
    W = tf.Variable(tf.truncated_normal((4, 3), stddev=0.5), name="W")
    b = tf.Variable(tf.zeros([3]), name="b")
    u = tf.Variable(tf.random_uniform((1000,), -2.0, 2.0), name="u", trainable=False)
    assert tf.global_variables() == [W, b, u] and tf.trainable_variables() == [W, b]
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        init.run()
        first, u1 = W.numpy(), u.numpy()
        assert np.all(np.abs(first) <= 1.0) and first.std() > 0.1  # truncated at 2 stddev
        assert -2 <= u1.min() and u1.max() < 2 and abs(u1.mean()) < 0.2
        b.assign([1.0, 2.0, 3.0])
        init.run()
        assert not np.array_equal(W.numpy(), first)  # drawn again, as in TensorFlow
        assert b.numpy().tolist() == [0.0, 0.0, 0.0]
        sess.run(tf.variables_initializer([b]))
        sess.run(tf.local_variables_initializer())


def _regression():
    X = tf.placeholder(tf.float32, shape=(None, 2), name="X")
    y = tf.placeholder(tf.float32, shape=(None,), name="y")
    w = tf.Variable(np.array([0.5, -1.0], np.float32), name="w")
    b = tf.Variable(np.float32(0.25), name="b")
    pred = tf.reduce_sum(X * w, axis=1) + b
    loss = tf.reduce_mean(tf.square(pred - y))
    return X, y, w, b, loss


_XV = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], np.float32)
_YV = np.array([1.0, 0.0, 2.0], np.float32)


def _hand_grads(w, b):
    err = _XV @ w + b - _YV
    return 2 * _XV.T @ err / 3, 2 * err.mean()


def _run_steps(optimizer, steps=3):
    X, y, w, b, loss = _regression()
    op = optimizer.minimize(loss)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        for _ in range(steps):
            sess.run(op, feed_dict={X: _XV, y: _YV})
        return w.numpy(), float(b.numpy())


def _hand(update, slots, steps=3):
    w, b = np.array([0.5, -1.0]), 0.25
    params = [w, np.array(b)]
    state = [dict((k, np.full_like(p, v)) for k, v in slots.items()) for p in params]
    for t in range(1, steps + 1):
        grads = _hand_grads(params[0], float(params[1]))
        for i, g in enumerate(grads):
            params[i] = update(params[i], np.asarray(g), state[i], t)
    return params[0], float(params[1])


@pytest.mark.parametrize("name", ["sgd", "momentum", "nesterov", "adam", "adagrad",
                                  "rmsprop", "rmsprop_centered"])
def test_tf1_optimizer_steps_match_hand_computed_formulas(name):
    lr = 0.1

    def sgd(p, g, s, t):
        return p - lr * g

    def momentum(p, g, s, t, nesterov=False):
        s["a"] = 0.9 * s["a"] + g
        return p - lr * (g + 0.9 * s["a"]) if nesterov else p - lr * s["a"]

    def adam(p, g, s, t):
        s["m"] = 0.9 * s["m"] + 0.1 * g
        s["v"] = 0.999 * s["v"] + 0.001 * g * g
        lr_t = lr * np.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
        return p - lr_t * s["m"] / (np.sqrt(s["v"]) + 1e-8)

    def adagrad(p, g, s, t):
        s["a"] = s["a"] + g * g
        return p - lr * g / np.sqrt(s["a"])

    def rmsprop(p, g, s, t, centered=False):
        s["ms"] = 0.9 * s["ms"] + 0.1 * g * g
        s["mg"] = 0.9 * s["mg"] + 0.1 * g
        denom = s["ms"] - s["mg"] ** 2 if centered else s["ms"]
        s["mom"] = 0.5 * s["mom"] + lr * g / np.sqrt(denom + 1e-10)
        return p - s["mom"]

    cases = {
        "sgd": (tf.train.GradientDescentOptimizer(lr), sgd, {}),
        "momentum": (tf.train.MomentumOptimizer(lr, 0.9), momentum, {"a": 0.0}),
        "nesterov": (tf.train.MomentumOptimizer(lr, 0.9, use_nesterov=True),
                     lambda *a: momentum(*a, nesterov=True), {"a": 0.0}),
        "adam": (tf.train.AdamOptimizer(lr), adam, {"m": 0.0, "v": 0.0}),
        "adagrad": (tf.train.AdagradOptimizer(lr), adagrad, {"a": 0.1}),
        "rmsprop": (tf.train.RMSPropOptimizer(lr, momentum=0.5), rmsprop,
                    {"ms": 1.0, "mg": 0.0, "mom": 0.0}),  # TF 1 starts ms at 1
        "rmsprop_centered": (tf.train.RMSPropOptimizer(lr, momentum=0.5, centered=True),
                             lambda *a: rmsprop(*a, centered=True),
                             {"ms": 1.0, "mg": 0.0, "mom": 0.0}),
    }
    optimizer, update, slots = cases[name]
    got_w, got_b = _run_steps(optimizer)
    want_w, want_b = _hand(update, slots)
    np.testing.assert_allclose(got_w, want_w, rtol=1e-5, atol=1e-6)
    assert got_b == pytest.approx(want_b, rel=1e-5, abs=1e-6)


def test_tf1_adam_defaults():
    opt = tf.train.AdamOptimizer()
    assert (float(opt.learning_rate), opt.beta1, opt.beta2, opt.epsilon) == (
        pytest.approx(0.001), 0.9, 0.999, 1e-8)
    with pytest.raises(ValueError, match="beta1"):
        tf.train.AdamOptimizer(beta1=1.5)
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        tf.train.AdagradOptimizer(0.1, initial_accumulator_value=0.0)


def test_compute_apply_gradients_global_step_and_tf_gradients_match_a_tape():
    X, y, w, b, loss = _regression()
    optimizer = tf.train.GradientDescentOptimizer(0.1)
    grads_and_vars = optimizer.compute_gradients(loss)
    assert [v for _, v in grads_and_vars] == [w, b]
    clipped = [(tf.clip_by_value(g, -0.5, 0.5), v) for g, v in grads_and_vars]
    step = tf.train.get_or_create_global_step()
    assert tf.train.get_or_create_global_step() is step
    train = optimizer.apply_gradients(clipped, global_step=step)
    dw, db = tf.gradients(loss, [w, b])
    dX = tf.gradients(loss, X)[0]
    unrelated = tf.Variable(1.0, name="unrelated")
    assert tf.gradients(loss, [unrelated]) == [None]
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        gw, gb, gx = sess.run([dw, db, dX], feed_dict={X: _XV, y: _YV})
        want_w, want_b = _hand_grads(np.array([0.5, -1.0]), 0.25)
        np.testing.assert_allclose(gw, want_w, rtol=1e-5)
        assert float(gb) == pytest.approx(want_b, rel=1e-5)
        err = _XV @ np.array([0.5, -1.0]) + 0.25 - _YV
        np.testing.assert_allclose(gx, 2 * err[:, None] * np.array([0.5, -1.0]) / 3, rtol=1e-5)
        sess.run(train, feed_dict={X: _XV, y: _YV})
        np.testing.assert_allclose(w.numpy(), [0.5, -1.0] - 0.1 * np.clip(want_w, -0.5, 0.5),
                                   rtol=1e-6)
        assert int(step.numpy()) == 1
    with pytest.raises(ValueError, match="no gradients provided"):
        optimizer.minimize(loss, var_list=[unrelated])
    with pytest.raises(TypeError, match="loss must be a graph tensor"):
        optimizer.minimize(3.0)


def test_assign_ops_group_and_eager_tf1_optimizer():
    X, y, w, b, loss = _regression()
    grow = tf.assign_add(b, tf.reduce_sum(X), name="grow")
    both = tf.group(grow, tf.assign(w, w * 2.0))
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        sess.run(both, feed_dict={X: _XV})
        assert float(b.numpy()) == pytest.approx(0.25 + _XV.sum())
        assert w.numpy().tolist() == [1.0, -2.0]
    tf.reset_default_graph()
    v = tf.Variable(2.0)  # eager: the optimizer applies at once
    tf.train.GradientDescentOptimizer(0.5).minimize(lambda: v * v, var_list=[v])
    assert float(v.numpy()) == pytest.approx(0.0)


def test_tf1_gradient_descent_is_keras_sgd_on_a_large_variable():
    # both take one BLAS pass (axpy) over a variable this large, so TF-1 programs
    # train bit for bit like Keras SGD; the values are w - lr * g to float32 rounding
    rng = np.random.default_rng(4)
    w0 = rng.standard_normal((784, 300)).astype(np.float32)
    grads = [rng.standard_normal((784, 300)).astype(np.float32) for _ in range(3)]
    v1, keras = tf.Variable(w0), tf.Variable(w0)
    tf1_sgd, keras_sgd = tf.train.GradientDescentOptimizer(0.01), tf.keras.optimizers.SGD(0.01)
    want = w0.astype(np.float64)
    for g in grads:
        tf1_sgd.apply_gradients([(tf.constant(g), v1)])
        keras_sgd.apply_gradients([(tf.constant(g), keras)])
        want -= 0.01 * g
    np.testing.assert_array_equal(v1.numpy(), keras.numpy())
    np.testing.assert_allclose(v1.numpy(), want, rtol=1e-5, atol=1e-6)
