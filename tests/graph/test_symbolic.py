"""The symbolic-graph core: ops and layers on symbolic tensors record nodes with the
right static shapes, a Plan computes them once each, and values and gradients match
eager execution."""

import numpy as np
import pytest

import myelin as tf
from myelin import keras
from myelin.graph import InputNode, Plan, SymbolicTensor, get_default_graph, ordered_nodes


def _input(shape, dtype="float32", name="x"):
    return InputNode(shape, dtype, name).outputs[0]


def test_ops_record_nodes_with_static_shapes():
    x = _input((None, 4))
    w = tf.Variable(np.ones((4, 3), np.float32))
    h = tf.nn.relu(tf.matmul(x, w) + 1.0)
    assert isinstance(h, SymbolicTensor) and h.shape == (None, 3) and h.dtype == np.float32
    assert tf.reduce_sum(h, axis=1).shape == (None,)
    assert tf.reduce_mean(h).shape == ()
    assert h[:, 1:].shape == (None, 2)
    assert tf.reshape(h, (-1,)).shape == (None,)
    assert tf.concat([h, h], axis=1).shape == (None, 6)
    assert tf.transpose(h).shape == (3, None)
    assert int(x.get_shape()[1]) == 4 and x.get_shape().as_list() == [None, 4]


def test_functions_reading_raw_values_are_recorded_whole():
    x, labels = _input((None, 3)), _input((None,), "int32", "y")
    assert tf.argmax(x, 1).shape == (None,) and tf.argmax(x, 1).dtype == np.int64
    hits = tf.nn.in_top_k(x, labels, 1)
    assert hits.shape == (None,) and hits.dtype == np.bool_
    loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=x)
    assert loss.shape == (None,)
    logits = np.array([[1.0, 3.0, 0.0], [2.0, 0.0, 1.0]], np.float32)
    ids = np.array([1, 2], np.int32)
    (got_hits, got_loss), _ = Plan([hits, loss]).run({id(x): tf.constant(logits),
                                                       id(labels): tf.constant(ids)})
    np.testing.assert_array_equal(got_hits.numpy(), [True, False])
    expected = -np.log(np.exp(logits[[0, 1], ids]) / np.exp(logits).sum(1))
    np.testing.assert_allclose(got_loss.numpy(), expected, rtol=1e-6)


def test_plan_values_and_gradients_match_eager():
    rng = np.random.default_rng(0)
    xv = rng.normal(size=(5, 4)).astype(np.float32)
    w = tf.Variable(rng.normal(size=(4, 3)).astype(np.float32))
    b = tf.Variable(np.zeros(3, np.float32))

    def net(x):
        return tf.reduce_mean(tf.square(tf.tanh(x @ w + b)))

    x = _input((None, 4))
    loss = net(x)
    with tf.GradientTape() as tape:
        (graph_loss,), _ = Plan([loss]).run({id(x): tf.constant(xv)})
    graph_grads = tape.gradient(graph_loss, [w, b])
    with tf.GradientTape() as tape:
        eager_loss = net(tf.constant(xv))
    eager_grads = tape.gradient(eager_loss, [w, b])
    assert float(graph_loss) == float(eager_loss)
    for g, e in zip(graph_grads, eager_grads, strict=True):
        np.testing.assert_array_equal(g.numpy(), e.numpy())


def test_each_node_runs_once_per_plan_run():
    calls = []

    class Counting(keras.layers.Layer):
        def call(self, inputs):
            calls.append(1)
            return inputs * 2.0

        def compute_output_shape(self, input_shape):
            return input_shape

    x = keras.Input(shape=(2,))
    shared = Counting()(x)
    a, b = shared + 1.0, shared - 1.0
    (va, vb), _ = Plan([a, b]).run({id(x): tf.constant(np.ones((1, 2), np.float32))})
    assert len(calls) == 1 and va.numpy().tolist() == [[3.0, 3.0]]
    assert vb.numpy().tolist() == [[1.0, 1.0]]


def test_shape_errors_are_raised_when_the_graph_is_built():
    x = _input((None, 4))
    with pytest.raises(ValueError, match=r"matmul: inner dimensions differ: \(None, 4\) @ "
                                         r"\(5, 2\)"):
        tf.matmul(x, tf.ones((5, 2)))
    with pytest.raises(ValueError, match=r"add: input shapes \(None, 4\) and \(7,\) are not "
                                         r"compatible"):
        x + tf.ones((7,))


def test_a_symbolic_tensor_explains_that_it_has_no_value():
    x = _input((None, 4), name="X")
    h = x * 2.0
    for use in (lambda: h.numpy(), lambda: np.asarray(h), lambda: float(h),
                lambda: bool(h), lambda: list(h)):
        with pytest.raises(TypeError, match="part of a graph and has no value until the "
                                            "graph runs.*sess.run"):
            use()
    assert "part of a graph" in repr(h)


def test_layer_calls_record_layer_nodes_and_masks_flow():
    ids = keras.Input(shape=(None,), dtype="int32")
    emb = keras.layers.Embedding(10, 3, mask_zero=True)(ids)
    pooled = keras.layers.GlobalAveragePooling1D()(emb)
    assert emb.shape == (None, None, 3) and pooled.shape == (None, 3)
    kinds = [node.kind for node in ordered_nodes([pooled])]
    assert kinds == ["input", "layer", "layer"]
    short = np.array([[4, 5]])
    padded = np.array([[4, 5, 0, 0, 0]])
    (a,), _ = Plan([pooled]).run({id(ids): tf.constant(short)})
    (b,), ctx = Plan([pooled]).run({id(ids): tf.constant(padded)})
    np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)  # padding is masked out
    assert any(m.tolist() == [[True, True, False, False, False]] for m in ctx.masks.values())


def test_missing_input_is_named():
    x = _input((None, 2), name="features")
    with pytest.raises(ValueError, match="needs a value for the input 'features:0'"):
        Plan([x + 1.0]).run({})


def test_name_scopes_prefix_and_uniquify_names():
    graph = get_default_graph()
    with tf.graph.name_scope("dnn"):
        with tf.graph.name_scope("hidden1"):
            first = graph.unique_name("MatMul")
            second = graph.unique_name("MatMul")
    assert (first, second) == ("dnn/hidden1/MatMul", "dnn/hidden1/MatMul_1")
