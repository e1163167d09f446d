"""Export a Sequential or functional model to ONNX, runnable in onnxruntime and other ONNX runtimes.

Each supported layer becomes a few standard ONNX nodes (opset 17) whose weights are
the layer's own arrays, so the exported graph computes what ``predict`` computes.
``onnx`` is an optional extra: it is imported only when ``export`` is called.
"""

from __future__ import annotations

import os

import numpy as np

from .atomic import write_bytes_atomic

OPSET = 17
_IR_VERSION = 8  # the IR that introduced opset 17: readable by every runtime since 2022


def export_model(model, filepath: str | os.PathLike, format: str = "onnx") -> None:
    """Write ``model`` as an ONNX file (atomically).

    A Sequential's graph has one input ``"input"`` (float32, or int64 token ids when
    the first layer is an Embedding) with a free batch dimension, and one output
    ``"output"``. A functional model's inputs are named like its ``Input`` layers
    (int64 when an Embedding reads them) and its outputs like ``model.output_names``.

    Args:
        model: A built ``Sequential`` of Dense, Activation, Embedding,
            GlobalAveragePooling1D, Flatten, Reshape, Dropout (exported as
            identity), Normalization, Masking, SimpleRNN, LSTM, GRU, Bidirectional and
            TimeDistributed(Dense) layers, the convolutions (Conv1D, Conv2D,
            Conv2DTranspose, DepthwiseConv2D, SeparableConv2D) and poolings (Max/
            AveragePooling1D/2D, GlobalMax/AveragePooling), the image layers
            (ZeroPadding, Cropping, UpSampling 1D/2D; SpatialDropout and augmentation
            layers as at inference), optionally after an ``Input``; or a functional
            model of those layers, the merge layers (Concatenate, Add, Subtract,
            Multiply, Average, Maximum, Minimum) and nested models.
        filepath: Destination, conventionally ``*.onnx``.
        format: Only ``"onnx"`` is supported.

    Raises:
        ImportError: ``onnx`` is not installed (``pip install myelin[onnx]``).
        ValueError: Unsupported format, model type, layer or option.

    Example:
        >>> model.export("model.onnx", format="onnx")
        >>> onnxruntime.InferenceSession("model.onnx").run(None, {"input": x})
    """
    if format != "onnx":
        raise ValueError(f"export: format={format!r} is not supported; use format='onnx'.")
    try:
        import onnx
        from onnx import TensorProto, helper, numpy_helper
    except ImportError:
        raise ImportError(
            "export(format='onnx') needs the 'onnx' package: pip install myelin[onnx] "
            "(or pip install onnx onnxruntime)."
        ) from None
    graph = _Graph(helper, numpy_helper)
    inputs, outputs = _fill(model, graph, TensorProto)
    proto = helper.make_model(
        helper.make_graph(
            graph.nodes, str(model.name),
            [helper.make_tensor_value_info(name, elem, _dims(shape, f"{name}_"))
             for name, elem, shape in inputs],
            [helper.make_tensor_value_info(name, elem, _dims(shape, f"{name}_"))
             for name, elem, shape in outputs],
            initializer=graph.initializers,
        ),
        opset_imports=[helper.make_opsetid("", OPSET)],
        producer_name="myelin",
    )
    proto.ir_version = _IR_VERSION
    onnx.checker.check_model(proto)
    write_bytes_atomic(filepath, proto.SerializeToString())


def _fill(model, graph, TensorProto):
    """Add ``model``'s nodes to ``graph``; return its ``(name, elem type, shape)``
    inputs and outputs. A Sequential has one input ``"input"`` and one output
    ``"output"``; a functional model's are named like its Inputs and outputs."""
    from ..models.functional import Functional
    from ._onnx_layers import convert_layer, input_dtype

    if isinstance(model, Functional):
        from .onnx_functional import emit, io_spec

        inputs, outputs = io_spec(model)
        results = emit(model, [name for name, _, _ in inputs], graph)
        for (name, _, _), result in zip(outputs, results, strict=True):
            graph.nodes.append(graph.identity(result, name))  # stable output names
        return inputs, outputs
    layers, input_shape = _sequential_layers(model)
    x = "input"
    for layer in layers:
        x = convert_layer(layer, x, graph)
    graph.nodes.append(graph.identity(x, "output"))
    elem = TensorProto.INT64 if input_dtype(layers) == "int64" else TensorProto.FLOAT
    output_shape = tuple(model.compute_output_shape(input_shape))
    return [("input", elem, input_shape)], [("output", TensorProto.FLOAT, output_shape)]


def _sequential_layers(model):
    from ..models import Sequential

    if not isinstance(model, Sequential):
        raise ValueError(
            f"export: ONNX export supports Sequential and functional models, received "
            f"{type(model).__name__}. Rebuild the network as one of them to export it."
        )
    input_shape = getattr(model, "input_shape", None)
    if not getattr(model, "built", False) or input_shape is None:
        raise ValueError(
            "export: the model is not built, so its input shape is unknown. Give the first "
            "layer an input_shape (or call the model on data / model.build(shape)) first."
        )
    return list(model.layers), tuple(input_shape)


def _dims(shape, prefix: str) -> list:
    # Unknown sizes become named symbols; the batch axis is the same symbol on both ends.
    return ["batch"] + [f"{prefix}{i}" if d is None else int(d)
                        for i, d in enumerate(shape[1:], start=1)]


class _Graph:
    """Collects nodes and weight initializers, handing out unique tensor names."""

    def __init__(self, helper, numpy_helper):
        self._helper, self._numpy_helper = helper, numpy_helper
        self.nodes, self.initializers = [], []
        self.mask = None  # the float 0/1 mask tensor flowing with the data, if any
        self._count = 0

    def fresh(self, hint: str) -> str:
        self._count += 1
        return f"{hint}_{self._count}"

    def constant(self, array, hint: str) -> str:
        """Add ``array`` as a graph initializer and return its name."""
        name = self.fresh(hint)
        self.initializers.append(self._numpy_helper.from_array(np.asarray(array), name))
        return name

    def identity(self, source: str, name: str):
        """An Identity node giving ``source`` the graph-level name ``name``."""
        return self._helper.make_node("Identity", [source], [name])

    def node(self, op: str, inputs: list[str], hint: str, **attrs) -> str:
        """Add one node with a single output and return the output's name."""
        out = self.fresh(hint)
        self.nodes.append(self._helper.make_node(op, inputs, [out], **attrs))
        return out
