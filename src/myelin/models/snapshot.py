"""Snapshot: a copy of arrays that a failed ``fit`` restores, kept off the heap when large.

A failed fit must leave weights and optimizer state exactly as they were, so fit copies
them first. For a large model that copy would double its memory for the whole of
training; above ``SPILL_BYTES`` it goes to an anonymous temporary file instead (written
once, read back only if fit fails), which costs no resident memory.
"""

import tempfile

import numpy as np

SPILL_BYTES = 16 * 2**20


class Snapshot:
    """Copies of ``arrays`` as they are now; ``arrays()`` gives them back."""

    def __init__(self, arrays):
        self._count = len(arrays)
        self._copies = self._file = None
        if sum(a.nbytes for a in arrays) < SPILL_BYTES:
            self._copies = [a.copy() for a in arrays]
            return
        self._file = tempfile.TemporaryFile(prefix="myelin-fit-")
        for array in arrays:
            np.save(self._file, array, allow_pickle=False)

    def arrays(self):
        if self._file is None:
            return self._copies
        self._file.seek(0)
        return [np.load(self._file, allow_pickle=False) for _ in range(self._count)]
