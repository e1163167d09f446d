"""Dataset loaders: synthetic files through the real download path, then the real data."""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from myelin.data import UnsafePickleError, load_npz
from myelin.data.datasets import fashion_mnist, house_prices, imdb, mnist, xor
from myelin.data.download import RemoteFile
from myelin.data.preprocessing import decode_review

sys.path.insert(0, str(Path(__file__).parent))
from _files import idx_gz, npz_bytes  # noqa: E402


def _place(root, remote: RemoteFile, body: bytes) -> RemoteFile:
    """Pre-place ``body`` under ``root`` as ``remote`` and return it with body's sha256."""
    (root / remote.dataset).mkdir(parents=True, exist_ok=True)
    (root / remote.dataset / remote.filename).write_bytes(body)
    return RemoteFile(remote.dataset, remote.filename, None, hashlib.sha256(body).hexdigest())


def _toy_digits(rng, n_train=6, n_test=4):
    return [
        rng.integers(0, 256, (n_train, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_train, dtype=np.uint8),
        rng.integers(0, 256, (n_test, 28, 28), dtype=np.uint8),
        rng.integers(0, 10, n_test, dtype=np.uint8),
    ]


# --- synthetic files -------------------------------------------------------------------


def test_mnist_downloads_the_npz(server, cache, monkeypatch):
    x, y, xt, yt = _toy_digits(np.random.default_rng(0))
    body = npz_bytes(x_train=x, y_train=y, x_test=xt, y_test=yt)
    monkeypatch.setattr(mnist, "MNIST_NPZ", server.add("mnist", "mnist.npz", body))
    (a, b), (c, d) = mnist.load_data()
    for got, want in zip((a, b, c, d), (x, y, xt, yt), strict=True):
        np.testing.assert_array_equal(got, want)
    assert (cache / "mnist" / "mnist.npz").is_file()


def test_mnist_falls_back_to_idx_files(server, cache, monkeypatch, closed_port_url):
    arrays = _toy_digits(np.random.default_rng(1))
    offline = RemoteFile("mnist", "mnist.npz", closed_port_url + "mnist.npz", "0" * 64)
    monkeypatch.setattr(mnist, "MNIST_NPZ", offline)
    served = [
        server.add("mnist", r.filename, idx_gz(a))
        for r, a in zip(mnist.IDX_FILES, arrays, strict=True)
    ]
    monkeypatch.setattr(mnist, "IDX_FILES", served)
    (x, y), (xt, yt) = mnist.load_data()
    for got, want in zip((x, y, xt, yt), arrays, strict=True):
        np.testing.assert_array_equal(got, want)


def test_fashion_mnist_reads_preplaced_idx_files(tmp_path, monkeypatch):
    monkeypatch.setenv("MYELIN_DATASETS", str(tmp_path))
    arrays = _toy_digits(np.random.default_rng(2), n_train=5, n_test=3)
    files = [
        _place(tmp_path, r, idx_gz(a)) for r, a in zip(fashion_mnist.FILES, arrays, strict=True)
    ]
    monkeypatch.setattr(fashion_mnist, "FILES", files)
    (x, y), (xt, yt) = fashion_mnist.load_data()
    assert x.shape == (5, 28, 28) and y.shape == (5,) and xt.shape == (3, 28, 28)
    np.testing.assert_array_equal(yt, arrays[3])
    assert len(fashion_mnist.CLASS_NAMES) == 10


def test_read_idx_rejects_bad_magic_and_size(tmp_path):
    bad_magic = tmp_path / "bad.gz"
    bad_magic.write_bytes(gzip.compress((1234).to_bytes(4, "big") + bytes(8)))
    with pytest.raises(ValueError, match="magic number 1234"):
        mnist.read_idx(bad_magic)
    short = tmp_path / "short.gz"
    short.write_bytes(gzip.compress((2049).to_bytes(4, "big") + (5).to_bytes(4, "big") + bytes(3)))
    with pytest.raises(ValueError, match=r"shape \(5,\)"):
        mnist.read_idx(short)


def _keras_reference(x, y, xt, yt, num_words=None, skip_top=0, maxlen=None, seed=113,
                     start_char=1, oov_char=2, index_from=3):  # fmt: skip
    """Keras's load_data transformation, written out plainly word by word."""
    rng = np.random.RandomState(seed)
    out = []
    for seqs, labels in ((x, y), (xt, yt)):
        order = np.arange(len(seqs))
        rng.shuffle(order)
        seqs = [([start_char] if start_char is not None else []) + [w + index_from for w in s]
                for s in seqs[order]]  # fmt: skip
        labels = labels[order]
        if maxlen:
            keep = [i for i, s in enumerate(seqs) if len(s) < maxlen]
            seqs, labels = [seqs[i] for i in keep], labels[keep]
        out.append([seqs, labels])
    # (Keras takes max(max(s)), which fails on an empty review; myelin then uses all tokens.)
    top = num_words or max(w for seqs, _ in out for s in seqs for w in s)
    for pair in out:
        pair[0] = [[w if skip_top <= w < top else oov_char for w in s if oov_char is not None
                    or skip_top <= w < top] for s in pair[0]]  # fmt: skip
    return out


@pytest.fixture
def toy_imdb(tmp_path, monkeypatch):
    """A small ragged IMDB-like .npz, pre-placed and pinned, plus its raw arrays."""
    rng = np.random.default_rng(3)

    def ragged(n):
        seqs = np.empty(n, dtype=object)
        for i in range(n):
            seqs[i] = rng.integers(1, 60, rng.integers(0, 25)).tolist()
        return seqs

    raw = (ragged(40), rng.integers(0, 2, 40), ragged(30), rng.integers(0, 2, 30))
    body = npz_bytes(x_train=raw[0], y_train=raw[1], x_test=raw[2], y_test=raw[3])
    monkeypatch.setenv("MYELIN_DATASETS", str(tmp_path))
    monkeypatch.setattr(imdb, "IMDB_NPZ", _place(tmp_path, imdb.IMDB_NPZ, body))
    return raw


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"num_words": 30},
        {"num_words": 40, "skip_top": 5, "maxlen": 15},
        {"oov_char": None, "num_words": 20, "skip_top": 2},
        {"start_char": None, "index_from": 0, "seed": 7},
        {"start_char": None, "oov_char": None, "index_from": 1, "maxlen": 10},
    ],
)
def test_imdb_matches_keras_semantics(toy_imdb, options):
    got = imdb.load_data(**options)
    want = _keras_reference(*toy_imdb, **options)
    for (x, y), (wx, wy) in zip(got, want, strict=True):
        assert x.dtype == object and x.ndim == 1
        assert [list(s) for s in x] == wx
        np.testing.assert_array_equal(y, wy)


