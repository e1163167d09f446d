"""What a compiled loss expects of the targets ``y``, checked once against the model.

A loss is classed as ``"sparse"`` (integer class labels), ``"categorical"``
(one-hot rows), ``"binary"`` (0/1 per output unit), ``"elementwise"`` (another
built-in loss: y shaped like the output) or None (a user function: not checked).
"""

import inspect

import numpy as np

from .. import backend, losses

_SPARSE = ("SparseCategoricalCrossentropy", "sparse_categorical_crossentropy")
_CATEGORICAL = ("CategoricalCrossentropy", "categorical_crossentropy")
_BINARY = ("BinaryCrossentropy", "binary_crossentropy")
_FOR_LOGITS = {"sparse": losses.SparseCategoricalCrossentropy,
               "categorical": losses.CategoricalCrossentropy,
               "binary": losses.BinaryCrossentropy}


def _loss_function(loss):
    """The function behind a wrapped loss (or the loss itself)."""
    return getattr(loss, "fn", loss)


def loss_kind(loss):
    names = {type(loss).__name__, getattr(_loss_function(loss), "__name__", "")}
    for kind, spellings in (("sparse", _SPARSE), ("categorical", _CATEGORICAL),
                            ("binary", _BINARY)):
        if names & set(spellings):
            return kind
    fn = _loss_function(loss)
    module = getattr(fn, "__module__", "") if fn is not loss else type(loss).__module__
    return "elementwise" if module.startswith("myelin.losses") else None


def logits_loss(loss, output_activation):
    """The same loss taking logits, when ``output_activation`` can be fused into it.

    A softmax output with (sparse) categorical cross-entropy, or a sigmoid output with
    binary cross-entropy, is computed from the logits instead (``p - y`` gradient, no
    log(0)); Keras's results agree up to rounding. Returns None when not applicable.
    """
    kind = loss_kind(loss)
    wanted = {"sparse": "softmax", "categorical": "softmax", "binary": "sigmoid"}.get(kind)
    if wanted is None or wanted != output_activation or getattr(loss, "from_logits", False):
        return None
    if getattr(loss, "_fn_kwargs", {}).get("from_logits"):
        return None
    config = loss.get_config() if isinstance(loss, _FOR_LOGITS[kind]) else {
        "name": loss.name, **getattr(loss, "_fn_kwargs", {})}
    accepted = inspect.signature(_FOR_LOGITS[kind]).parameters
    config = {k: v for k, v in config.items() if k in accepted}
    return _FOR_LOGITS[kind](**{**config, "from_logits": True})


def _shape_error(where, y, output_shape, expected, hint):
    return ValueError(
        f"{where}: y has shape {y.shape} but the model's output has shape {output_shape}; "
        f"expected y of shape {expected}. {hint}".rstrip())


def _first_index(mask):
    return int(np.flatnonzero(mask.reshape(-1))[0])


def check_targets(y, loss, output_shape, where):
    """Validate ``y`` for ``loss`` and a model output of ``output_shape``.

    Returns:
        ``y`` converted once: class labels as integers, everything else as floatx,
        and ``(n,)`` reshaped to ``(n, 1)`` for a single-unit output.
    """
    kind = loss_kind(loss)
    out = tuple(output_shape)
    n = len(y)
    if kind == "sparse":
        return _sparse_labels(y, out, where)
    if y.ndim == len(out) - 1 and out[-1] == 1:
        y = y.reshape(y.shape + (1,))  # (n,) -> (n, 1), once instead of every batch
    expected = (n,) + out[1:]
    if kind == "categorical" and y.shape != expected:
        if y.shape[1:] in (out[1:-1], out[1:-1] + (1,)) and out[-1] > 1:
            hint = (f"y holds class indices: use loss='sparse_categorical_crossentropy', or "
                    f"one-hot encode y with myelin.utils.to_categorical(y, {out[-1]}).")
        else:
            hint = (f"y needs one column per class ({out[-1]}); make the last layer "
                    f"Dense({y.shape[-1]}) if there are {y.shape[-1]} classes.")
        raise _shape_error(where, y, out, expected, hint)
    if kind in ("binary", "elementwise") and y.shape != expected:
        hint = ""
        if y.ndim == len(out) and out[-1] == 1 and y.shape[-1] > 1:
            hint = (f"y has {y.shape[-1]} columns for a 1-unit output: make the last layer "
                    f"Dense({y.shape[-1]}), or pass a single target column.")
        raise _shape_error(where, y, out, expected, hint)
    if kind == "binary":
        outside = (y < 0) | (y > 1)
        if outside.any():
            i = _first_index(outside)
            raise ValueError(
                f"{where}: binary_crossentropy expects targets in [0, 1], received "
                f"{y.reshape(-1)[i]} (flat index {i}). For more than two classes use a "
                f"softmax output with sparse_categorical_crossentropy.")
    if y.dtype.kind == "f" or kind is not None:
        y = y.astype(backend.floatx(), copy=False)
    return y


def _sparse_labels(y, out, where):
    classes = out[-1]
    if y.shape[1:] == out[1:-1] + (1,) and len(out) > 1:
        y = y.reshape(y.shape[:-1])
    elif y.shape[1:] == out[1:] and classes > 1:
        raise ValueError(
            f"{where}: y has shape {y.shape}, which looks one-hot encoded, but "
            f"sparse_categorical_crossentropy expects integer class labels of shape "
            f"{(len(y),) + out[1:-1]}. Use loss='categorical_crossentropy', or pass "
            f"y.argmax(axis=-1).")
    if y.shape[1:] != out[1:-1]:
        raise _shape_error(where, y, out, (len(y),) + out[1:-1],
                           "sparse_categorical_crossentropy takes one class label per sample.")
    if y.dtype.kind == "f":
        fractional = y != np.floor(y)
        if fractional.any():
            i = _first_index(fractional)
            raise ValueError(f"{where}: y holds {y.reshape(-1)[i]} at index {i}, but "
                             f"sparse_categorical_crossentropy expects integer class labels.")
        y = y.astype(np.int64)
    if y.dtype.kind == "b":
        y = y.astype(np.int64)
    negative = y < 0
    if negative.any():
        i = _first_index(negative)
        raise ValueError(f"{where}: y contains the negative label {y.reshape(-1)[i]} at index "
                         f"{i}; class labels must be in [0, {classes}) (0 .. {classes - 1}).")
    too_big = y >= classes
    if too_big.any():
        i = _first_index(too_big)
        raise ValueError(
            f"{where}: y contains the label {y.reshape(-1)[i]} at index {i}, but the model "
            f"has {classes} output classes, so labels must be in [0, {classes}) "
            f"(0 .. {classes - 1}). Give the last layer as many units as there are classes "
            f"(Dense({int(y.max()) + 1}) for labels up to {int(y.max())}).")
    return y
