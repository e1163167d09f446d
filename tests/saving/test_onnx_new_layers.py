"""ONNX export of the activation, normalization, reshaping and merge layers: onnxruntime
agrees with predict / the eager layer within 1e-5."""

import numpy as np
import pytest

from myelin import layers
from myelin.layers import clear_session
from myelin.models import Sequential
from myelin.saving import export_model

ort = pytest.importorskip("onnxruntime")
onnx = pytest.importorskip("onnx")
RNG = np.random.default_rng(0)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _check(model, x, tmp_path):
    path = tmp_path / "model.onnx"
    export_model(model, path)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["output"], {"input": x.astype(np.float32)})[0]
    expected = model.predict(x, verbose=0)
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) <= 1e-5


@pytest.mark.parametrize("layer", [
    layers.Softmax(), layers.ReLU(), layers.ReLU(negative_slope=0.1),
    layers.ReLU(max_value=1.0, negative_slope=0.1, threshold=0.2), layers.ReLU(max_value=6.0),
    layers.LeakyReLU(), layers.ELU(alpha=0.7), layers.PReLU(alpha_initializer="random_normal"),
    layers.BatchNormalization(), layers.LayerNormalization(epsilon=0.01),
    layers.LayerNormalization(center=False, scale=False), layers.Rescaling([0.5, 2.0], 0.1),
    layers.GaussianNoise(0.3), layers.ActivityRegularization(l1=0.1),
])
def test_trained_single_layer_after_dense_matches(tmp_path, layer):
    x = RNG.normal(size=(16, 3)).astype(np.float32)
    model = Sequential([layers.Input(shape=(3,)), layers.Dense(2), layer])
    model.compile("adam", "mse")
    model.fit(x, RNG.normal(size=(16, 2)), epochs=2, batch_size=4, verbose=0)
    _check(model, x, tmp_path)


def test_sequence_layers_and_other_feature_axes_match(tmp_path):
    x = RNG.normal(size=(8, 5)).astype(np.float32)
    model = Sequential([layers.Input(shape=(5,)), layers.Dense(4), layers.RepeatVector(3),
                        layers.BatchNormalization(axis=1), layers.Permute((2, 1)),
                        layers.BatchNormalization(), layers.LayerNormalization(axis=[1, 2]),
                        layers.Softmax(axis=1), layers.PReLU(shared_axes=[1]),
                        layers.Flatten()])
    model.compile("adam", "mse")
    model.fit(x, RNG.normal(size=(8, 12)), epochs=2, batch_size=4, verbose=0)
    _check(model, x, tmp_path)


def test_unsupported_options_are_named():
    for layer in (layers.Softmax(axis=[1, 2]), layers.LayerNormalization(axis=1)):
        model = Sequential([layers.Input(shape=(3, 4)), layer])
        with pytest.raises(ValueError, match="no ONNX conversion|trailing axes"):
            export_model(model, "/nonexistent/never-written.onnx")


def _merge_graph(layer, shapes):
    """A graph of the layer alone, its inputs named in0, in1 ... (as a functional model's
    export wires them)."""
    from onnx import TensorProto, helper, numpy_helper

    from myelin.saving._onnx_layers import convert_layer
    from myelin.saving.onnx_export import _Graph

    graph = _Graph(helper, numpy_helper)
    names = [f"in{i}" for i in range(len(shapes))]
    out = convert_layer(layer, names, graph)
    graph.nodes.append(helper.make_node("Identity", [out], ["output"]))
    inputs = [helper.make_tensor_value_info(n, TensorProto.FLOAT, ["batch", *s[1:]])
              for n, s in zip(names, shapes, strict=True)]
    out_shape = layer.compute_output_shape([(None, *s[1:]) for s in shapes])
    output = helper.make_tensor_value_info("output", TensorProto.FLOAT,
                                           ["batch", *out_shape[1:]])
    model = helper.make_model(helper.make_graph(graph.nodes, "merge", inputs, [output],
                                                initializer=graph.initializers),
                              opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    return ort.InferenceSession(model.SerializeToString(),
                                providers=["CPUExecutionProvider"])


@pytest.mark.parametrize("layer, shapes", [
    (layers.Add(), [(4, 3)] * 3), (layers.Subtract(), [(4, 3)] * 2),
    (layers.Multiply(), [(4, 3)] * 3), (layers.Average(), [(4, 3)] * 2),
    (layers.Maximum(), [(4, 3)] * 3), (layers.Minimum(), [(4, 3)] * 2),
    (layers.Concatenate(axis=1), [(4, 2, 3), (4, 5, 3)]), (layers.Dot(axes=1), [(4, 3)] * 2),
    (layers.Dot(axes=(1, 2), normalize=True), [(4, 3, 5), (4, 2, 3)]),
])
def test_merge_layer_conversions_match_the_layer(layer, shapes):
    arrays = [RNG.normal(size=s).astype(np.float32) for s in shapes]
    expected = layer(arrays).numpy()
    session = _merge_graph(layer, shapes)
    got = session.run(["output"], {f"in{i}": a for i, a in enumerate(arrays)})[0]
    assert got.shape == expected.shape
    assert np.max(np.abs(got - expected)) <= 1e-5
