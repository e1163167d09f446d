"""TF 1's tutorial MNIST reader: sources, splits, one-hot labels and next_batch."""

import hashlib
import os
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from myelin.data.datasets import mnist as mnist_module
from myelin.data.download import DATASETS_ENV, DownloadError
from myelin.examples.tutorials.mnist import input_data

_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
needs_idx = pytest.mark.skipif(not (_DATA / "mnist" / "t10k-labels-idx1-ubyte.gz").is_file(),
                               reason="needs the MNIST IDX files in $MYELIN_DATASETS/mnist")


def _idx_gz(array):
    import gzip

    magic = 2051 if array.ndim == 3 else 2049
    header = b"".join(int(v).to_bytes(4, "big") for v in (magic, *array.shape))
    return gzip.compress(header + array.astype(np.uint8).tobytes(), mtime=0)


def _tiny_files(folder, monkeypatch, n_train=12, n_test=4):
    """Four small IDX files in ``folder``, pinned by their sha256 (no network, no URL)."""
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, (n_train, 28, 28)), np.arange(n_train) % 10,
              rng.integers(0, 256, (n_test, 28, 28)), np.arange(n_test) % 10]
    remotes = []
    for remote, array in zip(mnist_module.IDX_FILES, arrays, strict=True):
        data = _idx_gz(np.asarray(array))
        (folder / remote.filename).write_bytes(data)
        remotes.append(replace(remote, url=None, sha256=hashlib.sha256(data).hexdigest()))
    monkeypatch.setattr(input_data, "IDX_FILES", remotes)
    return arrays


def test_files_come_from_train_dir_when_not_in_myelin_datasets(tmp_path, monkeypatch):
    monkeypatch.delenv(DATASETS_ENV, raising=False)
    arrays = _tiny_files(tmp_path, monkeypatch)
    sets = input_data.read_data_sets(str(tmp_path), one_hot=True, validation_size=2)
    assert sets.train.num_examples == 10 and sets.validation.num_examples == 2
    assert sets.train.images.shape == (10, 784) and sets.train.images.dtype == np.float32
    np.testing.assert_allclose(sets.validation.images[0], arrays[0][0].reshape(-1) / 255.0,
                               rtol=1e-6)
    assert sets.test.labels.tolist()[1] == [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]
    raw = input_data.read_data_sets(str(tmp_path), dtype="uint8", reshape=False,
                                    validation_size=0)
    assert raw.train.images.shape == (12, 28, 28) and raw.train.labels.dtype == np.uint8
    (tmp_path / "t10k-labels-idx1-ubyte.gz").write_bytes(b"tampered")
    with pytest.warns(RuntimeWarning, match="wrong sha256"), pytest.raises(DownloadError):
        input_data.read_data_sets(str(tmp_path), validation_size=2)  # never parsed
    with pytest.raises(DownloadError, match="no public download URL"):
        input_data.read_data_sets(str(tmp_path / "empty"))


def test_next_batch_wraps_epochs_as_tf1():
    images = np.arange(5 * 4, dtype=np.uint8).reshape(5, 2, 2)
    data = input_data.DataSet(images, np.arange(5), seed=0)
    first, labels = data.next_batch(3)
    assert first.shape == (3, 4) and data.epochs_completed == 0
    assert sorted(data.labels.tolist()) == [0, 1, 2, 3, 4]  # shuffled in the first epoch
    np.testing.assert_allclose(first * 255, images[labels].reshape(3, 4), rtol=1e-6)
    rest_expected = data.labels[3:].tolist()
    _, crossing = data.next_batch(3)  # 2 from the end of epoch 1, 1 from epoch 2
    assert data.epochs_completed == 1 and crossing[:2].tolist() == rest_expected
    assert crossing[2] == data.labels[0]
    ordered = input_data.DataSet(images, np.arange(5))
    assert ordered.next_batch(5, shuffle=False)[1].tolist() == [0, 1, 2, 3, 4]
    with pytest.raises(ValueError, match="batch_size must be in 1..5"):
        ordered.next_batch(6)
    with pytest.raises(ValueError, match="5 images but 4 labels"):
        input_data.DataSet(images, np.arange(4))
    with pytest.raises(TypeError, match="uint8 or float32"):
        input_data.DataSet(images, np.arange(5), dtype="float64")


@needs_idx
def test_read_data_sets_on_the_real_files(tmp_path):
    mnist = input_data.read_data_sets(str(tmp_path), one_hot=True)
    assert (mnist.train.num_examples, mnist.validation.num_examples,
            mnist.test.num_examples) == (55000, 5000, 10000)
    assert mnist.train.images.shape == (55000, 784) and mnist.test.labels.shape == (10000, 10)
    assert 0.0 == mnist.train.images.min() and mnist.train.images.max() == 1.0
    assert np.all(mnist.test.labels.sum(axis=1) == 1)
    assert not any(tmp_path.iterdir())  # $MYELIN_DATASETS came first: nothing downloaded
    with pytest.raises(ValueError, match="validation_size must be between 0 and 60000"):
        input_data.read_data_sets(str(tmp_path), validation_size=70000)
