"""MNIST keeps a decoded copy of its verified archive in the cache: later loads read it
instead of inflating the archive, and only while it matches its own pinned sha256."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import pytest

from myelin.data.datasets import mnist

sys.path.insert(0, str(Path(__file__).parent))
from _files import npz_bytes  # noqa: E402

SHAPES = ((6, 28, 28), (6,), (4, 28, 28), (4,))


@pytest.fixture
def toy(server, cache, monkeypatch):
    """A served toy archive with a pinned decoded hash; returns its arrays and the copy."""
    rng = np.random.default_rng(0)
    arrays = [rng.integers(0, 256, s, dtype=np.uint8) for s in SHAPES]
    body = npz_bytes(**dict(zip(("x_train", "y_train", "x_test", "y_test"), arrays,
                                strict=True)))
    remote = server.add("mnist", "mnist.npz", body)
    monkeypatch.setattr(mnist, "MNIST_NPZ", remote)
    monkeypatch.setattr(mnist, "_SHAPES", SHAPES)
    pinned = hashlib.sha256(b"".join(a.tobytes() for a in arrays)).hexdigest()
    monkeypatch.setattr(mnist, "_DECODED", {remote.sha256: pinned})
    return arrays, cache / "mnist" / "mnist-decoded.u8"


def _loaded():
    (x, y), (xt, yt) = mnist.load_data()
    return [x, y, xt, yt]


def _same(got, want):
    for g, w in zip(got, want, strict=True):
        np.testing.assert_array_equal(g, w)
        assert g.shape == w.shape and g.dtype == np.uint8


def test_second_load_reads_the_decoded_copy_not_the_archive(toy, monkeypatch):
    arrays, copy = toy
    _same(_loaded(), arrays)
    assert copy.stat().st_size == sum(a.size for a in arrays)

    def no_inflating(*args, **kwargs):
        raise AssertionError("the archive was inflated although a decoded copy exists")

    monkeypatch.setattr(mnist.np, "load", no_inflating)
    again = _loaded()
    _same(again, arrays)
    again[0][0, 0, 0] ^= 1  # the arrays are the caller's to change
    assert again[0].flags.writeable


def test_a_tampered_copy_is_ignored_and_rewritten(toy):
    arrays, copy = toy
    _loaded()
    data = bytearray(copy.read_bytes())
    data[100] ^= 0xFF
    copy.write_bytes(bytes(data))
    _same(_loaded(), arrays)  # from the archive, not the changed bytes
    assert copy.read_bytes() == b"".join(a.tobytes() for a in arrays)
    copy.write_bytes(bytes(data[:50]))  # a truncated copy: the same
    _same(_loaded(), arrays)


def test_no_copy_for_an_archive_without_a_pinned_decoded_hash(toy, monkeypatch):
    arrays, copy = toy
    monkeypatch.setattr(mnist, "_DECODED", {})
    _same(_loaded(), arrays)
    assert not copy.exists()


def test_an_unwritable_cache_still_loads(toy, monkeypatch, tmp_path):
    arrays, copy = toy
    blocker = tmp_path / "blocked"
    blocker.write_text("a file where the cache's directory should be")
    monkeypatch.setattr(mnist, "default_cache_dir", lambda: blocker)
    _same(_loaded(), arrays)
    assert not copy.exists() and blocker.is_file()