def test_imdb_maxlen_that_drops_everything_is_an_error(toy_imdb):
    with pytest.raises(ValueError, match="maxlen=1"):
        imdb.load_data(maxlen=1)


# --- the safe unpickler -----------------------------------------------------------------


def _npz_with_object_pickle(tmp_path, pickle_bytes: bytes):
    member = io.BytesIO()
    header = {"descr": "|O", "fortran_order": False, "shape": (1,)}
    np.lib.format.write_array_header_1_0(member, header)
    member.write(pickle_bytes)
    path = tmp_path / "evil.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x_train.npy", member.getvalue())
    return path


def test_safe_npz_refuses_os_system_and_never_runs_it(tmp_path):
    marker = tmp_path / "pwned"
    # Protocol 2 by hand: GLOBAL os.system, a one-string tuple, REDUCE, STOP.
    command = f"touch {marker}".encode()
    evil = b"\x80\x02cos\nsystem\nX" + len(command).to_bytes(4, "little") + command
    evil += b"\x85R."
    path = _npz_with_object_pickle(tmp_path, evil)
    with pytest.raises(UnsafePickleError, match="os.system"):
        load_npz(path)
    assert not marker.exists()


def test_safe_npz_refuses_non_list_contents(tmp_path):
    # A well-formed object array whose element is a str, not a list of ints.
    buffer = io.BytesIO()
    np.save(buffer, np.array(["not a review"], dtype=object), allow_pickle=True)
    path = tmp_path / "strings.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("x.npy", buffer.getvalue())
    with pytest.raises(UnsafePickleError, match="element 0"):
        load_npz(path)


