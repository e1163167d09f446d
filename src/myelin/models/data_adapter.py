"""Checking and converting the data given to fit / evaluate / predict, once per call.

Everything is validated before training touches a weight: each problem raises an
error that names the argument, what was expected and what was received. Batches
are then plain slices of the converted arrays, with no per-batch conversion.
"""

import math
import numbers

import numpy as np

from .. import backend
from ..autodiff import Tensor

_KINDS = {"U": "strings", "S": "bytes", "O": "Python objects", "M": "dates",
          "m": "time deltas", "c": "complex numbers", "V": "records"}


def as_data_array(value, name, where, strings=False):
    """``value`` (list, NumPy array, Tensor, pandas DataFrame/Series) as a numeric array.

    With ``strings=True`` (a model starting with a string layer such as
    TextVectorization) arrays of text are accepted too.

    Raises:
        ValueError: for None, ragged lists, scalars, or no samples.
        TypeError: for strings, objects and other non-numeric dtypes (named).
    """
    if value is None:
        raise ValueError(f"{where}: {name} is None; pass an array of samples.")
    if isinstance(value, dict):
        raise TypeError(f"{where}: {name} is a dict of inputs {sorted(value)}, but this "
                        f"model takes one input array. Pass that array (e.g. map dataset "
                        f"elements to (features, label)), or build a functional model "
                        f"whose keras.Input layers carry these names.")
    if isinstance(value, Tensor):
        array = value._data
    else:
        try:
            array = np.asarray(value)
        except ValueError:
            raise ValueError(
                f"{where}: {name} has rows of different lengths (a ragged list), so it cannot "
                f"be one array. Pad the sequences to one length first, e.g. with "
                f"myelin.utils.pad_sequences(...).") from None
    if array.dtype.kind == "O":
        try:  # e.g. a pandas column of numbers stored as objects
            array = array.astype(np.float64)
        except (TypeError, ValueError):
            pass
    if strings and array.dtype.kind in "USO":
        pass  # the model's first layer checks the text itself
    elif array.dtype.kind not in "biuf":
        kind = _KINDS.get(array.dtype.kind, "non-numeric values")
        raise TypeError(
            f"{where}: {name} has dtype {array.dtype} ({kind}); expected numbers (float or "
            f"int). Convert it first, e.g. encode text as integer ids or parse numbers.")
    if array.ndim == 0:
        raise ValueError(f"{where}: {name} is a single number; expected an array with one "
                         f"entry per sample.")
    if array.shape[0] == 0:
        raise ValueError(f"{where}: {name} is empty (shape {array.shape}); expected at least "
                         f"one sample.")
    return array


def check_finite(array, name, where):
    """Raise naming the first NaN/inf and its index (floats only)."""
    if array.dtype.kind != "f":
        return
    if backend.all_finite(array):
        return
    bad = ~np.isfinite(array)
    index = tuple(int(i) for i in np.argwhere(bad)[0])
    shown = index[0] if len(index) == 1 else index
    raise ValueError(
        f"{where}: {name} contains {array[index]} at index {shown} (sample {index[0]}); "
        f"every value must be a finite number. Remove or impute missing values first "
        f"(e.g. with np.nan_to_num or by dropping those rows).")


def check_same_length(arrays, where):
    """All given arrays (name -> array or None) must hold the same number of samples."""
    given = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(given.values())) > 1:
        listed = " but ".join(f"{name} has {n} samples" for name, n in given.items())
        raise ValueError(f"{where}: {listed}. They must have the same length (first axis).")


def check_positive_int(value, name, where, allow_none=False, minimum=1):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        expected = "a positive integer" if minimum == 1 else f"an integer >= {minimum}"
        raise ValueError(f"{where}: {name} must be {expected}, received {value!r}.")
    return int(value)


def check_validation_split(value, where):
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value < 1:
        raise ValueError(f"{where}: validation_split must be a float in [0, 1), received "
                         f"{value!r}. E.g. validation_split=0.2 keeps the last 20% for "
                         f"validation.")
    return float(value)


def train_validation_split(arrays, validation_split, where):
    """Split each array (or None) into the first and the LAST part, as Keras does."""
    n = len(next(a for a in arrays if a is not None))
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if split_at in (0, n):
        raise ValueError(
            f"{where}: the training data contains {n} samples, which is not sufficient to "
            f"split it into a validation and training set as specified by "
            f"validation_split={validation_split}. Provide more data or another value.")
    train = tuple(None if a is None else a[:split_at] for a in arrays)
    return train, tuple(None if a is None else a[split_at:] for a in arrays)


def sample_weights(sample_weight, n, where):
    """``sample_weight`` as a float array of shape ``(n,)``, or None."""
    if sample_weight is None:
        return None
    weights = as_data_array(sample_weight, "sample_weight", where)
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights[:, 0]
    if weights.shape != (n,):
        raise ValueError(f"{where}: sample_weight must have one weight per sample, shape "
                         f"({n},); received shape {weights.shape}.")
    weights = weights.astype(np.float32)
    check_finite(weights, "sample_weight", where)
    return weights


def class_weights(class_weight, y, where):
    """Per-sample weights looked up from ``{class: weight}`` by each sample's class."""
    if not isinstance(class_weight, dict) or not class_weight:
        raise ValueError(f"{where}: class_weight must be a non-empty dict "
                         f"{{class index: weight}}, received {class_weight!r}.")
    if y.ndim > 1 and y.shape[-1] > 1:
        labels = y.argmax(axis=-1)
    else:
        labels = np.rint(y.reshape(len(y), -1)[:, 0]).astype(np.int64)
    table = {int(k): float(v) for k, v in class_weight.items()}
    missing = sorted(set(np.unique(labels).tolist()) - set(table))
    if missing:
        raise ValueError(f"{where}: class_weight has no weight for class {missing[0]}, which "
                         f"occurs in y. Give a weight for every class; received keys "
                         f"{sorted(table)}.")
    keys = np.array(sorted(table))
    values = np.array([table[k] for k in keys], dtype=np.float32)
    return values[np.searchsorted(keys, labels)]
