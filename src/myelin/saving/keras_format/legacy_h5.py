"""Legacy whole-model HDF5 files (``.h5``) written by Keras 2 (and Keras 3's legacy path).

The architecture is the JSON in the root attribute ``model_config``; each layer's
weights are under ``model_weights/<layer name>``, whose ``weight_names`` attribute
lists them in order (``<layer>/<var>:0`` paths relative to that group). The same
allow-list as ``.keras`` applies, and each dataset is checked (link, storage, dtype,
shape) before it is read.
"""

from __future__ import annotations

import json
import os

from ..archive import UnsafeFileError
from .from_keras import model_from_config
from .weights_h5 import read_dataset, require_h5py

_CONFIG_CAP = 16 << 20


def load_legacy_h5(filepath):
    """Rebuild a model from a Keras 2 style ``.h5`` file (uncompiled).

    Args:
        filepath: Path of the ``.h5`` file.

    Returns:
        The built model with the file's weights.

    Raises:
        UnsafeFileError: No model config (a weights-only file), classes off the
            allow-list, or weights that do not match the architecture.
        ImportError: h5py is missing.
    """
    h5py = require_h5py()
    where = f"'{os.fspath(filepath)}'"
    try:
        f = h5py.File(filepath, "r")
    except OSError as error:
        raise UnsafeFileError(f"{where} is not a readable HDF5 file ({error}).") from None
    with f:
        model = model_from_config(_config(f, where), where)
        root = f.get("model_weights", f)
        values = []
        for layer in _leaf_layers(model):
            names = [_text(n) for n in root[layer.name].attrs.get("weight_names", [])] \
                if layer.name in root else []
            if len(names) != len(layer.weights):
                raise UnsafeFileError(f"{where}: layer '{layer.name}' has {len(names)} "
                                      f"weights in the file, the model needs "
                                      f"{len(layer.weights)}.")
            for name, weight in zip(names, layer.weights, strict=True):
                path = f"{layer.name}/{name}"
                values.append((weight, read_dataset(h5py, root, path, weight, where)))
    for weight, value in values:
        weight.assign(value)
    return model


def _config(f, where):
    raw = f.attrs.get("model_config")
    if raw is None:
        raise UnsafeFileError(f"{where} holds no model_config: it is a weights-only file. "
                              "Build the model and call model.load_weights instead.")
    raw = _text(raw)
    if len(raw) > _CONFIG_CAP:
        raise UnsafeFileError(f"{where}: model_config is {len(raw):,} characters, beyond "
                              f"the {_CONFIG_CAP:,} any real architecture needs.")
    try:
        config = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise UnsafeFileError(f"{where}: model_config is not valid JSON ({error}).") from None
    if not isinstance(config, dict) or not isinstance(config.get("config"), dict):
        raise UnsafeFileError(f"{where}: model_config does not describe a model.")
    return _modernize(config)


def _modernize(spec):
    """Keras 2 spellings to Keras 3's: ``batch_input_shape`` becomes an input shape."""
    config = spec["config"]
    layers = config.get("layers")
    if spec.get("class_name") == "Sequential" and isinstance(layers, list):
        for layer in layers:
            inner = layer.get("config") if isinstance(layer, dict) else None
            if isinstance(inner, dict) and "batch_input_shape" in inner:
                shape = inner.pop("batch_input_shape")
                if layer.get("class_name") == "InputLayer":
                    inner["batch_shape"] = shape
                config.setdefault("build_input_shape", shape)
    return spec


def _leaf_layers(model):
    for layer in model.layers:
        if hasattr(layer, "layers"):
            yield from _leaf_layers(layer)
        else:
            yield layer


def _text(value):
    return value.decode("utf-8") if isinstance(value, bytes) else str(value)
