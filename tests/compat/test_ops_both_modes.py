"""The op suite in both modes: every op gives the same values through ``Session.run`` as
eagerly, and the same gradients through ``tf.gradients`` as through a GradientTape."""

import numpy as np
import pytest

import myelin as tf

_rng = np.random.default_rng(7)
A = _rng.normal(size=(3, 4)).astype(np.float32)
B = _rng.normal(size=(3, 4)).astype(np.float32)
P = (np.abs(A) + 0.5).astype(np.float32)  # positive, for log / sqrt / pow
V = _rng.normal(size=(4,)).astype(np.float32)
M = _rng.normal(size=(4, 2)).astype(np.float32)
IDS = np.array([2, 0, 3], np.int32)
HOT = np.eye(4, dtype=np.float32)[IDS]
MASK = A > 0

# name: (function of the inputs, inputs); float inputs are differentiated
OPS = {
    "abs": (tf.abs, [A]), "exp": (tf.exp, [A]), "log": (tf.math.log, [P]),
    "sqrt": (tf.sqrt, [P]), "square": (tf.square, [A]), "negative": (tf.negative, [A]),
    "sign": (tf.sign, [A]), "sigmoid": (tf.sigmoid, [A]), "tanh": (tf.tanh, [A]),
    "relu": (tf.nn.relu, [A]), "relu6": (tf.nn.relu6, [A * 4]), "elu": (tf.nn.elu, [A]),
    "selu": (tf.nn.selu, [A]), "leaky_relu": (tf.nn.leaky_relu, [A]),
    "softplus": (tf.nn.softplus, [A]), "softsign": (tf.nn.softsign, [A]),
    "silu": (tf.nn.silu, [A]), "softmax": (tf.nn.softmax, [A]),
    "log_softmax": (tf.nn.log_softmax, [A]),
    "add": (tf.add, [A, B]), "subtract": (tf.subtract, [A, B]),
    "multiply": (tf.multiply, [A, B]), "divide": (tf.divide, [A, P]),
    "maximum": (tf.maximum, [A, B]), "minimum": (tf.minimum, [A, B]),
    "pow": (tf.pow, [P, B]), "divide_no_nan": (tf.math.divide_no_nan, [A, B]),
    "broadcast_add": (tf.add, [A, V]),
    "where": (lambda m, a, b: tf.where(m, a, b), [MASK, A, B]),
    "clip_by_value": (lambda a: tf.clip_by_value(a, -0.5, 0.5), [A]),
    "cast": (lambda a: tf.cast(a, tf.float64), [A]),
    "reduce_sum": (lambda a: tf.reduce_sum(a, axis=1), [A]),
    "reduce_mean": (tf.reduce_mean, [A]),
    "reduce_max": (lambda a: tf.reduce_max(a, axis=0), [A]),
    "reduce_min": (lambda a: tf.reduce_min(a, axis=1, keepdims=True), [A]),
    "reduce_logsumexp": (lambda a: tf.reduce_logsumexp(a, axis=1), [A]),
    "reduce_std": (lambda a: tf.math.reduce_std(a, axis=0), [A]),
    "reduce_variance": (tf.math.reduce_variance, [A]),
    "reduce_all": (lambda m: tf.reduce_all(m, axis=1), [MASK]),
    "reduce_any": (lambda m: tf.reduce_any(m, axis=0), [MASK]),
    "argmax": (lambda a: tf.argmax(a, 1), [A]), "argmin": (lambda a: tf.argmin(a, 0), [A]),
    "matmul": (tf.matmul, [A, M]), "operator_matmul": (lambda a, m: a @ m, [A, M]),
    "concat": (lambda a, b: tf.concat([a, b], axis=1), [A, B]),
    "stack": (lambda a, b: tf.stack([a, b], axis=0), [A, B]),
    "expand_dims": (lambda a: tf.expand_dims(a, 1), [A]),
    "squeeze": (lambda a: tf.squeeze(tf.expand_dims(a, 0), 0), [A]),
    "reshape": (lambda a: tf.reshape(a, (-1, 2)), [A]),
    "transpose": (tf.transpose, [A]), "identity": (tf.identity, [A]),
    "gather": (lambda v: tf.gather(v, IDS), [V]),
    "getitem": (lambda a: a[1:, ::2], [A]),
    "equal": (tf.equal, [A, B]), "not_equal": (tf.not_equal, [A, B]),
    "greater": (tf.greater, [A, B]), "greater_equal": (tf.greater_equal, [A, B]),
    "less": (tf.less, [A, B]), "less_equal": (tf.less_equal, [A, B]),
    "logical_and": (lambda m: tf.logical_and(m, ~m), [MASK]),
    "logical_or": (lambda m: tf.logical_or(m, m), [MASK]),
    "logical_xor": (lambda m: tf.logical_xor(m, ~m), [MASK]),
    "logical_not": (tf.logical_not, [MASK]),
    "zeros_like": (tf.zeros_like, [A]), "ones_like": (tf.ones_like, [A]),
    "one_hot": (lambda i: tf.one_hot(i, 4), [IDS]),
    "bias_add": (tf.nn.bias_add, [A, V]), "l2_loss": (tf.nn.l2_loss, [A]),
    "embedding_lookup": (lambda m: tf.nn.embedding_lookup(m, IDS), [M]),
    "in_top_k": (lambda a, i: tf.nn.in_top_k(a, i, 2), [A, IDS]),
    "sparse_softmax_cross_entropy": (
        lambda a, i: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=a),
        [A, IDS]),
    "softmax_cross_entropy": (
        lambda a, h: tf.nn.softmax_cross_entropy_with_logits(labels=h, logits=a), [A, HOT]),
    "sigmoid_cross_entropy": (
        lambda a, b: tf.nn.sigmoid_cross_entropy_with_logits(labels=tf.sigmoid(b), logits=a),
        [A, B]),
}


