"""Where elements come from: array slices, one tensor, a generator, a range, other
datasets side by side (zip) or one after another (concatenate)."""

import itertools

import numpy as np

from ...autodiff import Tensor, as_array
from . import nest
from .base import Dataset, check_count
from .rows import Rows
from .spec import INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, TensorSpec


def leaf_array(value, where):
    """A component as an array: Tensors unwrapped, NumPy arrays (memmaps too) as they
    are, other values with TensorFlow's rules (Python floats float32, ints int32)."""
    if isinstance(value, Tensor):
        value = value._data  # a scalar result may be a NumPy scalar
    if isinstance(value, np.generic):
        value = np.asarray(value)
    array = value if isinstance(value, np.ndarray) else np.asarray(value)
    if array.dtype.kind == "O":
        if array.size and all(isinstance(v, str) for v in array.flat):
            return array.astype(str)  # e.g. a pandas column of strings
        raise TypeError(f"{where}: cannot convert {str(value)[:60]!r} to an array: it holds "
                        f"Python objects or rows of different lengths. Pad sequences to one "
                        f"length first (myelin.utils.pad_sequences) or use from_generator.")
    if isinstance(value, np.ndarray) or array.dtype.kind in "US":
        return array  # NumPy arrays (memmaps too) keep their dtype and are not copied
    return as_array(value, where=where)


def _combined_cardinality(counts):
    """The cardinality of several datasets consumed together (zip): the shortest."""
    if UNKNOWN_CARDINALITY in counts:
        return UNKNOWN_CARDINALITY
    finite = [c for c in counts if c >= 0]
    return min(finite) if finite else INFINITE_CARDINALITY


class TensorSlices(Dataset):
    """The rows of arrays: see ``Dataset.from_tensor_slices``."""

    def __init__(self, tensors):
        where = "Dataset.from_tensor_slices"
        if isinstance(tensors, Dataset):
            raise TypeError(f"{where}: received a Dataset; pass arrays (use the dataset "
                            f"itself, or zip datasets with Dataset.zip).")
        structure = nest.map_structure(lambda v: leaf_array(v, where), tensors)
        arrays = nest.flatten(structure)
        if any(a.ndim == 0 for a in arrays):
            raise ValueError(f"{where}: every component needs a first axis to slice; "
                             f"received a scalar. Use Dataset.from_tensors for one element.")
        sizes = [len(a) for a in arrays]
        if len(set(sizes)) > 1:
            listed = ", ".join(f"component {i} has {n}" for i, n in enumerate(sizes))
            raise ValueError(f"{where}: all components must have the same size in their "
                             f"first dimension, but {listed}. Check that x and y hold the "
                             f"same number of samples.")
        self._rows = Rows(structure, arrays)

    def _compute_spec(self):
        return nest.map_structure(
            lambda a: TensorSpec(a.shape[1:], a.dtype), self._rows.structure)

    def _cardinality(self):
        return self._rows.count

    def _plan(self):
        return self._rows, iter([range(self._rows.count)])

    def _iter(self):
        return self._rows.elements([range(self._rows.count)])


class FromTensors(Dataset):
    """One element: see ``Dataset.from_tensors``."""

    def __init__(self, tensors):
        self._element = nest.map_structure(
            lambda v: leaf_array(v, "Dataset.from_tensors"), tensors)

    def _compute_spec(self):
        return nest.map_structure(TensorSpec.from_array, self._element)

    def _cardinality(self):
        return 1

    def _iter(self):
        return iter([self._element])


def _signature(output_types, output_shapes, output_signature, where):
    if output_signature is not None:
        if output_types is not None or output_shapes is not None:
            raise TypeError(f"{where}: pass either output_signature or output_types (with "
                            f"output_shapes), not both.")
        leaves = nest.flatten(output_signature)
        if not all(isinstance(s, TensorSpec) for s in leaves):
            raise TypeError(f"{where}: output_signature must be a TensorSpec or a tuple/dict "
                            f"of TensorSpecs, e.g. (TensorSpec((28, 28), 'float32'), "
                            f"TensorSpec((), 'int64')); received {output_signature!r}.")
        return output_signature
    if output_types is None:
        raise TypeError(f"{where}: output_signature is required, e.g. output_signature="
                        f"(myelin.TensorSpec(shape=(None,), dtype='float32'), "
                        f"myelin.TensorSpec(shape=(), dtype='int64')).")
    if output_shapes is None:
        return nest.map_structure(lambda t: TensorSpec(None, t), output_types)
    shapes = nest.flatten_up_to(output_types, output_shapes)
    return nest.pack(output_types, [TensorSpec(shape, dtype) for shape, dtype in zip(
        shapes, nest.flatten(output_types), strict=True)])


