"""Rows: in-memory (or memory-mapped) arrays whose rows are a dataset's elements.

A plan is ``(rows, runs)``: the arrays plus the order of their rows as an iterator of
index runs (``range`` for contiguous rows, int arrays otherwise). Batching a plan
takes one slice or one ``take`` per array per batch, however many rows it holds.
"""

import numpy as np

from . import nest


def as_index(run):
    """A run as something an array can be indexed with: a slice, or an int array."""
    if isinstance(run, range):
        return slice(run.start, run.stop)
    return run


def _plain(array):
    # A memmap's slice is still a memmap; hand out plain arrays (no copy: a view).
    return array if type(array) is np.ndarray else np.asarray(array)


class Rows:
    """Arrays (nested like ``structure``) sharing their first dimension.

    Args:
        structure: the element structure (leaves are placeholders).
        arrays: the flat list of arrays, in ``nest.flatten`` order.
    """

    __slots__ = ("structure", "arrays", "count")

    def __init__(self, structure, arrays):
        self.structure = structure
        self.arrays = arrays
        self.count = len(arrays[0])

    def row(self, i):
        """Element ``i`` (0-d arrays for scalars, never NumPy scalars)."""
        return nest.pack(self.structure, [_plain(a[i, ...]) for a in self.arrays])

    def gather(self, run):
        """The rows of ``run`` stacked: one slice or ``take`` per array."""
        index = as_index(run)
        if isinstance(index, slice):
            leaves = [_plain(a[index]) for a in self.arrays]
        else:
            leaves = [_plain(a.take(index, axis=0)) for a in self.arrays]
        return nest.pack(self.structure, leaves)

    def elements(self, runs):
        """Every row of every run, one element at a time."""
        for run in runs:
            for i in run:
                yield self.row(int(i))


def chunk_runs(runs, size, drop_remainder):
    """Regroup ``runs`` into runs of exactly ``size`` indices (the last may be shorter).

    Contiguous runs stay ranges (sliced, not copied); only batches that straddle two
    runs are concatenated.
    """
    pending, count = [], 0
    for run in runs:
        start, n = 0, len(run)
        while start < n:
            part = run[start:start + size - count]
            start += len(part)
            if not pending and len(part) == size:
                yield part
                continue
            pending.append(part)
            count += len(part)
            if count == size:
                yield np.concatenate([np.asarray(p, dtype=np.int64) for p in pending])
                pending, count = [], 0
    if pending and not drop_remainder:
        yield np.concatenate([np.asarray(p, dtype=np.int64) for p in pending])