def test_safe_npz_round_trips_ragged_int_lists(tmp_path):
    seqs = np.empty(3, dtype=object)
    seqs[:] = [[1, 2, 3], [], [4]]
    path = tmp_path / "ok.npz"
    np.savez(path, x=seqs, y=np.arange(3))
    loaded = load_npz(path)
    assert [list(s) for s in loaded["x"]] == [[1, 2, 3], [], [4]]
    np.testing.assert_array_equal(loaded["y"], np.arange(3))


# --- bundled tables ---------------------------------------------------------------------


def test_house_prices_is_the_tutorial_table():
    x, y = house_prices.load_data()
    assert x.shape == (15, 1) and y.shape == (15,)
    assert x.dtype == y.dtype == np.float32
    assert x[0, 0] == 3765 and x[-1, 0] == 56475 and y[0] == 16203815
    _, exact = house_prices.load_data(dtype="float64")
    assert exact[-1] == 77795170 and abs(y[-1] - exact[-1]) <= 4


def test_xor_truth_table():
    x, y = xor.load_data()
    assert x.shape == (4, 2) and y.shape == (4, 1) and x.dtype == y.dtype == np.float32
    np.testing.assert_array_equal(y[:, 0], np.logical_xor(x[:, 0], x[:, 1]))


# --- the real files (MYELIN_DATASETS, set by tests/conftest.py) ---------------------------


def test_real_mnist(real_data):
    (x, y), (xt, yt) = mnist.load_data()
    assert x.shape == (60000, 28, 28) and xt.shape == (10000, 28, 28)
    assert x.dtype == y.dtype == np.uint8
    assert np.bincount(y).tolist() == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    assert np.bincount(yt).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert y[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]
    assert x.max() == 255 and x.min() == 0


def test_real_mnist_idx_files_match_the_npz(real_data):
    (x, y), (xt, yt) = mnist.load_idx(mnist.IDX_FILES)
    with np.load(real_data / "mnist" / "mnist.npz") as f:
        np.testing.assert_array_equal(x, f["x_train"])
        np.testing.assert_array_equal(yt, f["y_test"])


def test_real_imdb_subset_and_word_index(real_data):
    (x, y), (xt, yt) = imdb.load_subset()
    assert x.shape == (5000,) and xt.shape == (1000,) and y.shape == (5000,)
    assert max(max(s) for s in x) < 500 and all(s[0] == 1 for s in x)
    word_index = imdb.get_word_index()
    assert len(word_index) == 88584 and word_index["the"] == 1
    assert decode_review(x[0]).startswith("<START> this film was just <UNK> <UNK>")


@pytest.fixture(scope="module")
def real_imdb_10k(real_data):
    return imdb.load_data(num_words=10000)


def test_real_imdb_load_data_like_keras(real_imdb_10k):
    (x, y), (xt, yt) = real_imdb_10k
    assert len(x) == len(xt) == 25000
    assert int(y.sum()) == int(yt.sum()) == 12500
    assert max(max(s) for s in x) == 9999 and max(max(s) for s in xt) == 9999
    assert all(s[0] == 1 for s in x) and all(s[0] == 1 for s in xt)
    # Keras 3 gives exactly these (the TensorFlow text-classification tutorial's output).
    assert x[0][:10] == [1, 14, 22, 16, 43, 530, 973, 1622, 1385, 65]
    assert (len(x[0]), len(x[1])) == (218, 189)
    assert y[:10].tolist() == [1, 0, 0, 1, 0, 0, 1, 0, 1, 0]
    assert xt[0][:8] == [1, 591, 202, 14, 31, 6, 717, 10]


def test_real_imdb_subset_is_the_head_of_load_data_500(real_data):
    (x, y), (xt, yt) = imdb.load_data(num_words=500)
    (sx, sy), (sxt, syt) = imdb.load_subset()
    assert [list(s) for s in sx] == list(x[:5000])
    assert [list(s) for s in sxt] == list(xt[:1000])
    np.testing.assert_array_equal(sy, y[:5000])
