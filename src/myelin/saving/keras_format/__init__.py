"""Keras 3 ``.keras`` archives and legacy Keras 2 ``.h5`` models, read and written.

A ``.keras`` file is a zip of ``metadata.json`` (``keras_version``, ``date_saved``),
``config.json`` (Keras's serialization schema, see ``to_keras.py``) and
``model.weights.h5`` (Keras's HDF5 layout, see ``weights_h5.py``). Reading goes
through ``archive.py``'s zip checks and size caps and rebuilds only allow-listed
classes (``allow.py``), so a file never runs code. HDF5 needs the optional h5py
(``pip install "myelin[keras-format]"``).

Example:
    >>> model.save("mnist.keras")          # Keras 3 loads this file
    >>> same = myelin.models.load_model("mnist.keras")
"""

from __future__ import annotations

import os
import zipfile
from datetime import datetime, timezone

from ..archive import UnsafeFileError, json_bytes, open_zip, read_json, read_member, write_archive
from .compile_keras import compile_from_keras, keras_compile_config, optimizer_arrays
from .from_keras import model_from_config
from .legacy_h5 import load_legacy_h5
from .to_keras import model_config
from .weights_h5 import load_weights_bytes, require_h5py, weights_bytes

KERAS_VERSION = "3.15.1"  # the Keras release whose layout these files follow
_MEMBERS = ("metadata.json", "config.json", "model.weights.h5")
_JSON_CAP = 16 << 20
_H5_OVERHEAD = 4 << 20  # HDF5 headers and group metadata beyond the raw weights
_ABSURD = 1 << 40


def save_keras_model(model, filepath: str | os.PathLike, overwrite: bool = True) -> None:
    """Write ``model`` as a Keras 3 ``.keras`` archive (architecture and weights).

    Args:
        model: A built ``Sequential`` or functional ``Model`` of layers Keras has.
        filepath: Destination, conventionally ``*.keras``.
        overwrite: If False, refuse to replace an existing file.

    Raises:
        ImportError: h5py is missing (the message says how to install it).
        ValueError: The model uses something Keras cannot express (named in the
            message, with the advice to save as ``.myelin``); nothing is written.
    """
    require_h5py()
    if not getattr(model, "built", False):
        raise ValueError(f"Model '{model.name}' is not built yet, so it has no weights to "
                         "save; call it on data or model.build(input_shape) first.")
    config = model_config(model)
    compiled = keras_compile_config(model)
    if compiled is not None:
        config["compile_config"] = compiled
    metadata = {"keras_version": KERAS_VERSION,
                "date_saved": datetime.now(timezone.utc).strftime("%Y-%m-%d@%H:%M:%S")}
    members = {"metadata.json": json_bytes(metadata), "config.json": json_bytes(config),
               "model.weights.h5": weights_bytes(model, optimizer_arrays(model))}
    write_archive(filepath, members, stored=("model.weights.h5",), overwrite=overwrite)


def load_keras_model(filepath, where: str | None = None, compile: bool = True):
    """Rebuild a model from a ``.keras`` archive Keras 3 (or myelin) saved.

    Args:
        filepath: The ``.keras`` file (a path or a binary file object).
        where: How to name the file in errors.
        compile: Compile the model as the file's ``compile_config`` says, when it
            names an allow-listed optimizer and built-in loss and metric names.

    Returns:
        The built model with the file's weights. Keras's optimizer state is not
        carried over (training continues with fresh optimizer slots).

    Raises:
        UnsafeFileError: Classes off the allow-list (Lambda, custom objects, unknown
            modules), oversized or unexpected members, path traversal, bad weights.
        ImportError: h5py is missing.
    """
    where = where or f"'{os.fspath(filepath)}'"
    require_h5py()
    with open_zip(filepath, where, _MEMBERS.__contains__, len(_MEMBERS), _ABSURD) as archive:
        meta = read_json(archive, "metadata.json", _JSON_CAP, where)
        if "keras_version" not in meta:
            raise UnsafeFileError(f"{where}: metadata.json has no keras_version; it is not "
                                  "a Keras archive.")
        config = read_json(archive, "config.json", _JSON_CAP, where)
        model = model_from_config(config, where)
        if not model.built:  # Keras always saves the input shape; its weights need one
            raise UnsafeFileError(f"{where}: config.json gives the model no input shape "
                                  "(no build_config or Input), so its weights cannot be "
                                  "placed; the file is damaged or not Keras's.")
        if compile and isinstance(config.get("compile_config"), dict):
            compile_from_keras(model, config["compile_config"], where)
        cap = _weights_cap(model)
        data = read_member(archive, "model.weights.h5", cap, where)
    load_weights_bytes(model, data, where)
    return model


def _weights_cap(model):
    return 2 * sum(int(w.numpy().nbytes) for w in model.weights) + _H5_OVERHEAD


def keras_kind(source) -> str | None:
    """``"h5"`` for an HDF5 file, ``"keras"`` for a ``.keras`` zip, else None.

    Only the first bytes and the zip's directory are looked at; nothing is inflated.
    """
    if isinstance(source, (str, os.PathLike)):
        if not os.path.isfile(source):
            return None
        with open(source, "rb") as f:
            return _kind_of(f)
    position = source.tell()
    try:
        return _kind_of(source)
    finally:
        source.seek(position)


def _kind_of(f):
    if f.read(8).startswith(b"\x89HDF"):
        return "h5"
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            return "keras" if "model.weights.h5" in archive.namelist() else None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return None  # not a readable zip: myelin's own reader says what is wrong


__all__ = ["keras_kind", "load_keras_model", "load_legacy_h5", "save_keras_model"]
