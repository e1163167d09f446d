"""Read ``.npz`` archives whose object arrays are pickled, without running their code.

NumPy stores an object array (e.g. IMDB's ragged reviews) as a pickle stream, and
``np.load(allow_pickle=True)`` will call whatever callable that stream names. The
unpickler here resolves only the few globals NumPy needs to rebuild an array
(``_reconstruct``, ``ndarray``, ``dtype``) and ``list``; any other global aborts
the load before it is called. The rebuilt elements are then checked to be lists
or integer arrays of ints, so a loader never receives anything else.
"""

from __future__ import annotations

import itertools
import os
import pickle
import zipfile

import numpy as np

from .._npy import read_header

try:  # NumPy >= 2 moved the module; pickles written by either name must load.
    from numpy._core.multiarray import _reconstruct
except ImportError:  # pragma: no cover - NumPy 1.x
    from numpy.core.multiarray import _reconstruct

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy._core.multiarray", "_reconstruct"): _reconstruct,
    ("numpy", "ndarray"): np.ndarray,
    ("numpy", "dtype"): np.dtype,
    ("builtins", "list"): list,
    ("__builtin__", "list"): list,  # Python 2 pickles
}


class UnsafePickleError(pickle.UnpicklingError):
    """The pickle asked for something other than NumPy arrays, lists and ints."""


class _ArrayOnlyUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise UnsafePickleError(
                f"safe_npz refuses to load '{module}.{name}': only NumPy arrays, dtypes, "
                "lists and ints may appear in a dataset's object arrays. The file may have "
                "been tampered with."
            ) from None

    def persistent_load(self, pid):
        raise UnsafePickleError(f"safe_npz refuses persistent id {pid!r} in a dataset file.")


def load_npz(path: str | os.PathLike) -> dict[str, np.ndarray]:
    """Load every array of an ``.npz`` file, rebuilding object arrays safely.

    Plain numeric arrays are read with ``allow_pickle=False``; object arrays go
    through the restricted unpickler and must hold lists (or integer arrays) of ints.

    Args:
        path: The ``.npz`` file, already checksum-verified by the caller.

    Returns:
        A dict from array name (without ``.npy``) to array.

    Raises:
        UnsafePickleError: An object array references anything else.
        ValueError: The archive holds something that is not a ``.npy`` array.
    """
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if not member.endswith(".npy"):
                raise ValueError(f"safe_npz: {path} holds {member!r}, expected only .npy arrays.")
            with archive.open(member) as f:
                arrays[member[:-4]] = _read_member(f, f"{path}:{member}")
    return arrays


def _read_member(f, where: str) -> np.ndarray:
    try:
        shape, dtype = read_header(f)
    except ValueError as error:
        raise ValueError(f"safe_npz: {where}: {error}.") from None
    if not dtype.hasobject:
        f.seek(0)
        return np.lib.format.read_array(f, allow_pickle=False)
    # latin1 is how NumPy recommends reading Python 2 pickles (Keras's imdb.npz is one).
    array = _ArrayOnlyUnpickler(f, encoding="latin1").load()
    _check_contents(array, shape, where)
    return array


def _check_contents(array, shape: tuple, where: str) -> None:
    if not isinstance(array, np.ndarray) or array.shape != shape:
        raise UnsafePickleError(
            f"safe_npz: {where} should unpickle to an array of shape {shape}, "
            f"got {type(array).__name__} {getattr(array, 'shape', '')}."
        )
    lists = []
    for i, item in enumerate(array.flat):
        if type(item) is list:
            lists.append(item)
        elif not (isinstance(item, np.ndarray) and item.dtype.kind in "iu"):
            raise UnsafePickleError(
                f"safe_npz: element {i} of {where} is a {type(item).__name__}, expected a list "
                "of ints; refusing to return it."
            )
    # One pass in C over every token; bool is excluded because it is not an index.
    found = set(map(type, itertools.chain.from_iterable(lists)))
    if not found <= {int}:
        names = sorted(t.__name__ for t in found - {int})
        raise UnsafePickleError(
            f"safe_npz: {where} holds lists with {names} items, expected only ints."
        )
