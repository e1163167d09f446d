"""tf.train.Saver (paths, checkpoint file, max_to_keep, every error) and tf.layers."""

import os

import numpy as np
import pytest

import myelin as tf


def _graph():
    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    with tf.name_scope("dnn"):
        W = tf.Variable(tf.random_normal((3, 2)), name="kernel")
        b = tf.Variable(tf.zeros([2]), name="bias")
    return X, W, b, tf.matmul(X, W) + b


def test_save_restore_in_a_new_session_and_checkpoint_index(tmp_path):
    X, W, b, Z = _graph()
    saver = tf.train.Saver(max_to_keep=2)
    x = np.ones((1, 3), np.float32)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        want = sess.run(Z, feed_dict={X: x})
        path = saver.save(sess, str(tmp_path / "model.ckpt"))
        assert path == str(tmp_path / "model.ckpt")
        assert os.path.isfile(path + ".index")  # TF's existence idiom works
        for step in (1, 2, 3):
            saved = saver.save(sess, str(tmp_path / "model.ckpt"), global_step=step)
        assert saved == str(tmp_path / "model.ckpt-3")
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "model.ckpt-3")
    # max_to_keep=2: only the two newest checkpoints remain
    assert sorted(p.name for p in tmp_path.glob("*.index")) == [
        "model.ckpt-2.index", "model.ckpt-3.index"]
    index = (tmp_path / "checkpoint").read_text()
    assert 'model_checkpoint_path: "model.ckpt-3"' in index
    with tf.Session() as sess:
        saver.restore(sess, tf.train.latest_checkpoint(str(tmp_path)))
        np.testing.assert_array_equal(sess.run(Z, feed_dict={X: x}), want)
    assert tf.train.latest_checkpoint(str(tmp_path / "nothing")) is None


def test_restore_errors_name_the_problem_and_change_nothing(tmp_path):
    X, W, b, Z = _graph()
    saver = tf.train.Saver()
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        path = saver.save(sess, str(tmp_path / "m.ckpt"))
        before = W.numpy()
        with pytest.raises(FileNotFoundError, match="no checkpoint at .*missing.ckpt"):
            saver.restore(sess, str(tmp_path / "missing.ckpt"))
        data = (tmp_path / "m.ckpt.index").read_bytes()
        (tmp_path / "cut.ckpt.index").write_bytes(data[: len(data) // 2])
        with pytest.raises(ValueError, match="truncated"):
            saver.restore(sess, str(tmp_path / "cut.ckpt"))
        np.savez(tmp_path / "foreign.npz", a=np.zeros(2))
        os.replace(tmp_path / "foreign.npz", tmp_path / "foreign.ckpt.index")
        with pytest.raises(ValueError, match="not a myelin checkpoint"):
            saver.restore(sess, str(tmp_path / "foreign.ckpt"))
        (tmp_path / "tf.ckpt.data-00000-of-00001").write_bytes(b"x")
        with pytest.raises(FileNotFoundError, match="TensorFlow's own checkpoint format"):
            saver.restore(sess, str(tmp_path / "tf.ckpt"))
        with pytest.raises(TypeError, match="first argument must be the tf.Session"):
            saver.save(str(tmp_path / "x.ckpt"), sess)
        np.testing.assert_array_equal(W.numpy(), before)
    tf.reset_default_graph()
    tf.placeholder(tf.float32, shape=(None, 3), name="X")
    with tf.name_scope("dnn"):
        tf.Variable(tf.zeros((4, 2)), name="kernel")  # another shape, same name
    with tf.Session() as sess, pytest.raises(
            ValueError, match=r"'dnn/kernel' has shape \(4, 2\) in the graph but \(3, 2\)"):
        tf.train.Saver().restore(sess, path)
    tf.reset_default_graph()
    tf.compat.v1.disable_eager_execution()  # graph mode without a placeholder
    tf.Variable(tf.zeros(2), name="other")
    with tf.Session() as sess, pytest.raises(ValueError, match="no value for variable 'other'"):
        tf.train.Saver().restore(sess, path)
    tf.reset_default_graph()
    with pytest.raises(ValueError, match="no variables to save"):
        tf.train.Saver()


def test_layers_dense_names_shapes_and_redrawn_initial_values():
    X = tf.placeholder(tf.float32, shape=(None, 4), name="X")
    with tf.name_scope("dnn"):
        h = tf.layers.dense(X, 5, name="hidden1", activation=tf.nn.relu)
        logits = tf.layers.dense(h, 3, name="outputs")
    kernel, bias = tf.trainable_variables()[:2]
    assert [v.name for v in tf.trainable_variables()] == [
        "dnn/hidden1/kernel:0", "dnn/hidden1/bias:0", "dnn/outputs/kernel:0",
        "dnn/outputs/bias:0"]
    assert h.get_shape().as_list() == [None, 5] and logits.get_shape().as_list() == [None, 3]
    x = np.random.default_rng(0).normal(size=(2, 4)).astype(np.float32)
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        k1 = kernel.numpy()
        limit = np.sqrt(6 / (4 + 5))  # Glorot uniform, TF 1's default
        assert np.all(np.abs(k1) <= limit) and not np.any(bias.numpy())
        np.testing.assert_allclose(sess.run(h, feed_dict={X: x}),
                                   np.maximum(x @ k1, 0), rtol=1e-6)
        tf.global_variables_initializer().run()
        assert not np.array_equal(kernel.numpy(), k1)
    with pytest.raises(ValueError, match="units must be a positive integer"):
        tf.layers.dense(X, 0)


def test_layers_dropout_follows_the_training_placeholder():
    X = tf.placeholder(tf.float32, shape=(None, 1000), name="X")
    training = tf.placeholder_with_default(False, shape=(), name="training")
    dropped = tf.layers.dropout(X, 0.5, training=training)
    x = np.ones((1, 1000), np.float32)
    with tf.Session() as sess:
        np.testing.assert_array_equal(sess.run(dropped, feed_dict={X: x}), x)
        out = sess.run(dropped, feed_dict={X: x, training: True})
    assert set(np.unique(out)) == {0.0, 2.0} and 0.4 < (out == 0).mean() < 0.6
    np.testing.assert_array_equal(tf.layers.dropout(x, 0.5).numpy(), x)
    with pytest.raises(ValueError, match="rate must be in"):
        tf.layers.dropout(X, 1.5)
