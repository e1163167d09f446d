"""Turning CSV columns into the numbers a network trains on, and back.

Fitted on the training rows only: numeric columns are standardised (missing cells
take the training mean), categorical columns are one-hot encoded (a missing cell is
its own category, an unseen one maps to all zeros). The fitted state is a plain dict
saved inside the model file, so ``myelin predict`` applies exactly the same steps.
"""

import numpy as np

from .errors import CliError
from .table import column_kind, is_missing, parse_number


def fit(table, features):
    """The preprocessing state for ``features`` learned from ``table``'s rows."""
    spec = []
    for name in features:
        cells = table.columns[name]
        if column_kind(table, name) == "numeric":
            values = np.array([parse_number(c) for c in cells if not is_missing(c)])
            std = float(values.std()) or 1.0
            spec.append({"name": name, "kind": "numeric", "mean": float(values.mean()),
                         "std": std})
        else:
            categories = sorted({_category(c) for c in cells})
            spec.append({"name": name, "kind": "categorical", "categories": categories})
    return spec


def _category(cell):
    return "(missing)" if is_missing(cell) else cell


def transform(table, spec, rows=None):
    """The float32 feature matrix of ``table`` (optionally only ``rows``)."""
    parts = []
    for column in spec:
        cells = table.require(column["name"])
        if rows is not None:
            cells = [cells[i] for i in rows]
        if column["kind"] == "numeric":
            values = np.empty(len(cells), dtype=np.float64)
            for i, cell in enumerate(cells):
                if is_missing(cell):
                    values[i] = column["mean"]
                    continue
                number = parse_number(cell)
                if number is None:
                    row = (rows[i] if rows is not None else i) + 2
                    raise CliError(f"{table.path}, row {row}, column {column['name']!r}: "
                                   f"cannot read {cell!r} as a number")
                values[i] = number
            parts.append(((values - column["mean"]) / column["std"])[:, None])
        else:
            index = {c: j for j, c in enumerate(column["categories"])}
            onehot = np.zeros((len(cells), len(index)))
            for i, cell in enumerate(cells):
                j = index.get(_category(cell))
                if j is not None:
                    onehot[i, j] = 1.0
            parts.append(onehot)
    return np.hstack(parts).astype(np.float32)


def describe(spec):
    """One line per input column, for ``myelin summary``."""
    lines = []
    for column in spec:
        if column["kind"] == "numeric":
            lines.append(f"  {column['name']}: numeric, standardised (mean "
                         f"{column['mean']:.4g}, std {column['std']:.4g})")
        else:
            shown = ", ".join(column["categories"][:6])
            more = len(column["categories"]) - 6
            lines.append(f"  {column['name']}: categorical, one-hot over "
                         f"{len(column['categories'])} values ({shown}"
                         f"{f', … {more} more' if more > 0 else ''})")
    return lines
