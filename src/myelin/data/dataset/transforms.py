"""Element-wise transformations: map, filter, take, skip, repeat, enumerate, shuffle.

take / skip / repeat / shuffle keep a plan (rows plus an index order) when their input
has one, so a shuffled, repeated slice dataset is still batched with one gather.
"""

import itertools
import os

import numpy as np

from ... import backend
from ...autodiff import Tensor
from . import nest
from .base import Unary, check_count, to_tensor
from .prefetch import parallel_map
from .sources import leaf_array
from .spec import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, TensorSpec


def call_with_element(fn, element):
    """``fn(*element)`` for a tuple element (as tf.data does), else ``fn(element)``."""
    args = nest.map_structure(to_tensor, element)
    if isinstance(args, tuple) and not hasattr(type(args), "_fields"):
        return fn(*args)
    return fn(args)


class Map(Unary):
    """``map_func`` applied to every element: see ``Dataset.map``."""

    def __init__(self, upstream, fn, num_parallel_calls):
        if not callable(fn):
            raise TypeError(f"Dataset.map: map_func must be callable, received "
                            f"{type(fn).__name__}.")
        super().__init__(upstream)
        self._fn = fn
        calls = 1 if num_parallel_calls is None else check_count(
            num_parallel_calls, "num_parallel_calls", "Dataset.map", minimum=AUTOTUNE)
        self._workers = (os.cpu_count() or 1) if calls == AUTOTUNE else max(calls, 1)

    def _apply(self, element):
        out = call_with_element(self._fn, element)
        if isinstance(out, list):  # tf.data turns a returned list into a tuple too
            out = tuple(out)
        return nest.map_structure(lambda v: leaf_array(v, "Dataset.map"), out)

    def _compute_spec(self):
        element = self._upstream._first()
        if element is None:
            raise ValueError("Dataset.map: cannot read the element_spec of a map over an "
                             "empty dataset (it comes from the function's first output).")
        out = self._apply(element)
        batch_axes = {s.shape[0] for s in nest.flatten(self._upstream.element_spec)
                      if s.shape and s.shape[0] is None}
        lengths = {len(a) for a in nest.flatten(element) if a.ndim}
        # A map over batches keeps the unknown batch axis where the output has it.
        return nest.map_structure(lambda a: TensorSpec.from_array(
            a, batch_none=bool(batch_axes) and a.ndim > 0 and len(a) in lengths), out)

    def _first(self):
        element = self._upstream._first()
        return None if element is None else self._apply(element)

    def _iter(self):
        elements = self._upstream._iter()
        if self._workers == 1:
            return map(self._apply, elements)
        return parallel_map(self._apply, elements, self._workers)


def _truth(value):
    array = value._data if isinstance(value, Tensor) else np.asarray(value)
    if array.shape != () or array.dtype.kind != "b":
        raise TypeError(f"Dataset.filter: predicate must return a scalar boolean, returned "
                        f"{array.dtype} of shape {array.shape}.")
    return bool(array)


class Filter(Unary):
    """Elements for which ``predicate`` is True: see ``Dataset.filter``."""

    def __init__(self, upstream, predicate):
        if not callable(predicate):
            raise TypeError(f"Dataset.filter: predicate must be callable, received "
                            f"{type(predicate).__name__}.")
        super().__init__(upstream)
        self._predicate = predicate

    def _cardinality(self):
        count = self._upstream._cardinality()
        return INFINITE_CARDINALITY if count == INFINITE_CARDINALITY else UNKNOWN_CARDINALITY

    def _iter(self):
        return (e for e in self._upstream._iter()
                if _truth(call_with_element(self._predicate, e)))


def _truncate(runs, count):
    left = count
    for run in runs:
        if left <= 0:
            return
        part = run[:left]
        left -= len(part)
        yield part


def _drop(runs, count):
    left = count
    for run in runs:
        if left >= len(run):
            left -= len(run)
            continue
        yield run[left:]
        left = 0


class Take(Unary):
    """The first ``count`` elements: see ``Dataset.take``."""

    def __init__(self, upstream, count):
        super().__init__(upstream)
        self._count = check_count(count, "count", "Dataset.take")

    def _cardinality(self):
        n = self._upstream._cardinality()
        if self._count == -1 or n == UNKNOWN_CARDINALITY:
            return n
        return self._count if n == INFINITE_CARDINALITY else min(n, self._count)

    def _plan(self):
        plan = self._upstream._plan()
        if plan is None or self._count == -1:
            return plan
        return plan[0], _truncate(plan[1], self._count)

    def _iter(self):
        elements = self._upstream._iter()
        return elements if self._count == -1 else itertools.islice(elements, self._count)


class Skip(Unary):
    """All but the first ``count`` elements: see ``Dataset.skip``."""

    def __init__(self, upstream, count):
        super().__init__(upstream)
        self._count = check_count(count, "count", "Dataset.skip")

    def _cardinality(self):
        n = self._upstream._cardinality()
        if self._count == -1:
            return 0
        return n if n < 0 else max(n - self._count, 0)

    def _plan(self):
        plan = self._upstream._plan()
        if plan is None:
            return None
        return plan[0], (iter(()) if self._count == -1 else _drop(plan[1], self._count))

    def _iter(self):
        if self._count == -1:
            return iter(())
        return itertools.islice(self._upstream._iter(), self._count, None)


