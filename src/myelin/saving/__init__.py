"""Saving and loading: model files, weights files, the allow-list registry, ONNX export.

Example:
    >>> model.save("model.myelin")                  # architecture + weights + optimizer
    >>> model = myelin.models.load_model("model.myelin")
    >>> model.save_weights("ckpt.weights.npz")
    >>> model.export("model.onnx", format="onnx")   # needs pip install myelin[onnx]
"""

from .archive import UnsafeFileError
from .atomic import atomic_write, write_bytes_atomic
from .model_file import (
    FORMAT_VERSION,
    load_model,
    load_weights,
    read_metadata,
    save_model,
    save_weights,
)
from .onnx_export import export_model
from .pickling import model_from_bytes, model_to_bytes
from .registry import (
    deserialize,
    get_registered_name,
    get_registered_object,
    register_serializable,
    serialize,
)

__all__ = [
    "FORMAT_VERSION", "UnsafeFileError", "atomic_write", "deserialize", "export_model",
    "get_registered_name", "get_registered_object", "load_model", "load_weights",
    "model_from_bytes", "model_to_bytes", "read_metadata", "register_serializable",
    "save_model", "save_weights", "serialize", "write_bytes_atomic",
]
