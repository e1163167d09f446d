"""Rebuild a myelin model from a Keras 3 ``config.json`` (allow-listed classes only).

Each Keras object is checked by ``allow.check_object`` and translated to myelin's
registry form (``{"class_name": "Dense.v1", "config": ...}``): dtype policies become
their dtype name, initializers/regularizers/constraints their ``{"class_name",
"config"}``. Keras keys myelin lacks are dropped only when ``allow.DROPPABLE`` says
they cannot change the model's predictions; any other is refused by name.
"""

from __future__ import annotations

import ast
import re

from ... import backend
from .. import registry
from ..archive import UnsafeFileError
from .allow import (
    DROPPABLE,
    FUNCTIONAL_MODULES,
    SEQUENTIAL_MODULES,
    check_object,
    myelin_class,
)

_NESTED = {"_initializer": "keras.initializers", "_regularizer": "keras.regularizers",
           "_constraint": "keras.constraints"}
_UNRECOGNIZED = re.compile(r"Unrecognized keyword arguments passed to \w+: (\[.*\])")


def model_from_config(config: dict, where: str):
    """The myelin model a Keras ``config.json`` describes, built and uncompiled.

    Raises:
        UnsafeFileError: For any class off the allow-list or a config myelin cannot rebuild.
    """
    saved_state = backend.get_rng_state()  # building draws weights the file then replaces
    try:
        return _model(config, where)
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        if isinstance(error, UnsafeFileError):
            raise
        raise UnsafeFileError(f"{where}: config.json does not describe a model myelin can "
                              f"rebuild: {error}") from error
    finally:
        backend.set_rng_state(saved_state)


def _model(spec, where):
    from ...models import Functional, Sequential

    if not isinstance(spec, dict):
        raise UnsafeFileError(f"{where}: the model config is not an object.")
    name, module = spec.get("class_name"), spec.get("module", "keras")
    config = spec.get("config")
    if spec.get("registered_name") not in (None, name) or not isinstance(config, dict):
        raise UnsafeFileError(f"{where}: the model is the custom class "
                              f"{spec.get('registered_name')!r}; only Keras's Sequential and "
                              "Functional models load in myelin.")
    if name == "Sequential" and module in SEQUENTIAL_MODULES:
        model = Sequential(name=config.get("name"))
        for layer_spec in config.get("layers", []):
            model.add(_sublayer(layer_spec, where))
        shape = config.get("build_input_shape")
        if not model.built and shape:
            model.build(tuple(shape))
        return model
    if name in ("Functional", "Model") and module in FUNCTIONAL_MODULES:
        layers = []
        for entry in config.get("layers", []):
            layers.append({**_sublayer_spec(entry, where), "name": entry.get("name"),
                           "inbound_nodes": entry.get("inbound_nodes", [])})
        return Functional.from_config({**config, "layers": layers})
    raise UnsafeFileError(f"{where}: the model class {name!r} from module {module!r} is not "
                          "on myelin's allow-list (Sequential, Functional).")


def _sublayer(spec, where):
    if isinstance(spec, dict) and spec.get("class_name") in ("Sequential", "Functional"):
        return _model(spec, where)
    return _layer(spec, where)


def _sublayer_spec(entry, where):
    """A functional model's layer entry in myelin's registry form."""
    if entry.get("class_name") in ("Sequential", "Functional"):
        raise UnsafeFileError(f"{where}: nested models inside a functional .keras model are "
                              "not supported yet; save the model as .myelin.")
    return _registry_spec(entry, where)


def _layer(spec, where):
    return registry.deserialize(_registry_spec(spec, where))


def _registry_spec(spec, where):
    name = check_object(spec, where, "keras.layers")
    cls = myelin_class("keras.layers", name, where)
    config = {key: _value(key, value, where) for key, value in spec["config"].items()}
    config = _accepted(cls, name, config, where)
    return {"class_name": registry.get_registered_name(cls), "config": config}


def _value(key, value, where):
    if key == "dtype" and isinstance(value, dict):
        if value.get("class_name") != "DTypePolicy" or value.get("module") != "keras":
            raise UnsafeFileError(f"{where}: dtype policy {value.get('class_name')!r} is not "
                                  "supported (only plain float32/float64 policies).")
        return value.get("config", {}).get("name")
    kind = next((k for suffix, k in _NESTED.items() if key.endswith(suffix)), None)
    if kind is not None and isinstance(value, dict):
        name = check_object(value, where, kind)
        myelin_class(kind, name, where)
        inner = {k: v for k, v in (value.get("config") or {}).items()
                 if not (k in DROPPABLE and (DROPPABLE[k] == "any" or DROPPABLE[k] == v))}
        return {"class_name": name, "config": inner}
    if isinstance(value, dict) and ("class_name" in value or "module" in value):
        raise UnsafeFileError(f"{where}: the config key {key!r} holds the object "
                              f"{value.get('class_name')!r}, which myelin does not load from "
                              ".keras files (functions and custom objects are never loaded).")
    return value


def _accepted(cls, name, config, where):
    """Drop the harmless Keras-only keys ``cls`` refuses; refuse the others by name."""
    config = dict(config)
    for _ in range(len(config) + 1):
        try:
            cls.from_config(dict(config)) if hasattr(cls, "from_config") else cls(**config)
            return config
        except ValueError as error:
            match = _UNRECOGNIZED.search(str(error))
            if not match:
                raise
            for key in ast.literal_eval(match.group(1)):
                allowed = DROPPABLE.get(key, object())
                if allowed != "any" and allowed != config.get(key):
                    raise UnsafeFileError(
                        f"{where}: Keras's {name} has {key}={config.get(key)!r}, a setting "
                        "myelin's layer does not support; the model cannot be loaded "
                        "faithfully.") from None
                config.pop(key)
    return config
