"""Every downloading loader, through the real download path, for each way a file arrives.

For each loader: a cached hit makes no request; a checksum mismatch, an interrupted
transfer and being offline each raise a clear error and cache nothing; a file under
MYELIN_DATASETS wins over cache and network.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from myelin.data.datasets import cifar10, cifar100, fashion_mnist, imdb, mnist
from myelin.data.download import DATASETS_ENV, ChecksumError, DownloadError

sys.path.insert(0, str(Path(__file__).parent))
from _files import cifar_batch, idx_gz, npz_bytes, tar_gz  # noqa: E402

RNG = np.random.default_rng(7)


def _digits():
    return (RNG.integers(0, 256, (3, 28, 28)), RNG.integers(0, 10, 3),
            RNG.integers(0, 256, (2, 28, 28)), RNG.integers(0, 10, 2))


def _ragged(n):
    seqs = np.empty(n, dtype=object)
    for i in range(n):
        seqs[i] = RNG.integers(1, 50, 5).tolist()
    return seqs


_X, _Y, _XT, _YT = _digits()
_IMDB = dict(x_train=_ragged(4), y_train=np.array([0, 1, 0, 1]), x_test=_ragged(2),
             y_test=np.array([1, 0]))

_IMAGES = RNG.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
_CIFAR10 = tar_gz({  # training batches 1-4 hold image i (label i); batch 5 and test image 0
    **{f"cifar-10-batches-py/data_batch_{i + 1}": cifar_batch(_IMAGES[i:i + 1], [i])
       for i in range(4)},
    "cifar-10-batches-py/data_batch_5": cifar_batch(_IMAGES[:1], [9]),
    "cifar-10-batches-py/test_batch": cifar_batch(_IMAGES[:1], [9])})
_CIFAR100 = tar_gz({f"cifar-100-python/{n}": cifar_batch(_IMAGES, ([5, 6, 7, 99], [1, 2, 3, 19]),
                                                         ("fine_labels", "coarse_labels"))
                    for n in ("train", "test")})

# name: (module, attribute holding the RemoteFile(s), bodies in that order, call, check)
LOADERS = {
    "mnist": (mnist, "MNIST_NPZ", [npz_bytes(x_train=_X, y_train=_Y, x_test=_XT, y_test=_YT)],
              mnist.load_data, lambda out: np.array_equal(out[0][0], _X)),
    "fashion_mnist": (fashion_mnist, "FILES", [idx_gz(a) for a in (_X, _Y, _XT, _YT)],
                      fashion_mnist.load_data, lambda out: np.array_equal(out[1][1], _YT)),
    "imdb": (imdb, "IMDB_NPZ", [npz_bytes(**_IMDB)], imdb.load_data,
             lambda out: len(out[0][0]) == 4 and out[0][0][0][0] == 1),
    "imdb_word_index": (imdb, "WORD_INDEX_JSON", [json.dumps({"the": 1}).encode()],
                        imdb.get_word_index, lambda out: out == {"the": 1}),
    "cifar10": (cifar10, "CIFAR10_TAR", [_CIFAR10], cifar10.load_data,
                lambda out: np.array_equal(out[0][0][:4], _IMAGES)),
    "cifar100": (cifar100, "CIFAR100_TAR", [_CIFAR100], cifar100.load_data,
                 lambda out: out[1][1].ravel().tolist() == [5, 6, 7, 99]),
}


@pytest.fixture(params=sorted(LOADERS))
def loader(request, server, cache, monkeypatch):
    """Serve the loader's files from the local server; returns (remotes, call, check)."""
    module, attribute, bodies, call, check = LOADERS[request.param]
    original = getattr(module, attribute)
    originals = original if isinstance(original, list) else [original]
    remotes = [server.add(r.dataset, r.filename, body)
               for r, body in zip(originals, bodies, strict=True)]
    if module is mnist:  # its fallback to the IDX files must fail too, not succeed
        monkeypatch.setattr(mnist, "IDX_FILES", [replace(r, url=None) for r in mnist.IDX_FILES])

    def patch(new):
        monkeypatch.setattr(module, attribute, new if isinstance(original, list) else new[0])

    patch(remotes)
    return remotes, bodies, patch, call, check


def _cached(cache, remotes):
    return [p for r in remotes for p in (cache / r.dataset).glob("*") if p.is_file()]


def test_download_then_cached_hit_makes_no_request(loader, server, cache):
    remotes, _, _, call, check = loader
    assert check(call())
    first = len(server.requests)
    assert first == len(remotes)
    assert check(call())
    assert len(server.requests) == first  # the second load came from the cache


def test_checksum_mismatch_is_refused_and_nothing_is_cached(loader, cache):
    remotes, _, patch, call, _ = loader
    patch([replace(r, sha256="0" * 64) for r in remotes])
    with pytest.raises(ChecksumError, match="sha256"):
        call()
    assert _cached(cache, remotes) == []


def test_interrupted_transfer_is_an_error_and_leaves_no_partial_file(loader, server, cache):
    remotes, bodies, _, call, _ = loader
    for r, body in zip(remotes, bodies, strict=True):
        server.files[f"/{r.filename}"] = (body, True)  # announce the size, send half
    with pytest.raises(DownloadError, match="interrupted"):
        call()
    assert _cached(cache, remotes) == []


def test_offline_error_names_the_file_the_url_and_myelin_datasets(loader, cache,
                                                                  closed_port_url):
    remotes, _, patch, call, _ = loader
    offline = [replace(r, url=closed_port_url + r.filename) for r in remotes]
    patch(offline)
    with pytest.raises(DownloadError) as info:
        call()
    message = str(info.value)
    assert offline[0].filename in message and offline[0].url in message
    assert DATASETS_ENV in message


def test_myelin_datasets_wins_over_cache_and_network(loader, server, tmp_path, monkeypatch):
    remotes, bodies, _, call, check = loader
    root = tmp_path / "placed"
    for r, body in zip(remotes, bodies, strict=True):
        (root / r.dataset).mkdir(parents=True, exist_ok=True)
        (root / r.dataset / r.filename).write_bytes(body)
        assert hashlib.sha256(body).hexdigest() == r.sha256
    monkeypatch.setenv(DATASETS_ENV, str(root))
    assert check(call())
    assert server.requests == []
