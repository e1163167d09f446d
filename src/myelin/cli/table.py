"""Reading a CSV file into typed columns: numbers, or categories (text).

A column is numeric when every non-empty cell parses as a number; a column where
almost every cell does (at least 90 %) is taken to hold a typo, and the first bad
cell is reported by row and column instead of silently becoming a category.
"""

import csv
import math
from pathlib import Path

from .errors import CliError

_MISSING = {"", "na", "nan", "null", "none", "?"}


class Table:
    """The columns of a CSV file: ``names`` and ``columns[name]`` (lists of strings)."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            with open(self.path, newline="", encoding="utf-8-sig") as f:
                rows = list(csv.reader(f))
        except FileNotFoundError:
            raise CliError(f"no such file: {self.path}") from None
        except (UnicodeDecodeError, csv.Error) as error:
            raise CliError(f"{self.path} is not a readable CSV file ({error})") from None
        if not rows or not any(cell.strip() for cell in rows[0]):
            raise CliError(f"{self.path} is empty: expected a header row and data rows")
        self.names = [name.strip() for name in rows[0]]
        body = [row for row in rows[1:] if any(cell.strip() for cell in row)]
        if not body:
            raise CliError(f"{self.path} has a header but no data rows")
        for i, row in enumerate(body, start=2):
            if len(row) != len(self.names):
                raise CliError(f"{self.path}, row {i}: {len(row)} cells, but the header has "
                               f"{len(self.names)} columns")
        self.columns = {name: [row[j].strip() for row in body]
                        for j, name in enumerate(self.names)}

    def __len__(self):
        return len(next(iter(self.columns.values())))

    def require(self, name):
        if name not in self.columns:
            raise CliError(f"{self.path} has no column {name!r}; its columns are: "
                           f"{', '.join(self.names)}")
        return self.columns[name]


def is_missing(cell):
    return cell.strip().lower() in _MISSING


def parse_number(cell):
    """The cell as a float, or None when it is not a number."""
    try:
        value = float(cell)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def column_kind(table, name):
    """``"numeric"`` or ``"categorical"``; raises for a mostly-numeric column with a typo."""
    cells = [c for c in table.columns[name] if not is_missing(c)]
    if not cells:
        raise CliError(f"{table.path}: column {name!r} has no values")
    bad = [(i, c) for i, c in enumerate(table.columns[name])
           if not is_missing(c) and parse_number(c) is None]
    if not bad:
        return "numeric"
    if len(bad) <= 0.1 * len(cells):
        row, cell = bad[0]
        raise CliError(f"{table.path}, row {row + 2}, column {name!r}: cannot read {cell!r} as "
                       f"a number (the column's other values are numbers); fix the cell or "
                       f"leave it empty for a missing value")
    return "categorical"
