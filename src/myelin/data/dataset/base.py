"""Dataset: the tf.data pipeline API (sources, transformations, iteration).

A Dataset is a chain of nodes. Each node yields *elements*: nested tuples/dicts of
NumPy arrays (``_iter``). Nodes over in-memory rows can also give a *plan*: the
source arrays plus the order of their rows as index runs (``_plan``), which lets
``batch`` gather a whole batch with one ``take`` per array instead of stacking
elements one by one. Iterating a Dataset yields myelin Tensors (string components
stay NumPy arrays: myelin tensors are numeric); ``as_numpy_iterator`` yields NumPy.

Example:
    >>> ds = Dataset.from_tensor_slices((x, y)).shuffle(1024).batch(64)
    >>> for xb, yb in ds: ...
"""

import numbers

import numpy as np

from ...autodiff import Tensor
from . import nest
from .spec import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY


def to_tensor(array):
    """An element's leaf as the user sees it: a Tensor, or the array for strings."""
    return array if array.dtype.kind in "USO" else Tensor(array)


def check_count(value, name, where, minimum=-1):
    """An integer argument such as ``count`` (``-1`` often means "all")."""
    if isinstance(value, Tensor):
        value = value._data.item()
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(f"{where}: {name} must be an integer >= {minimum}, received {value!r}.")
    return int(value)


