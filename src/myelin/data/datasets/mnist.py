"""MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 uint8."""

from __future__ import annotations

import gzip
import os

import numpy as np

from myelin.data.download import DatasetError, DownloadError, RemoteFile, get_file

_KERAS_BASE = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
_IDX_BASE = "https://ossci-datasets.s3.amazonaws.com/mnist/"

#: Keras's single-archive copy; the primary source.
MNIST_NPZ = RemoteFile(
    "mnist",
    "mnist.npz",
    _KERAS_BASE + "mnist.npz",
    "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
)

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
    four original IDX files are tried instead.

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
    with np.load(archive, allow_pickle=False) as f:
        return (f["x_train"], f["y_train"]), (f["x_test"], f["y_test"])


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
