"""CIFAR-10 and CIFAR-100 loaders on small archives in the real format (Python 2 pickles
of dicts inside ``*-python.tar.gz``): Keras's shapes and dtypes, label modes, and
archives that are refused (a pickle naming another global, a missing member)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import keras
from myelin.data.datasets import cifar10, cifar100
from myelin.data.safe_npz import UnsafePickleError

sys.path.insert(0, str(Path(__file__).parent))
from _files import cifar_batch, py2_pickle, tar_gz  # noqa: E402

RNG = np.random.default_rng(10)


def _cifar10_archive(images, labels, per_batch):
    members = {}
    names = [f"data_batch_{i}" for i in range(1, 6)]
    for i, name in enumerate(names):
        part = slice(i * per_batch, (i + 1) * per_batch)
        members[f"cifar-10-batches-py/{name}"] = cifar_batch(images[part], labels[part])
    test = slice(5 * per_batch, None)
    members["cifar-10-batches-py/test_batch"] = cifar_batch(images[test], labels[test])
    members["cifar-10-batches-py/batches.meta"] = py2_pickle({b"label_names": [b"cat"]})
    return tar_gz(members)


@pytest.fixture
def serve(server, cache, monkeypatch):
    """Serve ``body`` as ``module``'s archive from the local server."""
    def serve(module, attribute, body):
        remote = getattr(module, attribute)
        monkeypatch.setattr(module, attribute, server.add(remote.dataset, remote.filename, body))
    return serve


def test_cifar10_shapes_dtypes_and_pixel_order(serve):
    images = RNG.integers(0, 256, (12, 32, 32, 3), dtype=np.uint8)
    labels = RNG.integers(0, 10, 12)
    serve(cifar10, "CIFAR10_TAR", _cifar10_archive(images, labels, per_batch=2))
    (x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
    assert x_train.shape == (10, 32, 32, 3) and x_test.shape == (2, 32, 32, 3)
    assert y_train.shape == (10, 1) and y_test.shape == (2, 1)
    assert x_train.dtype == y_train.dtype == x_test.dtype == y_test.dtype == np.uint8
    np.testing.assert_array_equal(x_train, images[:10])  # channels-first rows -> last
    np.testing.assert_array_equal(x_test, images[10:])
    np.testing.assert_array_equal(np.concatenate([y_train, y_test]).ravel(), labels)


@pytest.mark.parametrize("mode, classes", [("fine", 100), ("coarse", 20)])
def test_cifar100_label_modes(serve, mode, classes):
    images = RNG.integers(0, 256, (5, 32, 32, 3), dtype=np.uint8)
    fine, coarse = [0, 42, 99, 7, 13], [0, 19, 3, 4, 5]
    batch = cifar_batch(images, (fine, coarse), ("fine_labels", "coarse_labels"))
    serve(cifar100, "CIFAR100_TAR", tar_gz({"cifar-100-python/train": batch,
                                            "cifar-100-python/test": batch}))
    (x_train, y_train), (x_test, y_test) = cifar100.load_data(label_mode=mode)
    np.testing.assert_array_equal(x_train, images)
    assert x_test.shape == (5, 32, 32, 3) and x_test.dtype == np.uint8
    assert y_train.shape == (5, 1) and y_train.dtype == np.int64
    assert y_train.ravel().tolist() == (fine if mode == "fine" else coarse)
    assert y_train.max() < classes


def test_cifar100_checks_label_mode_before_any_download(server, cache):
    with pytest.raises(ValueError, match=r'cifar100.*"fine", "coarse".*label_mode=\'medium\''):
        cifar100.load_data(label_mode="medium")
    assert server.requests == []


class _Evil:
    def __reduce__(self):
        return (print, ("owned",))


def test_a_pickle_naming_any_other_global_is_refused_before_it_runs(serve, capsys):
    evil = py2_pickle({b"data": _Evil(), b"labels": [1]})
    members = {f"cifar-10-batches-py/data_batch_{i}": evil for i in range(1, 6)}
    members["cifar-10-batches-py/test_batch"] = evil
    serve(cifar10, "CIFAR10_TAR", tar_gz(members))
    with pytest.raises(UnsafePickleError, match=r"refuses to load '__builtin__\.print'"):
        cifar10.load_data()
    assert "owned" not in capsys.readouterr().out


@pytest.mark.parametrize("batch, message", [
    (py2_pickle([1, 2]), "expected a dict"),
    (py2_pickle({b"data": np.zeros((1, 3072), np.float32), b"labels": [0]}), "uint8"),
    (py2_pickle({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0]}), "list of 2 ints"),
    (py2_pickle({b"data": np.zeros((1, 3072), np.uint8), b"labels": [10]}), r"\[0, 10\)"),
])
def test_malformed_batches_are_refused(serve, batch, message):
    names = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]
    serve(cifar10, "CIFAR10_TAR", tar_gz({f"cifar-10-batches-py/{n}": batch for n in names}))
    with pytest.raises((ValueError, UnsafePickleError), match=message):
        cifar10.load_data()


def test_an_archive_without_the_batches_names_what_is_missing(serve):
    serve(cifar100, "CIFAR100_TAR", tar_gz({"cifar-100-python/train": b"", "../evil": b"x"}))
    with pytest.raises(ValueError, match=r"lacks \['cifar-100-python/test'\]"):
        cifar100.load_data()
