"""Bad inputs to the TF-1 functions: each error names the function and the fix."""

import numpy as np
import pytest

import myelin as tf


def test_placeholder_and_variable_bad_inputs():
    with pytest.raises(TypeError, match="as_dtype: cannot convert 'text'"):
        tf.placeholder("text", shape=(None, 2))
    with pytest.raises(TypeError, match="placeholder: shape must be None or a list"):
        tf.placeholder(tf.float32, shape="wide")
    with pytest.raises(ValueError, match="dimensions must be >= 0 or None"):
        tf.placeholder(tf.float32, shape=(None, -3))
    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    with pytest.raises(ValueError, match="fully known shape.*received \\(None, 3\\)"):
        tf.Variable(X * 2.0, name="from_batch")
    with pytest.raises(TypeError, match="variables_initializer: expected Variables"):
        tf.variables_initializer([X])


def test_gradient_and_assign_bad_inputs():
    X = tf.placeholder(tf.float32, shape=(None, 3), name="X")
    W = tf.Variable(np.ones((3, 1), np.float32), name="W")
    loss = tf.reduce_sum(tf.matmul(X, W))
    with pytest.raises(TypeError, match="gradients: ys and xs must be graph tensors"):
        tf.gradients(loss, [np.ones(3)])
    with pytest.raises(ValueError, match="1 grad_ys for 2 ys"):
        tf.gradients([loss, loss], [W], grad_ys=[None])
    with pytest.raises(NotImplementedError, match="stop_gradients"):
        tf.gradients(loss, [W], stop_gradients=[W])
    with pytest.raises(TypeError, match="assign: ref must be a Variable"):
        tf.assign(X, loss)
    with pytest.raises(TypeError, match="var_list must hold Variables"):
        tf.train.GradientDescentOptimizer(0.1).minimize(loss, var_list=[X])
    with pytest.raises(ValueError, match="learning_rate must be a non-negative number"):
        tf.train.GradientDescentOptimizer(-1.0)
    with pytest.raises(ValueError, match="momentum must be a number"):
        tf.train.MomentumOptimizer(0.1, momentum=-0.5)
    with pytest.raises(ValueError, match="decay must be a number in"):
        tf.train.RMSPropOptimizer(0.1, decay=2.0)


def test_layer_and_session_bad_inputs():
    X = tf.placeholder(tf.float32, name="X")  # unknown rank: no input width
    with pytest.raises(ValueError, match="layers.dense: the last dimension of the inputs "
                                         "must be known"):
        tf.layers.dense(X, 3)
    Y = tf.placeholder(tf.float32, shape=(None, 2), name="Y")
    with pytest.raises(NotImplementedError, match="kernel_regularizer is not supported"):
        tf.layers.dense(Y, 3, kernel_regularizer=lambda w: w)
    with tf.Session() as sess:
        with pytest.raises(KeyError, match="no operation named 'train'"):
            sess.run("train")
        with pytest.raises(TypeError, match="cannot fetch int"):
            sess.run([Y, 3], feed_dict={Y: np.ones((1, 2))})
    with pytest.raises(ValueError, match="Saver.restore: save_path is None"):
        tf.Variable(1.0, name="v")
        tf.train.Saver().restore(tf.Session(), None)
