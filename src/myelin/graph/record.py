"""Recording symbolic steps: an op met a symbolic input, or a layer was called on one.

``record_op`` is installed as ``Function.apply``'s recorder; ``call_layer`` is what
``Layer.__call__`` does for symbolic inputs (the Keras functional API). Both find the
output's static shape (the layer's ``compute_output_shape`` when it has its own,
else abstract evaluation) and return new SymbolicTensors produced by a new node.
"""

from ..autodiff import Tensor
from ..autodiff.static_value import call_recorder, recorder
from .infer import output_specs
from .nodes import CallNode, LayerNode, OpNode
from .structure import map_structure
from .tensor import SymbolicTensor


def record_op(cls, inputs, params):
    """The symbolic result of ``cls.apply(*inputs, **params)``."""
    specs, _ = output_specs(lambda *xs: cls.apply(*xs, **params), inputs,
                            where=cls.__name__.lower())
    node = OpNode(cls, tuple(inputs), params)
    shape, dtype = specs[0]
    node.outputs = (SymbolicTensor(shape, dtype, node),)
    return node.outputs[0]


def record_call(fn, args, kwargs):
    """The symbolic result of ``fn(*args, **kwargs)``, recorded as one step."""
    specs, structure = output_specs(lambda a, k: fn(*a, **k), (args, kwargs),
                                    where=fn.__name__)
    node = CallNode(fn, args, kwargs)
    node.outputs = tuple(SymbolicTensor(shape, dtype, node, i)
                         for i, (shape, dtype) in enumerate(specs))
    return map_structure(lambda i: node.outputs[i], structure)


recorder[0], call_recorder[0] = record_op, record_call


def _static_shape(value):
    return tuple(value.shape) if isinstance(value, Tensor) else value


def _is_single_shape(shape):
    return isinstance(shape, tuple) and all(d is None or isinstance(d, int) for d in shape)


def _declared_specs(layer, shapes):
    """Output specs from the layer's own ``compute_output_shape``."""
    out = layer.compute_output_shape(shapes)
    if _is_single_shape(tuple(out)):
        return [(tuple(out), layer._dtype)], 0
    parts = [tuple(s) for s in out]
    return [(s, layer._dtype) for s in parts], list(range(len(parts)))


def _has_own_shape_rule(layer):
    from ..layers.layer import Layer  # layers sit above graph; only the class is needed

    if getattr(layer, "_infer_output_specs", False):  # e.g. a functional model (dict outputs)
        return False
    return type(layer).compute_output_shape is not Layer.compute_output_shape


def call_layer(layer, inputs, args, kwargs):
    """``layer(inputs, *args, **kwargs)`` on symbolic inputs: a LayerNode's outputs."""
    shapes = map_structure(_static_shape, inputs)
    if not layer.built:
        if isinstance(inputs, SymbolicTensor):
            layer._ensure_built(shapes)
        else:
            layer.build(shapes)
            layer.built = True
    elif isinstance(inputs, SymbolicTensor) and (layer._ndim or layer._min_ndim):
        layer._check_input(shapes)
    if _has_own_shape_rule(layer):
        specs, structure = _declared_specs(layer, shapes)
    else:
        def run(x, a, k):
            return layer(x, *a, **{**k, "training": False})

        specs, structure = output_specs(run, (inputs, args, kwargs),
                                        where=f"{type(layer).__name__} layer '{layer.name}'")
    node = LayerNode(layer, (inputs, *args), dict(kwargs))
    node.outputs = tuple(SymbolicTensor(shape, dtype, node, i, name=f"{layer.name}:{i}"
                                        if len(specs) > 1 else None)
                         for i, (shape, dtype) in enumerate(specs))
    if not hasattr(layer, "_inbound_nodes"):
        layer._inbound_nodes = []
    layer._inbound_nodes.append(node)
    return map_structure(lambda i: node.outputs[i], structure)

