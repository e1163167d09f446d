"""batch, padded_batch and unbatch.

``batch`` over a plan (rows of in-memory arrays in some index order) gathers each
batch with one slice or ``take`` per array; over any other input it stacks the
elements, checking that their shapes agree.
"""

import itertools

import numpy as np

from . import nest
from .base import Unary, check_count
from .rows import chunk_runs
from .spec import UNKNOWN_CARDINALITY, TensorSpec


def _groups(elements, size, drop_remainder):
    elements = iter(elements)
    while True:
        group = list(itertools.islice(elements, size))
        if not group or (drop_remainder and len(group) < size):
            return
        yield group


def _columns(group, where):
    """The flat components of ``group``'s elements, column by column, shapes checked."""
    columns = list(zip(*(nest.flatten(e) for e in group), strict=True))
    for c, column in enumerate(columns):
        first = column[0]
        for i, array in enumerate(column):
            if array.shape != first.shape and where == "Dataset.batch":
                raise ValueError(
                    f"{where}: cannot batch tensors with different shapes in component {c}: "
                    f"the first element has shape {first.shape} and element {i} has shape "
                    f"{array.shape}. Use padded_batch() to pad them to one shape, or map "
                    f"them to one shape first.")
            if array.ndim != first.ndim:
                raise ValueError(f"{where}: component {c} has rank {first.ndim} in the first "
                                 f"element but rank {array.ndim} in element {i}.")
    return columns


class _Batching(Unary):
    def __init__(self, upstream, batch_size, drop_remainder, where):
        super().__init__(upstream)
        self._size = check_count(batch_size, "batch_size", where, minimum=1)
        self._drop = bool(drop_remainder)

    def _batch_dim(self):
        return self._size if self._drop else None

    def _cardinality(self):
        n = self._upstream._cardinality()
        if n < 0:
            return n
        return n // self._size if self._drop else -(-n // self._size)

    def _first(self):
        element = self._upstream._first()
        return None if element is None else nest.map_structure(lambda a: a[None], element)


class Batch(_Batching):
    """Consecutive elements stacked: see ``Dataset.batch``."""

    def __init__(self, upstream, batch_size, drop_remainder):
        super().__init__(upstream, batch_size, drop_remainder, "Dataset.batch")

    def _compute_spec(self):
        dim = self._batch_dim()
        return nest.map_structure(
            lambda s: TensorSpec(None if s.shape is None else (dim,) + s.shape, s.dtype),
            self._upstream.element_spec)

    def _iter(self):
        plan = self._upstream._plan()
        if plan is not None:
            rows, runs = plan
            return map(rows.gather, chunk_runs(runs, self._size, self._drop))
        return self._stacked()

    def _stacked(self):
        for group in _groups(self._upstream._iter(), self._size, self._drop):
            columns = _columns(group, "Dataset.batch")
            yield nest.pack(group[0], [np.stack(column) for column in columns])


def _pad_value(value, array):
    if value is None:
        return "" if array.dtype.kind in "US" else 0
    return value._data if hasattr(value, "_data") else value


class PaddedBatch(_Batching):
    """Batches padded to the longest element: see ``Dataset.padded_batch``."""

    def __init__(self, upstream, batch_size, padded_shapes, padding_values, drop_remainder):
        super().__init__(upstream, batch_size, drop_remainder, "Dataset.padded_batch")
        spec = upstream.element_spec
        count = len(nest.flatten(spec))
        self._shapes = [None] * count if padded_shapes is None else [
            None if s is None else tuple(None if d in (None, -1) else int(d) for d in s)
            for s in nest.flatten_up_to(spec, padded_shapes)]
        if padding_values is None or not isinstance(padding_values, (tuple, dict)):
            self._values = [padding_values] * count
        else:
            self._values = nest.flatten_up_to(spec, padding_values)

    def _compute_spec(self):
        specs = nest.flatten(self._upstream.element_spec)
        out = []
        for spec, shape in zip(specs, self._shapes, strict=True):
            dims = spec.shape if shape is None else shape  # None: the batch's longest
            out.append(TensorSpec(None if dims is None else (self._batch_dim(),) + dims,
                                  spec.dtype))
        return nest.pack(self._upstream.element_spec, out)

    def _iter(self):
        for group in _groups(self._upstream._iter(), self._size, self._drop):
            columns = _columns(group, "Dataset.padded_batch")
            leaves = [self._pad(c, column) for c, column in enumerate(columns)]
            yield nest.pack(group[0], leaves)

    def _pad(self, c, column):
        longest = tuple(max(dims) for dims in zip(*(a.shape for a in column), strict=True))
        wanted = self._shapes[c]
        target = longest if wanted is None else tuple(
            m if w is None else w for m, w in zip(longest, wanted, strict=True))
        if any(m > t for m, t in zip(longest, target, strict=True)):
            raise ValueError(f"Dataset.padded_batch: component {c} has an element of shape "
                             f"{longest}, larger than its padded shape {target}. Raise "
                             f"padded_shapes or truncate the elements first.")
        out = np.full((len(column),) + target, _pad_value(self._values[c], column[0]),
                      dtype=column[0].dtype)
        for i, array in enumerate(column):
            out[(i,) + tuple(slice(0, d) for d in array.shape)] = array
        return out


class Unbatch(Unary):
    """Each element split along its first axis: see ``Dataset.unbatch``."""

    def _compute_spec(self):
        return nest.map_structure(
            lambda s: TensorSpec(None if s.shape is None else s.shape[1:], s.dtype),
            self._upstream.element_spec)

    def _cardinality(self):
        return UNKNOWN_CARDINALITY if self._upstream._cardinality() != -1 else -1

    def _first(self):
        element = self._upstream._first()
        return None if element is None else nest.map_structure(lambda a: a[0], element)

    def _iter(self):
        for element in self._upstream._iter():
            leaves = nest.flatten(element)
            sizes = {len(a) for a in leaves}
            if len(sizes) != 1:
                raise ValueError(f"Dataset.unbatch: the components of an element have "
                                 f"different first dimensions {sorted(sizes)}; they must agree.")
            for i in range(sizes.pop()):
                yield nest.pack(element, [a[i, ...] for a in leaves])
