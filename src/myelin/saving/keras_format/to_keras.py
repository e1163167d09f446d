"""A myelin model's config in Keras 3's serialization schema (``config.json``).

Each object becomes ``{"module", "class_name", "config", "registered_name"}``: layers
under ``keras.layers``, initializers/regularizers/constraints as nested objects of
their Keras modules, dtypes as ``DTypePolicy`` objects. Only classes on the allow-list
(``allow.py``) are written; a model using anything else (myelin-only or custom layers)
is refused with the class named, since Keras could not load it.
"""

from __future__ import annotations

from .. import registry
from .allow import KERAS_REJECTS, MODULES

_NESTED = {"_initializer": "keras.initializers", "_regularizer": "keras.regularizers",
           "_constraint": "keras.constraints"}


def model_config(model) -> dict:
    """``model``'s Keras 3 ``config.json`` content (Sequential or functional)."""
    from ...models import Functional, Sequential

    if isinstance(model, Sequential):
        config = registry.serialize(model)["config"]
        layers = [_model_or_layer(layer, model) for layer in model.layers]
        if model.layers and type(model.layers[0]).__name__ != "InputLayer":
            first = registry.serialize(model)["config"]["layers"][0]
            if first["class_name"].startswith("InputLayer"):
                layers.insert(0, _layer_spec(first, model))
        shape = _input_shape(model)
        return {"module": "keras", "class_name": "Sequential",
                "config": {"name": config["name"], "trainable": config.get("trainable", True),
                           "dtype": _policy("float32"), "layers": layers,
                           "build_input_shape": shape},
                "registered_name": None, "build_config": {"input_shape": shape}}
    if isinstance(model, Functional):
        config = model.get_config()
        layers = []
        for layer, entry in zip(model._operations, config["layers"], strict=True):
            if hasattr(layer, "layers"):
                raise ValueError(_refusal(model, type(layer).__name__,
                                          "nested models in a functional model"))
            layers.append({**_layer_spec(entry, model), "name": entry["name"],
                           "inbound_nodes": entry["inbound_nodes"]})
        return {"module": "keras.src.models.functional", "class_name": "Functional",
                "config": {**config, "layers": layers}, "registered_name": "Functional",
                "build_config": {"input_shape": None}}
    raise ValueError(_refusal(model, type(model).__name__, "a subclassed model"))


def _input_shape(model):
    shape = getattr(model, "_build_input_shape", None)
    return None if shape is None else list(shape)


def _model_or_layer(layer, model):
    if hasattr(layer, "layers"):
        return model_config(layer)
    return _layer_spec(registry.serialize(layer), model)


def _layer_spec(spec, model):
    name = spec["class_name"].rsplit(".v", 1)[0]
    if name not in MODULES["keras.layers"]:
        raise ValueError(_refusal(model, name, f"the layer class {name}"))
    rejected = KERAS_REJECTS.get(name, ())
    config = {key: value if name == "InputLayer" else _value(key, value, model)
              for key, value in spec["config"].items() if key not in rejected}
    return {"module": "keras.layers", "class_name": name, "config": config,
            "registered_name": None}


def _value(key, value, model):
    if key == "dtype" and isinstance(value, str):
        return _policy(value)
    module = next((m for suffix, m in _NESTED.items() if key.endswith(suffix)), None)
    if module is None or value is None:
        return value
    if isinstance(value, str):  # an identifier such as "glorot_uniform": name its class
        value = registry.serialize(_resolve(module, value))
    name = value["class_name"].rsplit(".v", 1)[0].split(">")[-1]
    if name not in MODULES[module]:
        raise ValueError(_refusal(model, name, f"the {module.split('.')[-1][:-1]} {name}"))
    return {"module": module, "class_name": name, "config": value.get("config", {}),
            "registered_name": None}


def _resolve(module, identifier):
    import myelin

    namespace = {"keras.initializers": myelin.initializers,
                 "keras.regularizers": myelin.regularizers,
                 "keras.constraints": myelin.constraints}[module]
    return namespace.get(identifier)


def _policy(dtype):
    return {"module": "keras", "class_name": "DTypePolicy", "config": {"name": dtype},
            "registered_name": None}


def _refusal(model, name, what):
    return (f"Model '{model.name}' cannot be saved as a .keras file: it uses {what} "
            f"({name}), which Keras cannot load from myelin. Save it in myelin's own "
            f"format instead: model.save('{model.name}.myelin').")
