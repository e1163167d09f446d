"""Model files (``.myelin``) and weights files (``.weights.npz``).

A model file is a zip of ``metadata.json`` (``format_version``, myelin version,
date), ``config.json`` (the architecture as registry names and configs, the build
input shape, the compile settings) and ``weights.npz`` (layer weights and optimizer
state, see ``state.py``). A weights file is that ``.npz`` alone. Both are written
atomically and read through ``archive.py``'s checks; a model is rebuilt only from
registered names, so loading never runs code named by the file.

Example:
    >>> model.save("mnist.myelin")
    >>> restored = myelin.models.load_model("mnist.myelin")
    >>> np.array_equal(restored.predict(x), model.predict(x))
    True
"""

from __future__ import annotations

import os
from datetime import datetime, timezone

from .. import backend
from . import registry
from .archive import (
    UnsafeFileError,
    array_bytes,
    json_bytes,
    open_zip,
    read_arrays,
    read_json,
    read_member,
    write_archive,
)
from .atomic import write_bytes_atomic
from .compile_config import compile_arguments, compile_config
from .state import max_state_bytes, restore_state, state_arrays

FORMAT_VERSION = 1
_MEMBERS = ("metadata.json", "config.json", "weights.npz")
_JSON_CAP = 16 << 20  # far beyond any real architecture's config
_ABSURD = 1 << 40  # no model file declares a terabyte; the real cap comes from the model


def save_model(model, filepath: str | os.PathLike, overwrite: bool = True,
               include_optimizer: bool = True, extra_metadata: dict | None = None) -> None:
    """Save architecture, compile settings, weights and optimizer state to one file.

    A name ending in ``.keras`` writes a Keras 3 archive instead (architecture and
    weights; needs h5py), which Keras loads; models Keras cannot express are refused.

    Args:
        model: A ``Sequential``, a functional ``Model`` or a registered ``Model`` subclass.
        filepath: Destination; ``.myelin`` by convention, any name is accepted.
        overwrite: If False, refuse to replace an existing file.
        include_optimizer: Also save the compile settings and optimizer state, so
            training can continue exactly where it stopped.
        extra_metadata: Optional JSON-compatible dict stored beside the model (for
            example the command line's preprocessing); ``read_metadata`` returns it.
    """
    if isinstance(filepath, (str, os.PathLike)) and os.fspath(filepath).endswith(".keras"):
        from .keras_format import save_keras_model  # h5py is optional: import on use

        return save_keras_model(model, filepath, overwrite=overwrite)
    members = model_members(model, include_optimizer, extra_metadata)
    write_archive(filepath, members, stored=("weights.npz",), overwrite=overwrite)


def model_members(model, include_optimizer=True, extra_metadata=None) -> dict:
    """The members of a model file: metadata, config and weights, as bytes."""
    config = {**registry.serialize(model), "build_config": _build_config(model)}
    compiled = include_optimizer and getattr(model, "compiled", False)
    if compiled:
        config["compile_config"] = compile_config(model)
    metadata = {
        "format_version": FORMAT_VERSION, "myelin_version": _myelin_version(),
        "date_saved": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }
    if extra_metadata is not None:
        metadata["extra"] = extra_metadata
    return {
        "metadata.json": json_bytes(metadata),
        "config.json": json_bytes(config),
        "weights.npz": array_bytes(state_arrays(model, include_optimizer=compiled)),
    }


def load_model(filepath, custom_objects: dict | None = None,
               compile: bool = True, safe_mode: bool = True):
    """Rebuild a model saved by ``save_model``: predictions equal the original's bit for bit.

    Keras 3 ``.keras`` archives and legacy Keras 2 ``.h5`` models load too (allow-listed
    built-in layers only, uncompiled; needs h5py).

    Args:
        filepath: The model file (a path, or a binary file object).
        custom_objects: Extra name -> class/function mapping for objects not
            registered with ``@myelin.saving.register_serializable()``.
        compile: Restore the compile settings and optimizer state too.
        safe_mode: Accepted for Keras compatibility; myelin files never contain
            code, so loading is always safe.

    Returns:
        The model, built, with its weights (and, if compiled, its optimizer state).

    Raises:
        UnsafeFileError: The file is not a myelin model file, is damaged, or is
            hostile (pickles, unknown names, zip bombs, path traversal).
        FileNotFoundError: No file at ``filepath``.
    """
    where = _where(filepath)
    keras_model = _load_keras_file(filepath, where, compile)
    if keras_model is not None:
        return keras_model
    with open_zip(filepath, where, _MEMBERS.__contains__, len(_MEMBERS), _ABSURD) as archive:
        _check_metadata(read_json(archive, "metadata.json", _JSON_CAP, where), where)
        config = read_json(archive, "config.json", _JSON_CAP, where)
        model = _rebuild(config, custom_objects, compile, where)
        cap = max_state_bytes(model)
        arrays = read_arrays(read_member(archive, "weights.npz", cap, where), where, cap)
    restore_state(model, arrays, where, strict_optimizer=True)
    return model


