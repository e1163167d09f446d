"""CIFAR-10: 50,000 training and 10,000 test colour images, 32x32, in 10 classes."""

from __future__ import annotations

import numpy as np

from myelin.data.datasets.cifar import load_batch, read_members
from myelin.data.download import RemoteFile, get_file

#: The archive Keras downloads, with the sha256 Keras checks it against.
CIFAR10_TAR = RemoteFile(
    "cifar10",
    "cifar-10-python.tar.gz",
    "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",
    "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
)

_DIR = "cifar-10-batches-py/"
_TRAIN = [f"{_DIR}data_batch_{i}" for i in range(1, 6)]
_TEST = f"{_DIR}test_batch"


def load_data():
    """Load CIFAR-10 as ``keras.datasets.cifar10.load_data()`` does.

    The archive (163 MB) is looked for under ``$MYELIN_DATASETS/cifar10/``, then in the
    cache (``~/.myelin/datasets/cifar10/``), then downloaded; every copy must match
    its sha256 before a byte of it is unpickled. Classes: 0 airplane, 1 automobile,
    2 bird, 3 cat, 4 deer, 5 dog, 6 frog, 7 horse, 8 ship, 9 truck.

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shapes
        ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)`` (channels last), uint8
        labels of shapes ``(50000, 1)`` and ``(10000, 1)``.

    Raises:
        ChecksumError: the archive's sha256 is not the pinned one.
        DownloadError: the archive is neither present nor downloadable.

    Example:
        >>> (x_train, y_train), (x_test, y_test) = cifar10.load_data()
        >>> x_train.shape, y_train.shape
        ((50000, 32, 32, 3), (50000, 1))
    """
    archive = get_file(CIFAR10_TAR)
    members = read_members(archive, [*_TRAIN, _TEST])
    splits = []
    for names in (_TRAIN, [_TEST]):
        parts = [load_batch(members[n], "labels", f"{archive}:{n}", 10) for n in names]
        x = np.concatenate([images for images, _ in parts])
        y = np.array([v for _, labels in parts for v in labels], np.uint8).reshape(-1, 1)
        splits.append((x, y))
    return tuple(splits)
