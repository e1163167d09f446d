"""Placeholders, Session.run, fetch structures, feeds and the errors that teach."""

import numpy as np
import pytest

import myelin as tf
from myelin.compat.v1.errors import FailedPreconditionError, InvalidArgumentError


def _net():
    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    W = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2), name="W")
    with tf.name_scope("dnn"):
        Z = tf.matmul(X, W, name="logits")
    return X, W, Z


def test_placeholder_static_shape_dtype_and_names():
    X = tf.placeholder("float", shape=(None, 784), name="X")
    y = tf.placeholder(tf.int32, shape=(None), name="y")
    assert X.name == "X:0" and X.dtype == np.float32 and X.get_shape().as_list() == [None, 784]
    assert int(X.get_shape()[1]) == 784 and X.shape == (None, 784)
    assert y.get_shape().rank is None and y.get_shape()[0] is None
    with pytest.raises(ValueError, match="unknown rank"):
        y.get_shape().as_list()
    assert tf.placeholder(tf.float32, name="X").name == "X_1:0"  # unique-ified like TF
    with tf.name_scope("dnn"), tf.name_scope("hidden1"):
        W = tf.Variable(tf.truncated_normal((784, 300), stddev=0.1), name="kernel")
        h = tf.matmul(X, W)
    assert W.name == "dnn/hidden1/kernel:0" and h.name == "dnn/hidden1/MatMul:0"
    assert h.get_shape().as_list() == [None, 300]
    assert tf.reduce_mean(h, name="loss").name == "loss:0"


def test_run_fetches_structures_and_eval():
    X, W, Z = _net()
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    expected = x @ np.arange(6, dtype=np.float32).reshape(3, 2)
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        assert tf.get_default_session() is sess
        assert sess.run(init) is None
        np.testing.assert_array_equal(sess.run(Z, feed_dict={X: x}), expected)
        out = sess.run({"z": [Z, (W, init)], "name": "dnn/logits:0"}, feed_dict={"X:0": x})
        np.testing.assert_array_equal(out["z"][0], expected)
        assert isinstance(out["z"][1], tuple) and out["z"][1][1] is None
        np.testing.assert_array_equal(out["z"][1][0], W.numpy())
        np.testing.assert_array_equal(out["name"], expected)
        np.testing.assert_array_equal(Z.eval(feed_dict={X: x}), expected)
        np.testing.assert_array_equal(W.eval(), W.numpy())
    assert tf.get_default_session() is None
    sess = tf.InteractiveSession()
    init.run()
    np.testing.assert_array_equal(Z.eval({X: x}), expected)
    sess.close()


def test_each_node_is_computed_once_per_run():
    calls = []

    def counted(v):
        calls.append(1)
        return v * 2.0

    X = tf.placeholder(tf.float32, shape=(None,), name="X")
    h = tf.graph.record.record_call(counted, (X,), {})
    a, b = h + 1.0, h - 1.0
    calls.clear()
    with tf.Session() as sess:
        va, vb = sess.run([a, b], feed_dict={X: [1.0, 2.0]})
    assert len(calls) == 1 and va.tolist() == [3.0, 5.0] and vb.tolist() == [1.0, 3.0]


def test_feed_errors_name_the_placeholder():
    X, W, Z = _net()
    y = tf.placeholder(tf.int32, shape=(None,), name="y")
    with tf.Session() as sess:
        sess.run(W.initializer)
        with pytest.raises(InvalidArgumentError, match="must feed a value for placeholder "
                                                       "tensor 'X:0' with dtype float32"):
            sess.run(Z)
        with pytest.raises(InvalidArgumentError, match=r"cannot feed a value of shape \(2, 4\) "
                                                       r"for 'X:0', which has shape \(None, 3\)"):
            sess.run(Z, feed_dict={X: np.zeros((2, 4))})
        with pytest.raises(InvalidArgumentError, match="'y:0' has dtype float64, which cannot "
                                                       "be converted to the placeholder's int32"):
            sess.run(y + 1, feed_dict={y: [0.5]})
        with pytest.raises(TypeError, match="cannot feed a Variable"):
            sess.run(Z, feed_dict={W: np.zeros((3, 2))})
        with pytest.raises(TypeError, match="cannot fetch float"):
            sess.run(1.0)
        assert sess.run(tf.rank(X)) == 2  # a static value fetches as a constant
        with pytest.raises(KeyError, match="no tensor named 'nope:0'"):
            sess.run("nope:0")
        # float64 and int64 values convert (same kind), as TF 1's feeds do
        assert sess.run(Z, feed_dict={X: np.ones((1, 3))}).dtype == np.float32
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(Z, feed_dict={X: np.ones((1, 3))})