# A table, not a batch: its number of rows must be known for the index check.
FULL_SHAPE = {"embedding_lookup"}


def _weights(out):
    """Fixed weights so that the gradient of sum(out * w) checks every output element."""
    return np.random.default_rng(3).normal(size=np.shape(out)).astype(np.float64)


def _eager(fn, arrays):
    tensors = [tf.constant(a) for a in arrays]
    floats = [t for t in tensors if t.dtype.kind == "f"]
    with tf.GradientTape() as tape:
        tape.watch(floats)
        out = fn(*tensors)
        target = None
        if out.dtype.kind == "f":
            target = tf.reduce_sum(tf.cast(out, tf.float64) * _weights(out.numpy()))
    grads = tape.gradient(target, floats) if target is not None else []
    return out.numpy(), [None if g is None else g.numpy() for g in grads]


@pytest.mark.parametrize("name", sorted(OPS))
def test_op_gives_the_same_values_and_gradients_through_sess_run(name):
    fn, arrays = OPS[name]
    want, want_grads = _eager(fn, arrays)
    # the first input's batch size is unknown (None), as for a placeholder fed batches
    batched = [i == 0 and a.ndim > 1 and name not in FULL_SHAPE for i, a in enumerate(arrays)]
    holders = [tf.placeholder(a.dtype, shape=(None, *a.shape[1:]) if b else a.shape,
                              name=f"in{i}") for i, (a, b) in enumerate(zip(arrays, batched,
                                                                            strict=True))]
    out = fn(*holders)
    assert isinstance(out, tf.graph.SymbolicTensor)
    static = out.get_shape()
    assert static.rank == np.ndim(want) and all(
        d is None or d == n for d, n in zip(static, np.shape(want), strict=True))
    floats = [h for h in holders if h.dtype.kind == "f"]
    grads = []
    if out.dtype.kind == "f":
        target = tf.reduce_sum(tf.cast(out, tf.float64) * _weights(want))
        grads = tf.gradients(target, floats)
    feed = dict(zip(holders, arrays, strict=True))
    with tf.Session() as sess:
        got, got_grads = sess.run([out, grads], feed_dict=feed)
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)
    assert len(got_grads) == len(want_grads)
    for g, w in zip(got_grads, want_grads, strict=True):
        if w is None:  # the tape found no path (e.g. integer or bool results only)
            assert g is None or not np.any(g)
        else:
            np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-6)


def test_expressions_of_variables_alone_are_computed_by_each_run():
    X = tf.placeholder(tf.float32, shape=(None, 2), name="X")
    W = tf.Variable(np.ones((2, 1), np.float32), name="W")
    penalty = tf.nn.l2_loss(W)  # reads only W: recorded, not computed at build time
    assert isinstance(penalty, tf.graph.SymbolicTensor)
    loss = tf.reduce_mean(tf.matmul(X, W)) + 0.5 * penalty
    (dW,) = tf.gradients(loss, [W])
    with tf.Session() as sess:
        tf.global_variables_initializer().run()
        assert sess.run(penalty) == pytest.approx(1.0)
        W.assign(np.full((2, 1), 2.0, np.float32))
        assert sess.run(penalty) == pytest.approx(4.0)
        got = sess.run(dW, feed_dict={X: np.array([[1.0, 3.0]], np.float32)})
    np.testing.assert_allclose(got, [[1.0 + 0.5 * 2.0], [3.0 + 0.5 * 2.0]])