def _load_keras_file(filepath, where, compile):
    """The model of a Keras ``.keras`` or legacy ``.h5`` file, or None for other files."""
    from . import keras_format

    kind = keras_format.keras_kind(filepath)
    if kind == "h5":
        return keras_format.load_legacy_h5(filepath)
    if kind == "keras":
        return keras_format.load_keras_model(filepath, where, compile=compile)
    return None


def read_metadata(filepath) -> dict:
    """The ``extra_metadata`` a model file was saved with (``{}`` when none)."""
    where = _where(filepath)
    with open_zip(filepath, where, _MEMBERS.__contains__, len(_MEMBERS), _ABSURD) as archive:
        meta = read_json(archive, "metadata.json", _JSON_CAP, where)
    _check_metadata(meta, where)
    extra = meta.get("extra", {})
    if not isinstance(extra, dict):
        raise UnsafeFileError(f"{where}: metadata.json's 'extra' is not an object.")
    return extra


def _where(filepath):
    if isinstance(filepath, (str, os.PathLike)):
        return f"'{os.fspath(filepath)}'"
    return "the model data"


def save_weights(model, filepath: str | os.PathLike, overwrite: bool = True) -> None:
    """Save the weights (and optimizer state, if compiled) as an ``.npz``, atomically."""
    data = array_bytes(state_arrays(model))
    write_bytes_atomic(filepath, data, overwrite=overwrite)


def load_weights(model, filepath: str | os.PathLike) -> None:
    """Load ``save_weights`` output into ``model`` (same architecture, built).

    All shapes are checked before any weight changes. The optimizer state is
    restored when the model is compiled with a matching optimizer (else skipped with
    a warning, as in Keras).

    Raises:
        ValueError: A layer's weight has another shape in the file; the message
            names the layer and both shapes.
        UnsafeFileError: The file is not a safe, complete weights file.
    """
    where = f"'{os.fspath(filepath)}'"
    arrays = read_arrays(filepath, where, max_state_bytes(model))
    restore_state(model, arrays, where)


def _build_config(model):
    shape = getattr(model, "_build_input_shape", None) if getattr(model, "built", False) else None
    return None if shape is None else {"input_shape": list(shape)}


def _rebuild(config, custom_objects, compile, where):
    from ..models import Model

    objects = dict(custom_objects or {})
    saved_state = backend.get_rng_state()  # building draws initial weights; keep the
    try:  # caller's random stream as it was
        model = registry.deserialize(config, custom_objects=objects, expected_type=Model)
        build = config.get("build_config")
        if not model.built and isinstance(build, dict) and build.get("input_shape"):
            model.build(tuple(build["input_shape"]))
        if compile and config.get("compile_config") is not None:
            model.compile(**compile_arguments(config["compile_config"], objects))
    except (TypeError, ValueError, KeyError, AttributeError, MemoryError, RecursionError,
            NotImplementedError) as error:  # e.g. a config asking for an unsupported feature
        raise UnsafeFileError(
            f"{where}: config.json does not describe a model myelin can rebuild: {error}"
        ) from error
    finally:
        backend.set_rng_state(saved_state)
    return model


def _check_metadata(meta, where):
    version = meta.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise UnsafeFileError(f"{where}: metadata.json has no valid format_version "
                              f"(received {version!r}); it is not a myelin model file.")
    if version > FORMAT_VERSION:
        raise UnsafeFileError(
            f"{where} uses format_version {version}, but this myelin "
            f"({_myelin_version()}) reads up to {FORMAT_VERSION}. Upgrade myelin to load it."
        )


def _myelin_version() -> str:
    from importlib import metadata as importlib_metadata  # slow to import: on use only

    try:
        return importlib_metadata.version("myelin")
    except importlib_metadata.PackageNotFoundError:  # running from a source tree
        return "unknown"