def test_uninitialized_variable_error_is_clear_and_per_session():
    X, W, Z = _net()
    init = tf.global_variables_initializer()
    with tf.Session() as sess:
        with pytest.raises(FailedPreconditionError, match="uninitialized value W.*"
                                                          "init.run()"):
            sess.run(Z, feed_dict={X: np.ones((1, 3))})
        init.run()
        sess.run(Z, feed_dict={X: np.ones((1, 3))})
    with tf.Session() as sess:  # a new session starts uninitialised, as in TF 1
        with pytest.raises(FailedPreconditionError):
            sess.run(W)


def test_tensors_from_another_graph_and_symbolic_values_are_refused():
    X, W, Z = _net()
    other = tf.graph.Graph()
    with tf.Session(graph=other) as sess:
        with pytest.raises(ValueError, match="belongs to another graph"):
            sess.run(Z, feed_dict={X: np.ones((1, 3))})
    with pytest.raises(TypeError, match=r"part of a graph.*sess.run"):
        Z.numpy()
    with pytest.raises(TypeError, match="part of a graph"):
        print(float(tf.reduce_sum(Z)))
    with pytest.raises(ValueError, match="no default session"):
        Z.eval(feed_dict={X: np.ones((1, 3))})


def test_shape_errors_at_graph_build_name_op_and_shapes():
    X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
    with pytest.raises(ValueError, match=r"matmul.*\(None, 784\).*\(300, 10\)"):
        tf.matmul(X, tf.Variable(np.zeros((300, 10), np.float32)))


def test_a_failed_run_changes_no_variable():
    X, W, Z = _net()
    y = tf.placeholder(tf.int32, shape=(None,), name="y")
    loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=Z))
    train = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        before = W.numpy()
        with pytest.raises(ValueError, match="labels"):  # label 7 is out of range: op fails
            sess.run([train, loss], feed_dict={X: np.ones((2, 3)), y: [0, 7]})
        np.testing.assert_array_equal(W.numpy(), before)
        sess.run(train, feed_dict={X: np.ones((2, 3)), y: [0, 1]})
        assert not np.array_equal(W.numpy(), before)


def test_placeholder_with_default_and_graph_mode_switches():
    assert tf.executing_eagerly()
    training = tf.placeholder_with_default(False, shape=(), name="training")
    assert not tf.executing_eagerly()  # a placeholder makes the default graph a TF-1 graph
    doubled = tf.cast(training, tf.float32) * 2.0
    with tf.Session() as sess:
        assert sess.run(doubled) == 0.0
        assert sess.run(doubled, feed_dict={training: True}) == 2.0
    tf.reset_default_graph()
    assert tf.executing_eagerly() and isinstance(tf.random_normal((2,)), tf.Tensor)
    tf.compat.v1.disable_eager_execution()
    assert isinstance(tf.random_normal((2,)), tf.graph.SymbolicTensor)
    tf.compat.v1.enable_eager_execution()
    with pytest.raises(ValueError, match="does not fit the shape"):
        tf.placeholder_with_default([1.0, 2.0], shape=(3,))


def test_the_compat_v1_namespace_runs_a_tf1_program():
    import myelin.compat.v1 as v1

    v1.disable_v2_behavior()  # accepted, as TF 2 programs migrating from TF 1 call it
    x = v1.placeholder("float", [None, 2])
    y = v1.placeholder("float")  # unknown rank: takes the logits' shape
    W = v1.Variable(v1.random_normal([2, 2], stddev=0.1))
    logits = v1.matmul(x, W)
    cost = v1.reduce_mean(v1.nn.softmax_cross_entropy_with_logits(logits=logits, labels=y))
    step = v1.train.AdamOptimizer(0.1).minimize(cost)
    xs = np.array([[1.0, 0.0], [0.0, 1.0]], np.float32)
    ys = np.eye(2)
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        first = sess.run(cost, feed_dict={x: xs, y: ys})
        for _ in range(20):
            _, c = sess.run([step, cost], feed_dict={x: xs, y: ys})
    assert c < first / 2  # it learned the identity
    assert v1.nn.softmax_cross_entropy_with_logits_v2 is tf.nn.softmax_cross_entropy_with_logits


def test_plans_are_reused_and_bounded():
    X = tf.placeholder(tf.float32, shape=(None,), name="X")
    doubled = X * 2.0
    with tf.Session() as sess:
        for _ in range(3):
            sess.run(doubled, feed_dict={X: [1.0]})
        assert len(sess._plans) == 1  # one compiled plan per fetch/feed structure
        for i in range(300):  # a new tensor per run: the oldest plans are dropped
            assert sess.run(X + float(i), feed_dict={X: [0.0]}).tolist() == [float(i)]
        assert len(sess._plans) == 256
