"""A model's arrays (layer weights and optimizer state) as flat ``.npz`` entries.

Keys are positional, ``weights/<layer index>/<weight index>`` and
``optimizer/<index>``, so weights load into any model of the same architecture
whatever its layers happen to be named (auto names differ between processes);
``layer_names`` records the saving model's names for error messages. Restoring
checks every shape before it writes anything: a mismatch leaves the model as it was.
"""

from __future__ import annotations

import math
import re
import warnings

import numpy as np

from .archive import UnsafeFileError

_KEY = re.compile(r"(weights)/(\d+)/(\d+)|(optimizer)/(\d+)|layer_names")
_MAX_SLOTS = 4  # the model's weights and at most 3 optimizer slots each (Adam with amsgrad)
_OVERHEAD = 1 << 20  # optimizer scalars, layer names
_PER_ARRAY = 1 << 10  # .npy header and zip entry of one array


def state_arrays(model, include_optimizer: bool = True) -> dict[str, np.ndarray]:
    """Everything needed to restore ``model`` exactly, keyed as in the module docstring."""
    owners = weight_owners(model)
    arrays = {"layer_names": np.array([name for name, _ in owners], dtype=str)}
    for i, (_, variables) in enumerate(owners):
        for j, variable in enumerate(variables):
            arrays[f"weights/{i}/{j}"] = variable.numpy()
    optimizer = getattr(model, "optimizer", None)
    if include_optimizer and optimizer is not None:
        for k, array in enumerate(optimizer.get_state()):
            arrays[f"optimizer/{k}"] = np.asarray(array)
    return arrays


def max_state_bytes(model) -> int:
    """The most bytes a state file for ``model`` can legitimately hold (zip-bomb cap)."""
    variables = [v for _, owned in weight_owners(model) for v in owned]
    weights = sum(math.prod(v.shape) * v.dtype.itemsize for v in variables)
    return (weights + _PER_ARRAY * len(variables)) * _MAX_SLOTS + _OVERHEAD


def weight_owners(model) -> list[tuple[str, list]]:
    """``(layer name, variables)`` per layer of ``model``, plus the model's own weights."""
    layers = list(getattr(model, "layers", []))
    owners = [(layer.name, list(layer.weights)) for layer in layers]
    claimed = {id(v) for _, variables in owners for v in variables}
    own = [v for v in model.weights if id(v) not in claimed]
    if own or not layers:
        owners.append((model.name, own))
    return owners


def restore_state(model, arrays: dict, where: str, strict_optimizer: bool = False) -> None:
    """Write ``arrays`` (from ``state_arrays``) into ``model`` after checking all of them.

    Args:
        model: The model to update; built, with the saved model's architecture.
        arrays: Key -> array, as read from a file.
        where: The file, for error messages.
        strict_optimizer: Raise instead of warning when the file's optimizer state
            does not fit the model's optimizer (resuming needs it exactly).

    Raises:
        ValueError: Naming the layer, the weight, and both shapes, on any mismatch.
    """
    unknown = [key for key in arrays if not _KEY.fullmatch(key)]
    if unknown:
        raise UnsafeFileError(f"{where} holds unexpected arrays {unknown[:5]}; it is not a "
                              "myelin weights file.")
    plan = _weight_plan(model, arrays, where)
    optimizer_plan = _optimizer_plan(model, arrays, where, strict_optimizer)
    for variable, array in plan:
        variable.assign(array)
    if optimizer_plan is not None:
        optimizer, saved, build = optimizer_plan
        if build:
            optimizer.build(model.trainable_variables)
        optimizer.set_state(saved)


def _weight_plan(model, arrays, where):
    owners = weight_owners(model)
    file_names = [str(n) for n in arrays.get("layer_names", np.array([], dtype=str))]
    counts = _counts(arrays, len(file_names), where)
    if len(file_names) != len(owners):
        raise ValueError(
            f"{where} holds weights for {len(file_names)} layers {file_names}, but the model "
            f"has {len(owners)} {[name for name, _ in owners]}. Load weights saved from a "
            "model with the same architecture."
        )
    plan = []
    for i, (name, variables) in enumerate(owners):
        saved_as = "" if file_names[i] == name else f" (saved as '{file_names[i]}')"
        if counts[i] != len(variables):
            hint = " Build the model (call it on data) first." if not variables else ""
            raise ValueError(
                f"{where}: layer '{name}'{saved_as} has {len(variables)} weights in the model "
                f"but {counts[i]} in the file.{hint}"
            )
        for j, variable in enumerate(variables):
            array = arrays[f"weights/{i}/{j}"]
            if array.shape != tuple(variable.shape):
                raise ValueError(
                    f"{where}: layer '{name}'{saved_as}: weight '{variable.name}' has shape "
                    f"{tuple(variable.shape)} in the model but {array.shape} in the file. "
                    "Check that the model is built with the same layer sizes and input shape."
                )
            plan.append((variable, array.astype(variable.dtype, copy=False)))
    return plan


def _counts(arrays, n_layers, where):
    counts = [0] * n_layers
    for key in arrays:
        match = _KEY.fullmatch(key)
        if match.group(1):
            i = int(match.group(2))
            if i >= n_layers:
                raise UnsafeFileError(f"{where}: array {key!r} names layer {i} but the file "
                                      f"lists {n_layers} layers; it is corrupted.")
            counts[i] += 1
    for i, count in enumerate(counts):
        if any(f"weights/{i}/{j}" not in arrays for j in range(count)):
            raise UnsafeFileError(f"{where}: the weights of layer {i} are not numbered "
                                  "0, 1, ...; the file is corrupted.")
    return counts


def _optimizer_plan(model, arrays, where, strict):
    saved = []
    while f"optimizer/{len(saved)}" in arrays:
        saved.append(arrays[f"optimizer/{len(saved)}"])
    optimizer = getattr(model, "optimizer", None)
    if not saved or optimizer is None:
        return None
    found = [a.shape for a in saved]
    current = [tuple(v.shape) for v in optimizer.variables]
    if found == current:
        return optimizer, saved, False
    # An optimizer that has not stepped yet has no slots; the saved one may have them.
    built = current + [tuple(v.shape) for v in model.trainable_variables
                       for _ in optimizer.slot_names()]
    if not optimizer.built and found == built:
        return optimizer, saved, True
    message = (f"{where}: the saved optimizer state ({len(found)} arrays) does not fit the "
               f"model's {type(optimizer).__name__} ({len(current)} arrays, or {len(built)} "
               "once built); was the model compiled with a different optimizer?")
    if strict:
        raise ValueError(message)
    # 5 frames up is the caller of Model.load_weights (through saving.load_weights and
    # restore_state), so the warning names the user's line, not myelin's.
    warnings.warn(message + " Skipping the optimizer state.", stacklevel=5)
    return None
