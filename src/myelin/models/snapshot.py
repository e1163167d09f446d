"""Snapshot: a copy of arrays that a failed ``fit`` restores, kept off the heap when large.

A failed fit must leave weights and optimizer state exactly as they were, so fit copies
them first, and again at the end of every finite epoch. For a large model that copy
would double its memory for the whole of training; above ``SPILL_BYTES`` it goes to an
anonymous temporary file instead (written once per epoch, read back only if fit fails),
which costs no resident memory. A small model's copies are refreshed in place, so a
tiny model's epochs allocate nothing for the snapshot.
"""

import operator
import tempfile

import numpy as np

SPILL_BYTES = 16 * 2**20


class Snapshot:
    """Copies of ``arrays`` as they are now; ``arrays()`` gives them back."""

    def __init__(self, arrays):
        self._count = len(arrays)
        self._copies = self._file = None
        self._sources = arrays  # the arrays copied last: the same ones need no checks
        if sum(a.nbytes for a in arrays) < SPILL_BYTES:
            self._copies = [a.copy() for a in arrays]
            return
        self._file = tempfile.TemporaryFile(prefix="myelin-fit-")
        for array in arrays:
            np.save(self._file, array, allow_pickle=False)

    def update(self, arrays):
        """Hold copies of ``arrays`` instead; returns the snapshot to keep (``self``
        refreshed in place when the arrays still match the copies' shapes and dtypes,
        else a new one)."""
        copies = self._copies
        if copies is None or len(arrays) != len(copies):
            return Snapshot(arrays)
        if not all(map(operator.is_, arrays, self._sources)) and any(
                a.shape != c.shape or a.dtype != c.dtype
                for a, c in zip(arrays, copies, strict=True)):
            return Snapshot(arrays)
        self._sources = arrays
        for copy, array in zip(copies, arrays, strict=True):
            np.copyto(copy, array)
        return self

    def arrays(self):
        if self._file is None:
            return self._copies
        self._file.seek(0)
        return [np.load(self._file, allow_pickle=False) for _ in range(self._count)]
