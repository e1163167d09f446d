"""A functional model's config in Keras 3's schema, and the graph rebuilt from it.

``{"name", "trainable", "layers": [{class_name, config, name, inbound_nodes}, ...],
"input_layers", "output_layers"}``: each inbound node is one call of the layer,
``{"args": [...], "kwargs": {...}}`` with every tensor written as
``{"class_name": "__keras_tensor__", "config": {"shape", "dtype", "keras_history":
[layer name, node index, tensor index]}}``. Layers are named by the allow-list
registry, so rebuilding a model never runs code from a file. Ops recorded between
layers (``x + 1``, ``tf.concat``) are code, not layers: such a model cannot be saved.
"""

from ..graph import SymbolicTensor
from ..graph.structure import map_structure
from ..layers.input_layer import InputLayer
from ..layers.layer import Layer
from .functional_graph import operation_name, operation_of, type_name

_TENSOR = "__keras_tensor__"
_PLAIN = (str, int, float, bool, type(None))


def producer_name(tensor):
    """The name of the layer (or op) that makes ``tensor``."""
    return operation_name(operation_of(tensor.node))


def _kept_nodes(model):
    """Per layer, its calls that belong to this model (other models may share it)."""
    ids = {id(n) for n in model._nodes}
    kept = {}
    for node in model._nodes:
        if node.kind == "layer":
            calls = getattr(node.layer, "_inbound_nodes", ())
            kept[id(node.layer)] = [n for n in calls if id(n) in ids]
    return kept


def _history(tensor, kept):
    node = tensor.node
    if node.kind == "input":
        return [node.layer.name, 0, 0]
    return [node.layer.name, kept[id(node.layer)].index(node), tensor.index]


def _unsaveable(model, op):
    where = f"{type_name(op)} (recorded as '{operation_name(op)}')"
    return ValueError(
        f"Model '{model.name}' cannot be saved: its graph contains the op {where}, applied "
        f"to symbolic tensors between layers (e.g. `x + 1` or tf.concat). A model file holds "
        f"layers and their settings, never code. Use the equivalent layer (layers.Add, "
        f"layers.Concatenate, layers.Rescaling ...) or a custom layer registered with "
        f"@myelin.saving.register_serializable().")


def _serialize_value(model, value, kept, where):
    def one(leaf):
        if isinstance(leaf, SymbolicTensor):
            return {"class_name": _TENSOR, "config": {
                "shape": list(leaf.shape), "dtype": leaf.dtype.name,
                "keras_history": _history(leaf, kept)}}
        if isinstance(leaf, _PLAIN):
            return leaf
        raise ValueError(f"Model '{model.name}' cannot be saved: {where} was called with "
                         f"{type(leaf).__name__} {leaf!r:.60}, which a config cannot hold "
                         f"(only tensors, numbers, strings and lists).")

    return map_structure(one, list(value) if isinstance(value, tuple) else value)


def get_config(model):
    """``model``'s config (see the module docstring); raises for unsaveable ops."""
    from ..saving import registry  # saving sits above models; import on use

    kept = _kept_nodes(model)
    layers = []
    for op in model._operations:
        if not isinstance(op, Layer):
            raise _unsaveable(model, op)
        nodes = []
        for node in kept.get(id(op), ()):
            where = f"layer '{op.name}'"
            nodes.append({"args": _serialize_value(model, node.args, kept, where),
                          "kwargs": _serialize_value(model, node.kwargs, kept, where)})
        layers.append({**registry.serialize(op), "name": op.name, "inbound_nodes": nodes})

    def position(tensor):
        return _history(tensor, kept)

    return {"name": model.name, "trainable": model.trainable, "layers": layers,
            "input_layers": map_structure(position, model._inputs_struct),
            "output_layers": map_structure(position, model._outputs_struct)}


def _is_position(value):
    return (isinstance(value, list) and len(value) == 3 and isinstance(value[0], str)
            and all(isinstance(v, int) for v in value[1:]))


def _tensor_at(created, position):
    """The tensor ``[layer name, node index, tensor index]``; IndexError if that call
    has not been made yet (its inputs are still being rebuilt)."""
    name, node_index, tensor_index = position
    layer = created.get(name)
    if layer is None:
        raise ValueError(f"the config refers to the layer {name!r}, which it does not define.")
    if isinstance(layer, InputLayer):
        return layer.output
    calls = getattr(layer, "_inbound_nodes", [])
    if node_index >= len(calls):
        raise IndexError(position)
    return calls[node_index].outputs[tensor_index]


def _revive(value, created):
    if isinstance(value, dict) and value.get("class_name") == _TENSOR:
        history = value.get("config", {}).get("keras_history")
        if not _is_position(history):
            raise ValueError(f"a tensor in the config has no valid keras_history: {value!r:.80}")
        return _tensor_at(created, history)
    if isinstance(value, list):
        return [_revive(v, created) for v in value]
    if isinstance(value, dict):
        return {k: _revive(v, created) for k, v in value.items()}
    return value


def _positions(struct, created):
    if _is_position(struct):
        return _tensor_at(created, struct)
    if isinstance(struct, dict):
        return {k: _positions(v, created) for k, v in struct.items()}
    if isinstance(struct, list):
        return [_positions(v, created) for v in struct]
    raise ValueError(f"input_layers/output_layers hold {struct!r:.60}; expected "
                     f"[layer name, node index, tensor index] entries.")


def from_config(cls, config, custom_objects=None):
    """Rebuild a functional model: create each layer, then replay its calls in an
    order where every call's inputs exist (Keras 3's algorithm)."""
    from ..saving import registry

    if not isinstance(config.get("layers"), list):
        raise ValueError("a functional config needs a 'layers' list.")
    created, pending = {}, []
    for data in config["layers"]:
        spec = {"class_name": data.get("class_name"), "config": data.get("config")}
        layer = registry.deserialize(spec, custom_objects, expected_type=Layer)
        created[data.get("name", layer.name)] = layer
        pending.append([layer, list(data.get("inbound_nodes") or ())])
    while any(calls for _, calls in pending):
        progress = False
        for entry in pending:
            layer, calls = entry
            while calls:
                try:
                    args = _revive(calls[0].get("args", []), created)
                    kwargs = _revive(calls[0].get("kwargs", {}), created)
                except IndexError:
                    break
                layer(*args, **kwargs)
                calls.pop(0)
                progress = True
        if not progress:
            stuck = [layer.name for layer, calls in pending if calls]
            raise ValueError(f"invalid functional config: the calls of {stuck} refer to "
                             f"layer calls that never happen (a loop or a missing layer).")
    return cls(_positions(config["input_layers"], created),
               _positions(config["output_layers"], created),
               name=config.get("name"), trainable=config.get("trainable", True))
