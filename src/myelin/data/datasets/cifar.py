"""Reading CIFAR's ``*-python.tar.gz`` archives safely (shared by cifar10 and cifar100).

Each archive holds Python-2 pickles of dicts: ``data`` (an ``(n, 3072)`` uint8 array,
channels first), a list of int labels, and bytes metadata. The archive is read in
memory member by member (nothing is extracted to disk, so its paths never matter) and
each pickle goes through an unpickler that can build nothing but NumPy arrays, lists,
dicts, ints and bytes; the result is then checked to be exactly that.
"""

from __future__ import annotations

import io
import os
import pickle
import tarfile

import numpy as np

from myelin.data.safe_npz import _ALLOWED, UnsafePickleError


class _BatchUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        try:
            return _ALLOWED[(module, name)]
        except KeyError:
            raise UnsafePickleError(
                f"CIFAR loader refuses to load '{module}.{name}': a CIFAR batch may hold only "
                "NumPy arrays, lists, dicts, ints and bytes. The file may have been tampered "
                "with."
            ) from None

    def persistent_load(self, pid):
        raise UnsafePickleError(f"CIFAR loader refuses persistent id {pid!r}.")


def read_members(archive: str | os.PathLike, names: list[str]) -> dict[str, bytes]:
    """The bytes of the regular-file members ``names`` of a verified ``.tar.gz``.

    Args:
        archive: the checksum-verified archive.
        names: the member paths to read, e.g. ``"cifar-10-batches-py/test_batch"``.

    Returns:
        A dict from each name to its bytes.

    Raises:
        ValueError: a member is missing (or is not a regular file).
    """
    found = {}
    with tarfile.open(archive, mode="r|gz") as tar:  # one streaming pass, nothing on disk
        for member in tar:
            if member.name in names and member.isfile():
                found[member.name] = tar.extractfile(member).read()
    missing = [n for n in names if n not in found]
    if missing:
        raise ValueError(f"{archive} is not a CIFAR archive: it lacks {missing}.")
    return found


def load_batch(raw: bytes, label_key: str, where: str, num_classes: int):
    """Unpickle one batch safely and check what it holds.

    Args:
        raw: the pickled batch (a member of the archive).
        label_key: ``"labels"`` (CIFAR-10), ``"fine_labels"`` or ``"coarse_labels"``.
        where: the archive and member, for error messages.
        num_classes: labels must lie in ``[0, num_classes)``.

    Returns:
        ``(images, labels)``: uint8 ``(n, 32, 32, 3)`` channels-last images and a list
        of ``n`` ints.

    Raises:
        UnsafePickleError: the pickle names anything but NumPy's array builders.
        ValueError: the batch does not hold ``data`` and labels of the right form.
    """
    # Python 2 ``str`` objects (the keys, the array bytes) come back as bytes, as Keras reads.
    batch = _BatchUnpickler(io.BytesIO(raw), encoding="bytes").load()
    if not isinstance(batch, dict):
        raise UnsafePickleError(f"{where}: expected a dict, got {type(batch).__name__}.")
    batch = {k.decode("utf8") if isinstance(k, bytes) else k: v for k, v in batch.items()}
    data, labels = batch.get("data"), batch.get(label_key)
    if not (isinstance(data, np.ndarray) and data.dtype == np.uint8 and data.ndim == 2
            and data.shape[1] == 3 * 32 * 32):
        raise ValueError(f"{where}: 'data' should be a uint8 array of shape (n, 3072), got "
                         f"{getattr(data, 'dtype', type(data).__name__)} "
                         f"{getattr(data, 'shape', '')}.")
    if not (isinstance(labels, list) and len(labels) == len(data)
            and all(type(v) is int and 0 <= v < num_classes for v in labels)):
        raise ValueError(f"{where}: {label_key!r} should be a list of {len(data)} ints in "
                         f"[0, {num_classes}).")
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)  # channels last, as Keras
    return np.ascontiguousarray(images), labels
