"""CIFAR-100: 50,000 training and 10,000 test colour images, 32x32, in 100 classes
grouped into 20 superclasses."""

from __future__ import annotations

import numpy as np

from myelin.data.datasets.cifar import load_batch, read_members
from myelin.data.download import RemoteFile, get_file

#: The archive Keras downloads, with the sha256 Keras checks it against.
CIFAR100_TAR = RemoteFile(
    "cifar100",
    "cifar-100-python.tar.gz",
    "https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz",
    "85cd44d02ba6437773c5bbd22e183051d648de2e7d6b014e1ef29b855ba677a7",
)

_DIR = "cifar-100-python/"
_CLASSES = {"fine": 100, "coarse": 20}


def load_data(label_mode="fine"):
    """Load CIFAR-100 as ``keras.datasets.cifar100.load_data()`` does.

    The archive (161 MB) is looked for under ``$MYELIN_DATASETS/cifar100/``, then in
    the cache, then downloaded; every copy must match its sha256 before a byte of it
    is unpickled.

    Args:
        label_mode: ``"fine"`` (100 classes, the default) or ``"coarse"`` (the 20
            superclasses).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``: uint8 images of shapes
        ``(50000, 32, 32, 3)`` and ``(10000, 32, 32, 3)`` (channels last), int64
        labels of shapes ``(50000, 1)`` and ``(10000, 1)`` (Keras returns the pickled
        lists as int64 arrays here).

    Raises:
        ValueError: ``label_mode`` is neither ``"fine"`` nor ``"coarse"``.
        ChecksumError: the archive's sha256 is not the pinned one.
        DownloadError: the archive is neither present nor downloadable.

    Example:
        >>> (x_train, y_train), _ = cifar100.load_data(label_mode="coarse")
        >>> int(y_train.max())
        19
    """
    if label_mode not in _CLASSES:
        raise ValueError(f'cifar100.load_data: `label_mode` must be one of "fine", "coarse". '
                         f"Received: label_mode={label_mode!r}.")
    archive = get_file(CIFAR100_TAR)
    members = read_members(archive, [f"{_DIR}train", f"{_DIR}test"])
    splits = []
    for name in ("train", "test"):
        x, labels = load_batch(members[_DIR + name], f"{label_mode}_labels",
                               f"{archive}:{_DIR}{name}", _CLASSES[label_mode])
        splits.append((x, np.array(labels, np.int64).reshape(-1, 1)))
    return tuple(splits)