class Dataset:
    """A sequence of elements with the ``tf.data.Dataset`` API.

    Build one with a static constructor (``from_tensor_slices``, ``from_tensors``,
    ``from_generator``, ``range``, ``zip``) and chain transformations; pass it to
    ``model.fit`` / ``evaluate`` / ``predict``, or iterate it.

    Example:
        >>> ds = Dataset.range(5).map(lambda i: i * 2).batch(2)
        >>> [b.tolist() for b in ds.as_numpy_iterator()]
        [[0, 2], [4, 6], [8]]
    """

    _spec_cache = None

    # --- what every node provides ------------------------------------------------------

    def _compute_spec(self):
        raise NotImplementedError

    def _iter(self):
        """An iterator over elements as nested NumPy arrays."""
        raise NotImplementedError

    def _plan(self):
        """``(rows, runs)`` when elements are rows of in-memory arrays, else None."""
        return None

    def _cardinality(self):
        return UNKNOWN_CARDINALITY

    def _first(self):
        """One element (for shapes), read as cheaply as the node allows; None if empty."""
        return next(iter(self._iter()), None)

    # --- inspection ----------------------------------------------------------------------

    @property
    def element_spec(self):
        """The structure of one element as ``TensorSpec``s (computed once).

        For ``map`` it is read from the function's output on the first element.
        """
        if self._spec_cache is None:
            self._spec_cache = self._compute_spec()
        return self._spec_cache

    def cardinality(self):
        """The number of elements as an int64 scalar Tensor, or
        ``INFINITE_CARDINALITY`` (-1) / ``UNKNOWN_CARDINALITY`` (-2)."""
        return Tensor(np.asarray(self._cardinality(), dtype=np.int64))

    def __len__(self):
        count = self._cardinality()
        if count == INFINITE_CARDINALITY:
            raise TypeError("The dataset is infinite.")
        if count == UNKNOWN_CARDINALITY:
            raise TypeError("The dataset length is unknown.")
        return count

    def __bool__(self):  # a Dataset is truthy even when len() cannot be known
        return True

    def __iter__(self):
        for element in self._iter():
            yield nest.map_structure(to_tensor, element)

    def as_numpy_iterator(self):
        """An iterator over the elements as NumPy arrays (nested as the elements).

        Example:
            >>> [int(v) for v in Dataset.from_tensor_slices([1, 2]).as_numpy_iterator()]
            [1, 2]
        """
        # Scalars come out as NumPy scalars, as tf.data gives them.
        return (nest.map_structure(lambda a: a[()] if a.ndim == 0 else a, element)
                for element in self._iter())

    def __repr__(self):
        return f"<{type(self).__name__} element_spec={self.element_spec}>"

    # --- sources -------------------------------------------------------------------------

    @staticmethod
    def from_tensor_slices(tensors, name=None):
        """A dataset of the slices of ``tensors`` along their first axis.

        Args:
            tensors: an array, or a tuple / dict (nested) of arrays with the same first
                dimension. NumPy arrays are used without copying, so memory-mapped
                arrays (``np.load(path, mmap_mode="r")``) stay on disk.
            name: accepted for TensorFlow compatibility.

        Returns:
            A Dataset with one element per row.

        Example:
            >>> ds = Dataset.from_tensor_slices((x_train, y_train))
        """
        from .sources import TensorSlices
        return TensorSlices(tensors)

    @staticmethod
    def from_tensors(tensors, name=None):
        """A dataset with ``tensors`` as its single element.

        Example:
            >>> len(Dataset.from_tensors(np.zeros((3, 2))))
            1
        """
        from .sources import FromTensors
        return FromTensors(tensors)

    @staticmethod
    def from_generator(generator, output_types=None, output_shapes=None, args=None,
                       output_signature=None, name=None):
        """A dataset of the elements ``generator()`` yields, checked against a signature.

        Args:
            generator: a callable returning an iterator; called again for every pass.
            output_types, output_shapes: the older spelling of ``output_signature``.
            args: arguments passed to ``generator``.
            output_signature: a (nested) ``TensorSpec`` structure of one element.

        Example:
            >>> def gen():
            ...     for i in range(3):
            ...         yield np.full((2,), i, np.float32), i
            >>> ds = Dataset.from_generator(gen, output_signature=(
            ...     TensorSpec((2,), "float32"), TensorSpec((), "int32")))
        """
        from .sources import FromGenerator
        return FromGenerator(generator, output_types, output_shapes, args, output_signature)

    @staticmethod
    def range(*args, dtype="int64", name=None):
        """Integers like Python's ``range(start, stop, step)``, as int64 scalars.

        Example:
            >>> [int(i) for i in Dataset.range(1, 6, 2)]
            [1, 3, 5]
        """
        from .sources import Range
        return Range(*args, dtype=dtype)

    @staticmethod
    def zip(*datasets, name=None):
        """Elements of several datasets side by side: ``zip(a, b)`` yields ``(ea, eb)``.

        Args:
            *datasets: datasets, or one tuple / dict (nested) of datasets.

        Example:
            >>> ds = Dataset.zip(Dataset.range(3), Dataset.range(3, 6))
        """
        from .sources import Zip
        structure = datasets[0] if len(datasets) == 1 and not isinstance(
            datasets[0], Dataset) else datasets
        return Zip(structure)

    # --- transformations -----------------------------------------------------------------

    def concatenate(self, dataset, name=None):
        """This dataset's elements followed by those of ``dataset`` (same structure).

        Example:
            >>> len(Dataset.range(2).concatenate(Dataset.range(3)))
            5
        """
        from .sources import Concatenate
        return Concatenate(self, dataset)

    def shuffle(self, buffer_size, seed=None, reshuffle_each_iteration=True, name=None):
        """Randomly reorder elements through a buffer, as tf.data does.

        The first ``buffer_size`` elements fill a buffer; each output is drawn
        uniformly from the buffer and its slot refilled with the next element. A
        buffer at least as large as the dataset gives a uniform permutation.

        Args:
            buffer_size: number of elements in the buffer (> 0).
            seed: an int for a reproducible order (default: drawn from myelin's seeded
                generator when the dataset is created).
            reshuffle_each_iteration: a new order on every pass (else the same).

        Example:
            >>> ds = Dataset.from_tensor_slices(x).shuffle(1024, seed=0)
        """
        from .transforms import Shuffle
        return Shuffle(self, buffer_size, seed, reshuffle_each_iteration)

    def batch(self, batch_size, drop_remainder=False, num_parallel_calls=None,
              deterministic=None, name=None):
        """Consecutive elements stacked into batches (a new first axis).

        Args:
            batch_size: elements per batch.
            drop_remainder: drop a last, smaller batch (the batch axis is then known).

        Example:
            >>> [b.shape for b in Dataset.range(5).batch(2).as_numpy_iterator()]
            [(2,), (2,), (1,)]
        """
        from .batching import Batch
        return Batch(self, batch_size, drop_remainder)

    def padded_batch(self, batch_size, padded_shapes=None, padding_values=None,
                     drop_remainder=False, name=None):
        """Batches of elements of varying shapes, each padded to the longest.

        Args:
            batch_size: elements per batch.
            padded_shapes: per component, the shape to pad to (None / -1 entries:
                the longest in the batch). Default: the longest in each dimension.
            padding_values: per component, the fill value (default 0, or ``""``).
            drop_remainder: drop a last, smaller batch.

        Example:
            >>> ds = Dataset.from_generator(lambda: ([1] * n for n in (1, 3)),
            ...     output_signature=TensorSpec((None,), "int32")).padded_batch(2)
        """
        from .batching import PaddedBatch
        return PaddedBatch(self, batch_size, padded_shapes, padding_values, drop_remainder)

    def unbatch(self, name=None):
        """Split each element along its first axis into several elements.

        Example:
            >>> [int(v) for v in Dataset.range(4).batch(3).unbatch().as_numpy_iterator()]
            [0, 1, 2, 3]
        """
        from .batching import Unbatch
        return Unbatch(self)

    def map(self, map_func, num_parallel_calls=None, deterministic=None, name=None):
        """Apply ``map_func`` to every element (tuples are passed as separate arguments).

        Args:
            map_func: receives the element's components as Tensors and returns the new
                element (Tensors, arrays or numbers, nested as tuples/dicts).
            num_parallel_calls: elements processed at once by a thread pool
                (``AUTOTUNE``: one per core); the order is kept.

        Example:
            >>> ds = ds.map(lambda x, y: (x / 255, y))
        """
        from .transforms import Map
        return Map(self, map_func, num_parallel_calls)

    def filter(self, predicate, name=None):
        """Keep the elements for which ``predicate`` returns True.

        Args:
            predicate: receives the element (tuples as separate arguments) and returns
                a scalar boolean Tensor or bool.

        Example:
            >>> [int(v) for v in Dataset.range(6).filter(lambda v: v > 3).as_numpy_iterator()]
            [4, 5]
        """
        from .transforms import Filter
        return Filter(self, predicate)

    def take(self, count, name=None):
        """At most the first ``count`` elements (``-1``: all).

        Example:
            >>> len(Dataset.range(10).take(3))
            3
        """
        from .transforms import Take
        return Take(self, count)

    def skip(self, count, name=None):
        """All but the first ``count`` elements (``-1``: skip everything).

        Example:
            >>> len(Dataset.range(10).skip(3))
            7
        """
        from .transforms import Skip
        return Skip(self, count)

    def repeat(self, count=None, name=None):
        """The elements ``count`` times over (None or -1: forever); each pass is a new
        iteration, so shuffles reshuffle.

        Example:
            >>> len(Dataset.range(3).repeat(2))
            6
        """
        from .transforms import Repeat
        return Repeat(self, count)

    def enumerate(self, start=0, name=None):
        """Pairs ``(index, element)``, the index an int64 scalar counting from ``start``.

        Example:
            >>> [(int(i), int(v)) for i, v in Dataset.range(5, 7).enumerate().as_numpy_iterator()]
            [(0, 5), (1, 6)]
        """
        from .transforms import Enumerate
        return Enumerate(self, start)

    def cache(self, filename="", name=None):
        """Keep the elements after the first complete pass: in memory, or in ``filename``.

        Later passes read the cache instead of recomputing upstream work (file reads,
        ``map``). A pass stopped early discards what it cached. A cache file written by
        a complete pass is reused by later datasets with the same ``filename``.

        Example:
            >>> ds = ds.map(parse).cache("/tmp/parsed").shuffle(1000).batch(32)
        """
        from .caching import Cache
        return Cache(self, filename)

    def prefetch(self, buffer_size, name=None):
        """Produce up to ``buffer_size`` elements ahead in a background thread, so that
        loading overlaps with training (``AUTOTUNE``: a small buffer; 0: no thread).

        Example:
            >>> ds = ds.batch(64).prefetch(myelin.data.AUTOTUNE)
        """
        from .prefetch import Prefetch
        return Prefetch(self, buffer_size)

    def apply(self, transformation_func):
        """``transformation_func(self)``, for chaining reusable pipeline pieces.

        Example:
            >>> ds = Dataset.range(100).apply(lambda d: d.shuffle(10).batch(8))
        """
        result = transformation_func(self)
        if not isinstance(result, Dataset):
            raise TypeError(f"Dataset.apply: transformation_func must return a Dataset, "
                            f"it returned {type(result).__name__}.")
        return result


class Unary(Dataset):
    """A transformation of one input dataset, by default keeping its spec and size."""

    def __init__(self, upstream):
        self._upstream = upstream

    def _compute_spec(self):
        return self._upstream.element_spec

    def _cardinality(self):
        return self._upstream._cardinality()


__all__ = ["Dataset", "Unary"]
