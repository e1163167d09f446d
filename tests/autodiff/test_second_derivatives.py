"""Second derivatives of every differentiable op against finite differences of the
first derivative (``gradcheck(order=2)``), and the JVP of each against its VJP."""

import numpy as np
import pytest

import myelin as tf
from myelin import layers
from myelin.autodiff import Function, Tensor, Variable
from myelin.autodiff.forward_mode import JVP_RULES, ForwardAccumulator
from myelin.autodiff.higher_order import VJP_RULES, Adjoint, NoHigherOrderRule, load_rules
from myelin.losses import batch_mean, probability
from myelin.ops import fused
from myelin.ops.activation import SELU_ALPHA
from myelin.ops.random import dropout
from myelin.testing import gradcheck

rng = np.random.default_rng(0)
A = rng.uniform(-1.5, 1.5, (2, 3))
B = rng.uniform(-1.5, 1.5, (3,))
POS = rng.uniform(0.5, 2.0, (2, 3))
SQ = rng.uniform(-1, 1, (3, 3))
LABELS = np.array([2, 0])
ONEHOT = np.eye(3)[LABELS]
PROBS = rng.uniform(0.1, 0.9, (2, 3))
MASK_COND = np.array([[True, False, True], [False, True, True]])


def _dense(activation, bias=True):
    def fn(x, k, b):
        return fused.dense(x, k, b if bias else None, activation)
    return fn


def _seeded_dropout(x):
    tf.random.set_seed(3)  # the same mask at every evaluation of the finite differences
    return dropout(x, 0.4)


def _layer_dropout(x):
    return layers.Dropout(0.4, seed=2, dtype="float64")(x, training=True)


def _pool(masked):
    mask = np.array([[1, 1, 0], [1, 0, 0]], dtype=bool)
    layer = layers.GlobalAveragePooling1D(dtype="float64")
    return lambda x: layer(x, mask=mask if masked else None)


def _normalization(invert):
    layer = layers.Normalization(mean=0.5, variance=4.0, invert=invert, dtype="float64")
    return lambda x: layer(x)


def _batch_mean(cls, targets, **params):
    """The trainer's batch-mean kernel; targets are constants (it never differentiates them)."""
    return lambda p: cls.apply(p, Tensor(targets), **params)