class Repeat(Unary):
    """The elements several times over: see ``Dataset.repeat``."""

    def __init__(self, upstream, count):
        super().__init__(upstream)
        self._count = -1 if count is None else check_count(count, "count", "Dataset.repeat")

    def _passes(self):
        return itertools.count() if self._count == -1 else range(self._count)

    def _cardinality(self):
        n = self._upstream._cardinality()
        if self._count == -1:
            return 0 if n == 0 else INFINITE_CARDINALITY
        if self._count == 0:
            return 0
        return n if n < 0 else n * self._count

    def _plan(self):
        plan = self._upstream._plan()
        if plan is None:
            return None

        def runs():
            current = plan[1]
            for index in self._passes():
                if index:
                    current = self._upstream._plan()[1]
                empty = True
                for run in current:
                    empty = False
                    yield run
                if empty:  # an empty input repeated forever is still empty
                    return

        return plan[0], runs()

    def _iter(self):
        for _ in self._passes():
            empty = True
            for element in self._upstream._iter():
                empty = False
                yield element
            if empty:
                return


class Enumerate(Unary):
    """``(index, element)`` pairs: see ``Dataset.enumerate``."""

    def __init__(self, upstream, start):
        super().__init__(upstream)
        self._start = check_count(start, "start", "Dataset.enumerate", minimum=-2**62)

    def _compute_spec(self):
        return TensorSpec((), "int64"), self._upstream.element_spec

    def _iter(self):
        return ((np.asarray(i, dtype=np.int64), e)
                for i, e in enumerate(self._upstream._iter(), self._start))


def shuffled(items, buffer_size, rng):
    """tf.data's shuffle buffer: fill ``buffer_size`` items, then output a uniformly
    drawn one and put the next input in its slot; drain the rest in random order."""
    items = iter(items)
    buffer = list(itertools.islice(items, buffer_size))
    if len(buffer) == buffer_size:
        draws, used = [], 0
        for item in items:
            if used == len(draws):  # random numbers in blocks: one NumPy call per 4096
                draws, used = rng.random(4096).tolist(), 0
            slot = int(draws[used] * buffer_size)
            used += 1
            yield buffer[slot]
            buffer[slot] = item
    for slot in rng.permutation(len(buffer)):
        yield buffer[slot]


def _buffer_step(buffer, incoming, rng):
    """``shuffled``'s steady state over a whole array of indices at once.

    Step t outputs the content of a uniformly drawn slot and puts ``incoming[t]`` in
    it. That content is the input put there at the slot's previous draw, or the
    buffer's original entry: found for all steps by one stable sort by slot.
    """
    slots = rng.integers(0, len(buffer), len(incoming))
    order = np.argsort(slots, kind="stable")  # by slot, then by step
    grouped = slots[order]
    first = np.ones(len(order), dtype=bool)
    first[1:] = grouped[1:] != grouped[:-1]
    previous = np.empty(len(order), dtype=np.int64)
    previous[order[1:]] = order[:-1]
    previous[order[first]] = -1
    out = np.where(previous >= 0, incoming[previous], buffer[slots])
    last = np.append(first[1:], True)  # each slot keeps the input of its last draw
    buffer = buffer.copy()
    buffer[grouped[last]] = incoming[order[last]]
    return out, buffer


def _index_pieces(runs, size):
    for run in runs:
        for lo in range(0, len(run), size):
            piece = run[lo:lo + size]
            yield np.arange(piece.start, piece.stop) if isinstance(piece, range) else piece


def _shuffled_runs(runs, buffer_size, rng, chunk=65_536):
    """``shuffled`` over index runs, vectorised: the same buffer process, in chunks."""
    pending, have, buffer = [], 0, None
    for piece in _index_pieces(runs, chunk):
        if buffer is None:
            take = min(buffer_size - have, len(piece))
            pending.append(piece[:take])
            have, piece = have + take, piece[take:]
            if have < buffer_size:
                continue
            buffer = np.concatenate(pending)
        if len(piece):
            out, buffer = _buffer_step(buffer, piece, rng)
            yield out
    if buffer is None:  # everything fits in the buffer: one uniform permutation
        buffer = np.concatenate(pending) if pending else np.zeros(0, dtype=np.int64)
    yield buffer[rng.permutation(len(buffer))]


class Shuffle(Unary):
    """A buffered random order: see ``Dataset.shuffle``."""

    def __init__(self, upstream, buffer_size, seed, reshuffle_each_iteration):
        super().__init__(upstream)
        self._size = check_count(buffer_size, "buffer_size", "Dataset.shuffle", minimum=1)
        # Drawn now (on the caller's thread) from myelin's seeded generator, so that a
        # seeded program shuffles the same way even when a prefetch thread iterates.
        self._seed = int(backend.rng().integers(2**62)) if seed is None else check_count(
            seed, "seed", "Dataset.shuffle", minimum=0)
        self._reshuffle = bool(reshuffle_each_iteration)
        self._pass = itertools.count()

    def _rng(self):
        return np.random.default_rng([self._seed, next(self._pass) if self._reshuffle else 0])

    def _first(self):
        return self._upstream._first()

    def _plan(self):
        plan = self._upstream._plan()
        if plan is None:
            return None
        return plan[0], _shuffled_runs(plan[1], self._size, self._rng())

    def _iter(self):
        plan = self._plan()
        if plan is not None:
            return plan[0].elements(plan[1])
        return shuffled(self._upstream._iter(), self._size, self._rng())
