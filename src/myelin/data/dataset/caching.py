"""cache(): keep a pipeline's elements after one complete pass, in memory or in a file.

In memory, elements of one shape per component are stacked into rows after the pass,
so later passes are slice datasets again (shuffle and batch gather vectorised). On
disk, elements are written in chunks of same-shaped elements as ``.npy`` records
(no pickles) to a temporary file that becomes ``<filename>.myelin-cache`` only when
the pass completes, so an interrupted pass never leaves a truncated cache behind.
"""

import os

import numpy as np

from . import nest
from .base import Unary
from .rows import Rows

SUFFIX = ".myelin-cache"
CHUNK = 256  # elements per record group on disk: few np.save calls, small buffers


def _stacked(elements):
    """The elements as Rows when every component has one shape and dtype, else None."""
    if not elements:
        return None
    columns = list(zip(*(nest.flatten(e) for e in elements), strict=True))
    for column in columns:
        first = column[0]
        if any(a.shape != first.shape or a.dtype != first.dtype for a in column):
            return None
    return Rows(elements[0], [np.stack(column) for column in columns])


class Cache(Unary):
    """Elements kept after the first pass: see ``Dataset.cache``."""

    def __init__(self, upstream, filename):
        super().__init__(upstream)
        self._path = os.fspath(filename) + SUFFIX if filename else None
        self._memory = None  # after a complete pass: Rows, or the list of elements

    def _first(self):
        return self._upstream._first()

    def _plan(self):
        if isinstance(self._memory, Rows):
            return self._memory, iter([range(self._memory.count)])
        return None

    def _iter(self):
        if self._path is not None:
            if os.path.exists(self._path):
                return self._read()
            return self._write()
        if isinstance(self._memory, Rows):
            return self._memory.elements([range(self._memory.count)])
        if self._memory is not None:
            return iter(self._memory)
        return self._fill()

    def _fill(self):
        collected = []
        for element in self._upstream._iter():
            collected.append(element)
            yield element
        # Reached only when the pass completed: a partial pass is not kept.
        self._memory = _stacked(collected) or collected

    def _write(self):
        temporary = f"{self._path}.tmp-{os.getpid()}-{id(self)}"
        done = False
        try:
            with open(temporary, "wb") as file:
                chunk = []
                for element in self._upstream._iter():
                    flat = nest.flatten(element)
                    if chunk and (len(chunk) == CHUNK or any(
                            a.shape != b.shape or a.dtype != b.dtype
                            for a, b in zip(flat, chunk[0], strict=True))):
                        _save_chunk(file, chunk)
                        chunk = []
                    chunk.append(flat)
                    yield element
                if chunk:
                    _save_chunk(file, chunk)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self._path)
            done = True
        finally:
            if not done and os.path.exists(temporary):
                os.remove(temporary)

    def _read(self):
        structure = self.element_spec
        with open(self._path, "rb") as file:
            while True:
                try:
                    count = int(np.load(file, allow_pickle=False)[0])
                except EOFError:
                    return
                leaves = [np.load(file, allow_pickle=False) for _ in nest.flatten(structure)]
                for i in range(count):
                    yield nest.pack(structure, [a[i, ...] for a in leaves])


def _save_chunk(file, chunk):
    np.save(file, np.asarray([len(chunk)], dtype=np.int64), allow_pickle=False)
    for column in zip(*chunk, strict=True):
        np.save(file, np.stack(column), allow_pickle=False)