X3 = rng.uniform(-1, 1, (2, 3, 2))
CASES = {
    "add": (tf.add, A * A, B), "subtract": (lambda a, b: (a - b) * a, A, B),
    "multiply": (tf.multiply, A, B), "divide": (tf.divide, A, B + 2.0),
    "pow": (tf.pow, POS, B + 1.0), "maximum": (lambda a, b: tf.maximum(a, b) * a, A, B),
    "minimum": (lambda a, b: tf.minimum(a, b) * b, A, B),
    "negative": (lambda a: -a * a, A), "exp": (tf.exp, A), "log": (tf.math.log, POS),
    "sqrt": (tf.sqrt, POS), "square": (tf.square, A), "abs": (lambda a: tf.abs(a) * a, A),
    "where": (lambda a, b: tf.where(MASK_COND, a * a, b * a), A, B),
    "clip_by_value": (lambda a: tf.clip_by_value(a * a, 0.1, 1.2), A),
    "cast": (lambda a: tf.cast(tf.cast(a * a, "float32"), "float64"), A),
    "sin": (tf.sin, A), "cos": (tf.cos, A),
    "matmul": (tf.matmul, A, SQ),
    "matmul_t": (lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True), SQ, A),
    "getitem": (lambda a: a[:, 1:] * a[[0, 0, 1]][:2, :2], A),
    "reshape": (lambda a: tf.reshape(a * a, [3, 2]), A),
    "transpose": (lambda a: tf.transpose(a) * tf.transpose(a), A),
    "identity": (lambda a: tf.identity(a) * a, A),
    "concat": (lambda a, b: tf.concat([a * a, tf.reshape(b, [1, 3])], 0), A, B),
    "stack": (lambda a, b: tf.stack([a[0] * b, b], 1), A, B),
    "gather": (lambda a: tf.gather(a * a, [1, 0, 1], axis=1), A),
    "reduce_sum": (lambda a: tf.reduce_sum(a * a, axis=1), A),
    "reduce_mean": (lambda a: tf.reduce_mean(a * a, axis=0, keepdims=True), A),
    "reduce_max": (lambda a: tf.reduce_max(a * a, axis=1), A),
    "reduce_min": (lambda a: tf.reduce_min(a * a), A),
    "reduce_logsumexp": (lambda a: tf.reduce_logsumexp(a, axis=1), A),
    "relu": (lambda a: tf.nn.relu(a) * a, A), "relu6": (lambda a: tf.nn.relu6(a * 4) * a, A),
    "leaky_relu": (lambda a: tf.nn.leaky_relu(a) * a, A), "elu": (tf.nn.elu, A),
    "selu": (tf.nn.selu, A), "sigmoid": (tf.sigmoid, A), "tanh": (tf.tanh, A),
    "softplus": (tf.nn.softplus, A), "softsign": (tf.nn.softsign, A),
    "silu": (lambda a: tf.nn.silu(a, beta=1.5), A), "softmax": (tf.nn.softmax, A),
    "log_softmax": (lambda a: tf.nn.log_softmax(a, axis=0), A),
    "dense_linear": (_dense("linear"), A, SQ, B), "dense_relu": (_dense("relu"), A, SQ, B),
    "dense_sigmoid": (_dense("sigmoid"), A, SQ, B), "dense_tanh": (_dense("tanh"), A, SQ, B),
    "dense_softmax_nobias": (lambda x, k: fused.dense(x, k, None, "softmax"), A, SQ),
    "softmax_ce_sparse": (lambda z: tf.nn.sparse_softmax_cross_entropy_with_logits(
        labels=LABELS, logits=z), A),
    "softmax_ce": (lambda z, y: tf.nn.softmax_cross_entropy_with_logits(y, z), A, PROBS),
    "sigmoid_ce": (lambda z, y: tf.nn.sigmoid_cross_entropy_with_logits(y, z), A, PROBS),
    "embedding": (lambda w: fused.embedding_lookup(w, np.array([[0, 2], [2, 2]])) ** 2.0, SQ),
    "dropout": (lambda a: _seeded_dropout(a) * a, A),
    "layer_dropout": (lambda a: _layer_dropout(a) * a, A),
    "pooling": (lambda x: _pool(False)(x * x), X3),
    "pooling_mask": (lambda x: _pool(True)(x * x), X3),
    "normalization": (lambda a: _normalization(False)(a * a), A),
    "denormalization": (lambda a: _normalization(True)(a * a), A),
    "step": (lambda a: tf.keras.activations.step(a) * a * a, A),
    "bce_probs": (lambda p, y: probability.BinaryCrossentropyFromProbs.apply(p, y), PROBS, PROBS),
    "cce_probs": (lambda p, y: probability.CategoricalCrossentropyFromProbs.apply(p, y),
                  PROBS, ONEHOT),
    "mean_mae": (_batch_mean(batch_mean.MeanAbsoluteError, A * 0.5), A),
    "mean_mse": (_batch_mean(batch_mean.MeanSquaredError, A * 0.5), A),
    "mean_bce_logits": (_batch_mean(batch_mean.BinaryCrossentropyFromLogits, PROBS), A),
    "mean_bce_probs": (_batch_mean(batch_mean.BinaryCrossentropyFromProbs, PROBS), PROBS),
    "mean_sce_sparse": (_batch_mean(batch_mean.SoftmaxCrossentropyFromLogits, LABELS,
                                    sparse=True), A),
    "mean_cce_logits": (_batch_mean(batch_mean.SoftmaxCrossentropyFromLogits, ONEHOT,
                                    sparse=False), A),
}
# The cast case rounds through float32: finite differences need a wider step.
TOLERANCE = {"cast": dict(eps=1e-3, atol=1e-3, rtol=1e-2)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_second_derivative_matches_finite_differences(name):
    fn, *inputs = CASES[name]
    assert gradcheck(fn, *inputs, order=2, **TOLERANCE.get(name, {}))


def _ops_in(fn, inputs):
    tensors = [Variable(np.asarray(x, np.float64)) if np.asarray(x).dtype.kind == "f"
               else Tensor(np.asarray(x)) for x in inputs]
    with tf.GradientTape():
        out = fn(*tensors)
    seen, stack = set(), [out]
    while stack:
        t = stack.pop()
        if t._node is not None and id(t) not in seen:
            seen.add(id(t))
            stack.extend(t._node.inputs)
            yield type(t._node)


def test_every_op_with_a_rule_is_checked():
    load_rules()
    covered = {cls for fn, *inputs in CASES.values() for cls in _ops_in(fn, inputs)}
    internal = {Adjoint, NoHigherOrderRule}
    missing = {cls.__name__ for cls in VJP_RULES} - {c.__name__ for c in covered | internal}
    from myelin.autodiff.custom_gradient import CustomGradient
    assert missing <= {CustomGradient.__name__}, missing
    assert set(VJP_RULES) - internal <= set(JVP_RULES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_jvp_equals_jacobian_times_tangent(name):
    fn, *inputs = CASES[name]
    tensors = [tf.constant(np.asarray(x, np.float64)) if np.asarray(x).dtype.kind == "f"
               else tf.constant(x) for x in inputs]
    primal = tensors[0]
    tangent = rng.uniform(-1, 1, primal.shape)
    with ForwardAccumulator(primal, tf.constant(tangent)) as acc:
        out = fn(*tensors)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(primal)
        again = fn(*tensors)
    jac = tape.jacobian(again, primal, unconnected_gradients="zero").numpy()
    expected = jac.reshape(out.shape + (-1,)) @ tangent.reshape(-1)
    np.testing.assert_allclose(acc.jvp(out).numpy(), expected, rtol=1e-7, atol=1e-9)


class Cube(Function):
    """x ** 3 with an array backward but no higher-order rule (as a new op would be)."""

    def forward(self, x):
        self.x = x
        return x ** 3

    def backward(self, grad):
        return 3 * self.x ** 2 * grad


def test_op_without_rule_gives_first_derivative_and_names_itself_when_differentiated():
    x = tf.Variable(2.0)
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = Cube.apply(x) * 1.0
        dy = t1.gradient(y, x)
        assert float(dy) == 12.0
    with pytest.raises(NotImplementedError, match="cube: this op has no higher-order"):
        t2.gradient(dy, x)
    with ForwardAccumulator(x, tf.constant(1.0)) as acc:
        y = Cube.apply(x)
    with pytest.raises(NotImplementedError, match="cube: this op has no forward-mode"):
        acc.jvp(y)


def test_selu_constants_reach_second_order():
    x = tf.Variable(-0.5, dtype="float64")
    with tf.GradientTape() as t2:
        with tf.GradientTape() as t1:
            y = tf.nn.selu(x)
        dy = t1.gradient(y, x)
    expected = 1.0507009873554804 * SELU_ALPHA * np.exp(-0.5)
    np.testing.assert_allclose(float(t2.gradient(dy, x)), expected, rtol=1e-12)
