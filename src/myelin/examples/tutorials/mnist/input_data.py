"""TF 1's tutorial MNIST reader: ``input_data.read_data_sets("/tmp/data/", one_hot=True)``.

The four IDX files come through myelin's verified download path: a copy under
``$MYELIN_DATASETS/mnist/`` first, then ``train_dir`` (where TF 1 kept them), and only
then the network (into ``train_dir``); every copy must match its sha256.
``DataSet.next_batch`` follows TF 1: the first epoch is shuffled, and a batch that
crosses the end of an epoch takes the rest of it plus the start of the next,
reshuffled, epoch.
"""

from __future__ import annotations

import collections
from pathlib import Path

import numpy as np

from ....backend import rng as _library_rng
from ....data.datasets.mnist import IDX_FILES, read_idx
from ....data.download import get_file
from ....dtypes import as_dtype

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


def dense_to_one_hot(labels_dense, num_classes=10):
    """Class ids ``(n,)`` -> one-hot rows ``(n, num_classes)`` (float64, as TF 1).

    Example:
        >>> dense_to_one_hot(np.array([1, 0]), 3).tolist()
        [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]]
    """
    labels = np.asarray(labels_dense)
    one_hot = np.zeros((len(labels), num_classes))
    one_hot[np.arange(len(labels)), labels.astype(np.int64)] = 1.0
    return one_hot


class DataSet:
    """Images and labels with TF 1's ``next_batch``.

    Args:
        images: uint8 array ``(n, 28, 28)`` or ``(n, 28, 28, 1)``.
        labels: ``(n,)`` class ids or ``(n, 10)`` one-hot rows.
        dtype: float32 (scaled to [0, 1]) or uint8 (kept as 0..255).
        reshape: flatten each image to 784 values.
        seed: the shuffling seed (default: the library generator, so
            ``tf.set_random_seed`` makes it repeatable).

    Example:
        >>> batch_xs, batch_ys = mnist.train.next_batch(100)
    """

    def __init__(self, images, labels, dtype=np.float32, reshape=True, seed=None):
        dtype = as_dtype(dtype)
        if dtype not in (np.uint8, np.float32):
            raise TypeError(f"DataSet: dtype must be uint8 or float32, received {dtype.name}.")
        if len(images) != len(labels):
            raise ValueError(f"DataSet: {len(images)} images but {len(labels)} labels.")
        images = np.asarray(images)
        if reshape:
            images = images.reshape(len(images), -1)
        if dtype == np.float32:
            images = images.astype(np.float32) * np.float32(1.0 / 255.0)
        self._images, self._labels = images, np.asarray(labels)
        self._num_examples = len(images)
        self._epochs_completed = 0
        self._index_in_epoch = 0
        self._rng = _library_rng() if seed is None else np.random.default_rng(seed)

    images = property(lambda self: self._images, doc="All images, in the current order.")
    labels = property(lambda self: self._labels, doc="All labels, in the current order.")
    num_examples = property(lambda self: self._num_examples, doc="How many examples.")
    epochs_completed = property(lambda self: self._epochs_completed,
                                doc="How many full passes ``next_batch`` has made.")

    def _shuffle(self):
        order = self._rng.permutation(self._num_examples)
        self._images, self._labels = self._images[order], self._labels[order]

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next ``batch_size`` examples ``(images, labels)``.

        Raises:
            ValueError: for a batch size that is not in ``1 .. num_examples``.
        """
        if fake_data:
            raise NotImplementedError("next_batch: fake_data is not supported.")
        batch_size = int(batch_size)
        if not 0 < batch_size <= self._num_examples:
            raise ValueError(f"next_batch: batch_size must be in 1..{self._num_examples} "
                             f"(the number of examples), received {batch_size}.")
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch = start + batch_size
            return self._images[start:start + batch_size], self._labels[start:start + batch_size]
        # The batch crosses the end of the epoch: the rest of this one, then the next.
        self._epochs_completed += 1
        rest_images, rest_labels = self._images[start:], self._labels[start:]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - len(rest_images)
        end = self._index_in_epoch
        return (np.concatenate([rest_images, self._images[:end]]),
                np.concatenate([rest_labels, self._labels[:end]]))


def _bad_split(validation_size, size):
    raise ValueError(f"read_data_sets: validation_size must be between 0 and {size} (the "
                     f"training images), received {validation_size}.")


def _load(train_dir, check_split):
    """The four arrays; ``check_split(n_train)`` runs before the large files are parsed."""
    folder = Path(train_dir).expanduser().resolve()
    labels = read_idx(get_file(IDX_FILES[1], path=folder / IDX_FILES[1].filename))
    check_split(len(labels))
    images, test_images, test_labels = (
        read_idx(get_file(remote, path=folder / remote.filename))
        for remote in (IDX_FILES[0], IDX_FILES[2], IDX_FILES[3]))
    return images, labels, test_images, test_labels


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=np.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=None):
    """MNIST as TF 1's tutorials read it: 55,000 training, 5,000 validation and 10,000
    test images (the validation set is the first ``validation_size`` training images).

    Args:
        train_dir: the folder holding (or receiving) the four ``*-ubyte.gz`` files.
        one_hot: labels as one-hot rows instead of class ids (uint8).
        dtype: float32 (pixels in [0, 1]) or uint8.
        reshape: flatten the images to 784 values.
        validation_size: how many training images to hold out (0 .. 60000).
        seed: the shuffling seed of ``next_batch``.

    Returns:
        ``Datasets(train, validation, test)`` of ``DataSet``s.

    Example:
        >>> mnist = input_data.read_data_sets("/tmp/data/", one_hot=True)
        >>> mnist.train.images.shape, mnist.test.labels.shape
        ((55000, 784), (10000, 10))
    """
    if fake_data:
        raise NotImplementedError("read_data_sets: fake_data is not supported.")
    if source_url is not None:
        raise NotImplementedError("read_data_sets: source_url is not supported; files come "
                                  "from $MYELIN_DATASETS, train_dir or the pinned mirror.")
    train_images, train_labels, test_images, test_labels = _load(
        train_dir, lambda size: 0 <= validation_size <= size or _bad_split(validation_size,
                                                                           size))
    if one_hot:
        train_labels, test_labels = dense_to_one_hot(train_labels), dense_to_one_hot(test_labels)
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    return Datasets(
        train=DataSet(train_images[validation_size:], train_labels[validation_size:], **options),
        validation=DataSet(train_images[:validation_size], train_labels[:validation_size],
                           **options),
        test=DataSet(test_images, test_labels, **options),
    )


def load_mnist(train_dir="MNIST-data", seed=None):
    """``read_data_sets(train_dir, seed=seed)`` (TF 1's shortcut)."""
    return read_data_sets(train_dir, seed=seed)


__all__ = ["DataSet", "Datasets", "dense_to_one_hot", "load_mnist", "read_data_sets"]
