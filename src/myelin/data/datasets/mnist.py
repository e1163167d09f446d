"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 uint8."""

from __future__ import annotations

import gzip
import hashlib
import os

import numpy as np

from myelin.data.download import (
    DatasetError,
    DownloadError,
    RemoteFile,
    default_cache_dir,
    get_file,
)
from myelin.saving.atomic import write_bytes_atomic

_KERAS_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_IDX_BASE = "https://ossci-datasets.s3.amazonaws.com/mnist/"

#: Keras's single-archive copy; the primary source.
MNIST_NPZ = RemoteFile(
    "mnist",
    "mnist.npz",
    _KERAS_BASE + "mnist.npz",
    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
)

#: The four arrays of the verified archive, raw and back to back (x_train, y_train,
#: x_test, y_test: 54,950,000 bytes), by the archive's sha256: the pinned hash of a
#: decoded copy kept in the cache. Reading and hashing it takes ~0.07 s of CPU where
#: inflating the archive takes ~0.25 s; it is checked on every load, as the archive is.
_DECODED = {
    MNIST_NPZ.sha256: "06b0d1f124c4e5fa796686ade41a9b778edacc8622f2195a352ef479ad44fc16",
}
_SHAPES = ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,))

_IDX_NAMES = (
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
)


def idx_files(dataset: str, base_url: str, sha256s: list[str]) -> list[RemoteFile]:
    """The four MNIST-style IDX files of ``dataset``, in the order :func:`load_idx` expects."""
    return [
        RemoteFile(dataset, name, base_url + name, h)
        for name, h in zip(_IDX_NAMES, sha256s, strict=True)
    ]


#: The original gzip IDX files, used when the archive cannot be had. Patchable, like
#: MNIST_NPZ, for tests and mirrors.
IDX_FILES = idx_files(
    "mnist",
    _IDX_BASE,
    [
        "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
        "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
        "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
        "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
    ],
)

# IDX magic numbers: 0x08 (unsigned byte) in the third byte, rank in the fourth.
_IDX_MAGIC = {2049: 1, 2051: 3}


def load_data(path: str = "mnist.npz"):
    """Load the MNIST dataset, downloading it on first use.

    The file is looked for under ``$MYELIN_DATASETS/mnist/``, then in the cache
    (``~/.myelin/datasets/mnist/``), then downloaded from Keras's mirror and
    checked against its sha256. If the archive cannot be found or downloaded, the
    four original IDX files are tried instead. The first load keeps a decoded copy
    of the archive in the cache (55 MB, checked against its own pinned sha256 on
    every load) so later loads skip the decompression.

    Args:
        path: Name of the cached file, relative to the cache's ``mnist/``
            directory, or an absolute path.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 arrays of shapes
        ``(60000, 28, 28)``, ``(60000,)``, ``(10000, 28, 28)``, ``(10000,)``.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = mnist.load_data()
        >>> x_train.shape
        (60000, 28, 28)
    """
    try:
        archive = get_file(MNIST_NPZ, path=path)
    except DownloadError as npz_error:  # unavailable; a checksum failure is not retried
        try:
            return load_idx(IDX_FILES)
        except DatasetError:
            raise npz_error from None
    x_train, y_train, x_test, y_test = _decoded(archive, _DECODED.get(MNIST_NPZ.sha256))
    return (x_train, y_train), (x_test, y_test)


def _decoded(archive, pinned):
    """The archive's four arrays, from the cache's verified decoded copy when there is
    one (``pinned``: its sha256, None for an archive without one); otherwise inflated
    from the archive, and the decoded copy written for the next load."""
    copy = default_cache_dir() / "mnist" / "mnist-decoded.u8"
    if pinned is not None and copy.is_file():
        flat = np.empty(sum(int(np.prod(shape)) for shape in _SHAPES), np.uint8)
        with open(copy, "rb") as f:  # straight into the array: no second 55 MB copy
            read = f.readinto(memoryview(flat))
        if read == flat.size and hashlib.sha256(flat).hexdigest() == pinned:
            return _split(flat)
    with np.load(archive, allow_pickle=False) as f:
        arrays = [f[k] for k in ("x_train", "y_train", "x_test", "y_test")]
    if pinned is not None and [a.shape for a in arrays] == list(_SHAPES) and all(
            a.dtype == np.uint8 for a in arrays):
        _write_atomically(copy, b"".join(a.tobytes() for a in arrays))
    return arrays


def _split(flat):
    """Cut the decoded bytes into x_train, y_train, x_test, y_test (views of ``flat``)."""
    arrays, start = [], 0
    for shape in _SHAPES:
        size = int(np.prod(shape))
        arrays.append(flat[start:start + size].reshape(shape))
        start += size
    return arrays


def _write_atomically(path, data):
    """Write ``data`` to ``path`` so a reader sees the whole file or none; a cache that
    cannot be written is left alone."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_bytes_atomic(path, data)
    except OSError:
        pass


def load_idx(files: list[RemoteFile]):
    """Fetch and parse four gzip IDX files: train images and labels, test images and labels.

    Returns:
        ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays.
    """
    x_train, y_train, x_test, y_test = (read_idx(get_file(f)) for f in files)
    for images, labels in ((x_train, y_train), (x_test, y_test)):
        if len(images) != len(labels):
            raise ValueError(f"IDX files disagree: {len(images)} images but {len(labels)} labels.")
    return (x_train, y_train), (x_test, y_test)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Parse a gzip-compressed IDX file of unsigned bytes (images or labels).

    Args:
        path: A ``*-idx1-ubyte.gz`` or ``*-idx3-ubyte.gz`` file.

    Returns:
        A uint8 array shaped by the dimensions in the file's header.

    Raises:
        ValueError: The magic number or the size does not match the header.
    """
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[:4], "big")
    if magic not in _IDX_MAGIC:
        raise ValueError(
            f"read_idx: {path} has magic number {magic}, expected 2049 (labels) or 2051 (images)."
        )
    rank = _IDX_MAGIC[magic]
    shape = tuple(int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank))
    offset = 4 + 4 * rank
    if len(data) - offset != int(np.prod(shape)):
        raise ValueError(
            f"read_idx: {path} header says shape {shape} ({int(np.prod(shape))} bytes) "
            f"but holds {len(data) - offset} bytes of data."
        )
    return np.frombuffer(data, np.uint8, offset=offset).reshape(shape).copy()