def _conform(value, spec, index, where):
    """One yielded component converted to ``spec``'s dtype and checked for shape."""
    array = value._data if isinstance(value, Tensor) else np.asarray(value)
    if spec.is_text():
        if array.dtype.kind not in "US":
            raise TypeError(f"{where}: the generator's element {index} holds {array.dtype} "
                            f"where the signature expects strings.")
    elif array.dtype.kind not in "biuf" or (array.dtype.kind == "f"
                                             and spec.dtype.kind in "biu"):
        raise TypeError(f"{where}: the generator's element {index} has dtype {array.dtype} "
                        f"which cannot be converted to the expected {spec.dtype.name} "
                        f"without losing values. Fix the generator or the signature.")
    elif array.dtype != spec.dtype:
        array = array.astype(spec.dtype)
    if not spec.shape_compatible(array.shape):
        raise ValueError(f"{where}: the generator yielded element {index} of shape "
                         f"{array.shape} where an element of shape {spec.shape} was "
                         f"expected (None matches any size).")
    return array


class FromGenerator(Dataset):
    """Elements yielded by a generator function: see ``Dataset.from_generator``."""

    def __init__(self, generator, output_types, output_shapes, args, output_signature):
        where = "Dataset.from_generator"
        if not callable(generator):
            raise TypeError(f"{where}: generator must be a callable that returns an "
                            f"iterator (e.g. a generator function, not a generator object "
                            f"it returned), received {type(generator).__name__}.")
        self._generator = generator
        self._args = tuple(args or ())
        self._signature = _signature(output_types, output_shapes, output_signature, where)

    def _compute_spec(self):
        return self._signature

    def _iter(self):
        return self._elements()

    def _elements(self):
        where, signature = "Dataset.from_generator", self._signature
        specs = nest.flatten(signature)
        for index, value in enumerate(self._generator(*self._args)):
            if isinstance(value, list) and isinstance(signature, tuple):
                value = tuple(value)
            if not nest.same_structure(value, signature):
                raise TypeError(f"{where}: the generator's element {index} has the structure "
                                f"{nest.describe(value)} but the signature is "
                                f"{nest.describe(signature)}.")
            arrays = [_conform(v, s, index, where) for v, s in zip(
                nest.flatten(value), specs, strict=True)]
            yield nest.pack(signature, arrays)


_RANGE_ROWS = 2**24  # a Range up to this long is batched as one in-memory array


class Range(Dataset):
    """Integers: see ``Dataset.range``."""

    def __init__(self, *args, dtype="int64"):
        if not 1 <= len(args) <= 3:
            raise TypeError(f"Dataset.range: expected 1 to 3 arguments (start, stop, step), "
                            f"received {len(args)}.")
        values = [check_count(a, "each argument", "Dataset.range", minimum=-2**62)
                  for a in args]
        if len(values) == 3 and values[2] == 0:
            raise ValueError("Dataset.range: step must not be zero.")
        self._range = range(*values)
        self._dtype = np.dtype(dtype)

    def _compute_spec(self):
        return TensorSpec((), self._dtype)

    def _cardinality(self):
        return len(self._range)

    def _plan(self):
        if len(self._range) > _RANGE_ROWS:  # too many to hold as an array: element-wise
            return None
        rows = Rows(0, [np.arange(self._range.start, self._range.stop, self._range.step,
                                  dtype=self._dtype)])
        return rows, iter([range(rows.count)])

    def _iter(self):
        return (np.asarray(i, dtype=self._dtype) for i in self._range)


class Zip(Dataset):
    """Elements of several datasets side by side: see ``Dataset.zip``."""

    def __init__(self, structure):
        datasets = nest.flatten(structure)
        if not datasets or not all(isinstance(d, Dataset) for d in datasets):
            raise TypeError(f"Dataset.zip: expected datasets (or a tuple/dict of them), "
                            f"received {structure!r:.100}.")
        self._structure = structure
        self._datasets = datasets

    def _compute_spec(self):
        return nest.pack(self._structure, [d.element_spec for d in self._datasets])

    def _cardinality(self):
        return _combined_cardinality([d._cardinality() for d in self._datasets])

    def _iter(self):
        iterators = [d._iter() for d in self._datasets]
        return (nest.pack(self._structure, list(parts)) for parts in zip(*iterators, strict=False))


class Concatenate(Dataset):
    """Two datasets one after the other: see ``Dataset.concatenate``."""

    def __init__(self, first, second):
        if not isinstance(second, Dataset):
            raise TypeError(f"Dataset.concatenate: expected a Dataset, received "
                            f"{type(second).__name__}.")
        a, b = first.element_spec, second.element_spec
        compatible = nest.same_structure(a, b) and all(
            x.is_compatible_with(TensorSpec(None, y.dtype))
            for x, y in zip(nest.flatten(a), nest.flatten(b), strict=True))
        if not compatible:
            raise TypeError(f"Dataset.concatenate: the datasets' elements differ in structure "
                            f"or dtype: {a} and {b}.")
        self._parts = (first, second)

    def _compute_spec(self):
        a, b = (d.element_spec for d in self._parts)
        return nest.pack(a, [x.merged(y) for x, y in zip(
            nest.flatten(a), nest.flatten(b), strict=True)])

    def _cardinality(self):
        counts = [d._cardinality() for d in self._parts]
        if INFINITE_CARDINALITY in counts:
            return INFINITE_CARDINALITY
        return UNKNOWN_CARDINALITY if UNKNOWN_CARDINALITY in counts else sum(counts)

    def _iter(self):
        return itertools.chain.from_iterable(d._iter() for d in self._parts)
