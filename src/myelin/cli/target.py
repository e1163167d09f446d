"""The target column: classification or regression, encoded for training."""

import numpy as np

from .errors import CliError
from .table import column_kind, is_missing, parse_number

_MAX_CLASSES_FROM_NUMBERS = 10


def encode(table, name, task=None):
    """``(task, y, info)`` for the target column; rows with a missing target are refused."""
    cells = table.require(name)
    missing = [i for i, c in enumerate(cells) if is_missing(c)]
    if missing:
        raise CliError(f"{table.path}, row {missing[0] + 2}: the target column {name!r} is "
                       f"empty; remove rows without a target")
    kind = column_kind(table, name)
    if task is None:
        distinct = set(cells)
        integral = kind == "numeric" and all(float(c).is_integer() for c in cells)
        task = "classification" if kind == "categorical" or (
            integral and len(distinct) <= _MAX_CLASSES_FROM_NUMBERS) else "regression"
    if task == "regression":
        if kind != "numeric":
            raise CliError(f"--task regression needs a numeric target, but column {name!r} "
                           f"holds text")
        y = np.array([parse_number(c) for c in cells], dtype=np.float32)
        return task, y, {"task": task, "name": name}
    classes = sorted(set(cells), key=lambda c: (parse_number(c) is None, parse_number(c) or 0, c))
    if len(classes) < 2:
        raise CliError(f"the target column {name!r} has only one class ({classes[0]!r}); a "
                       f"classifier needs at least two")
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[c] for c in cells], dtype=np.int32)
    return task, y, {"task": task, "name": name, "classes": classes}
