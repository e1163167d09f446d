"""``model.weights.h5`` in Keras 3's layout, written and read with h5py.

Keras stores every object's own variables as datasets ``0``, ``1``, ... of a ``vars``
group, its sublayers under ``layers/<key>`` where the key is the snake-cased class
name made unique in order (``dense``, ``dense_1``, ...; an InputLayer takes a key in a
functional model, not in a Sequential), and a recurrent layer's weights under
``cell/vars``. Reading checks every dataset before touching its data: a hard link,
no external or virtual storage, a numeric dtype and exactly the shape the myelin
weight has, so a file declaring a huge dataset is refused without reading it.
"""

from __future__ import annotations

import io
import re

import numpy as np

from ..archive import UnsafeFileError
from .allow import RECURRENT


def require_h5py():
    """Import h5py, or explain how to install it (or to save as ``.myelin``)."""
    try:
        import h5py
    except ImportError:
        raise ImportError(
            'Reading and writing Keras files (.keras, .h5) needs h5py: pip install '
            '"myelin[keras-format]". Or save the model in myelin\'s own format, '
            'model.save("model.myelin"), which needs nothing extra.') from None
    return h5py


def snake_case(name: str) -> str:
    """Keras's object-name key for a class name (``MaxPooling2D`` -> ``max_pooling2d``)."""
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


def walk(model, prefix=""):
    """Yield ``(group path, [myelin weights])`` for ``model`` in Keras's layout."""
    from ...layers.input_layer import InputLayer
    from ...models import Sequential

    yield prefix + "vars", []
    layers = list(model.layers)
    if isinstance(model, Sequential):
        layers = [layer for layer in layers if not isinstance(layer, InputLayer)]
    used = {}
    for layer in layers:
        key = snake_case(type(layer).__name__)
        if key in used:
            used[key] += 1
            key = f"{key}_{used[key]}"
        else:
            used[key] = 0
        path = f"{prefix}layers/{key}/"
        if hasattr(layer, "layers"):  # a nested model
            yield from walk(layer, path)
        elif type(layer).__name__ in RECURRENT:
            yield path + "vars", []
            yield path + "cell/vars", list(layer.cell.weights)
        else:
            yield path + "vars", list(layer.weights)


def weights_bytes(model, optimizer_state=()) -> bytes:
    """The ``model.weights.h5`` member: ``model``'s weights and, when given, the optimizer's
    variables (``optimizer/vars``, named as Keras names the optimizer)."""
    h5py = require_h5py()
    buffer = io.BytesIO()
    with h5py.File(buffer, "w") as f:
        for path, weights in walk(model):
            group = f.require_group(path)
            group.attrs["name"] = _owner_name(model, path)
            for index, weight in enumerate(weights):
                group.create_dataset(str(index), data=np.asarray(weight.numpy()))
        if len(optimizer_state):
            group = f.require_group("optimizer/vars")
            group.attrs["name"] = model.optimizer.name
            for index, array in enumerate(optimizer_state):
                group.create_dataset(str(index), data=np.asarray(array))
    return buffer.getvalue()


def _owner_name(model, path):
    return model.name if path == "vars" else path.split("/")[-2]


def load_weights_bytes(model, data: bytes, where: str) -> None:
    """Set ``model``'s weights from a Keras ``model.weights.h5``, all checked first."""
    h5py = require_h5py()
    try:
        with h5py.File(io.BytesIO(data), "r") as f:
            values = [(weight, read_dataset(h5py, f, f"{path}/{i}", weight, where))
                      for path, weights in walk(model) for i, weight in enumerate(weights)]
    except (OSError, RuntimeError, KeyError, OverflowError) as error:
        # h5py reports damaged internals as RuntimeError (heap, links), KeyError (layout)
        # or OverflowError (a size field too large for C)
        raise UnsafeFileError(f"{where}: model.weights.h5 is not a readable HDF5 file "
                              f"({error}).") from None
    for weight, value in values:
        weight.assign(value)


def read_dataset(h5py, f, path: str, weight, where: str) -> np.ndarray:
    """Read ``path`` after checking its link, storage, dtype and shape against ``weight``."""
    parent, _, name = path.rpartition("/")
    group = f.get(parent) if parent else f
    link = group.get(name, getlink=True) if group is not None else None
    if link is None:
        raise UnsafeFileError(f"{where}: the weights file has no dataset {path!r} for "
                              f"'{weight.name}'; the file does not match the architecture.")
    if not isinstance(link, h5py.HardLink):
        raise UnsafeFileError(f"{where}: {path!r} is an external or soft link; refusing it.")
    dataset = group[name]
    if not isinstance(dataset, h5py.Dataset) or dataset.is_virtual or dataset.external:
        raise UnsafeFileError(f"{where}: {path!r} is not a plain dataset stored in the file.")
    if dataset.dtype.kind not in "fiu":
        raise UnsafeFileError(f"{where}: {path!r} has dtype {dataset.dtype}; expected numbers.")
    expected = tuple(weight.shape)
    if tuple(dataset.shape) != expected:
        raise UnsafeFileError(f"{where}: {path!r} ('{weight.name}') has shape "
                              f"{tuple(dataset.shape)}, expected {expected}.")
    return np.asarray(dataset[()], dtype=np.asarray(weight.numpy()).dtype)
