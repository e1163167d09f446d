"""The archive reader refuses hostile or broken zips before inflating anything."""

import io
import pickle
import struct
import sys
import time
import zipfile
from pathlib import Path

import numpy as np
import pytest

from myelin.saving.archive import (
    UnsafeFileError,
    array_bytes,
    open_zip,
    read_arrays,
    read_member,
    write_archive,
)

sys.path.insert(0, str(Path(__file__).parent))
from _models import Touch, pickled_npy  # noqa: E402

NAMES = ("config.json", "metadata.json", "weights.npz")


def _accept(name):
    return name in NAMES


def _open(path, max_total=1 << 30):
    return open_zip(path, "f.myelin", _accept, max_members=3, max_total=max_total)


def _zip(path, members, compress=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=compress) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_round_trip_of_members_and_arrays(tmp_path):
    arrays = {"layers/0/0": np.arange(6, dtype=np.float32).reshape(2, 3),
              "names": np.array(["dense", "dense_1"]), "step": np.int64(7)}
    path = tmp_path / "m.myelin"
    write_archive(path, {"config.json": b"{}", "weights.npz": array_bytes(arrays)},
                  stored=("weights.npz",))
    with _open(path) as z:
        assert read_member(z, "config.json", 100, "m") == b"{}"
        assert z.getinfo("weights.npz").compress_type == zipfile.ZIP_STORED
        back = read_arrays(read_member(z, "weights.npz", 1 << 20, "m"), "m", 1 << 20)
    assert list(back) == list(arrays)
    for key, value in arrays.items():
        assert back[key].dtype == np.asarray(value).dtype
        np.testing.assert_array_equal(back[key], value)


def test_identical_content_gives_identical_bytes(tmp_path):
    members = {"config.json": b'{"a": 1}'}
    write_archive(tmp_path / "a", members)
    write_archive(tmp_path / "b", members)
    assert (tmp_path / "a").read_bytes() == (tmp_path / "b").read_bytes()


def test_refuses_to_save_object_arrays():
    with pytest.raises(TypeError, match="never Python objects"):
        array_bytes({"x": np.array([{"a": 1}], dtype=object)})


@pytest.mark.parametrize("content", [b"", b"hello, not a zip", b"PK\x03\x04garbage"])
def test_not_a_zip(tmp_path, content):
    path = tmp_path / "f.myelin"
    path.write_bytes(content)
    with pytest.raises(UnsafeFileError, match="not a complete zip"):
        _open(path)


def test_truncated_file(tmp_path):
    path = tmp_path / "f.myelin"
    write_archive(path, {"config.json": b"{}" * 1000, "weights.npz": array_bytes(
        {"w": np.ones(1000, np.float32)})})
    data = path.read_bytes()
    for cut in (len(data) // 2, len(data) - 10):
        path.write_bytes(data[:cut])
        with pytest.raises(UnsafeFileError, match="truncated"):
            _open(path)


def test_whole_file_pickle_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "f.myelin"
    path.write_bytes(pickle.dumps(Touch(marker)))
    with pytest.raises(UnsafeFileError, match="pickle"):
        _open(path)
    assert not marker.exists()


def test_pickled_array_inside_npz_is_refused_without_running_it(tmp_path):
    marker = tmp_path / "pwned"
    with pytest.raises(UnsafeFileError, match="pickled"):
        read_arrays(_npz_of({"layers/0/0.npy": pickled_npy(marker)}), "w.npz", 1 << 20)
    assert not marker.exists()


def test_array_with_lying_header_is_refused():
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(10, np.float32))
    with pytest.raises(UnsafeFileError, match="truncated or corrupted"):
        read_arrays(_npz_of({"w.npy": buffer.getvalue()[:-8]}), "w.npz", 1 << 20)


def _npz_of(members):
    npz = io.BytesIO()
    with zipfile.ZipFile(npz, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return npz.getvalue()


@pytest.mark.parametrize(
    "name", ["../config.json", "/etc/passwd", "a/../../x.json", "..\\config.json",
             "C:/config.json", "./config.json", ""]
)
def test_path_traversal_names(tmp_path, name):
    path = tmp_path / "f.myelin"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(zipfile.ZipInfo(name), b"{}")  # a ZipInfo name is written as given
    with pytest.raises(UnsafeFileError, match="path traversal"):
        _open(path)


def test_unexpected_and_duplicate_members(tmp_path):
    with pytest.raises(UnsafeFileError, match="unexpected member 'evil.pkl'"):
        _open(_zip(tmp_path / "a", {"config.json": b"{}", "evil.pkl": b"x"}))
    with pytest.warns(UserWarning, match="Duplicate name"):
        _zip(tmp_path / "b", {"config.json": b"{}"})
        with zipfile.ZipFile(tmp_path / "b", "a") as z:
            z.writestr("config.json", b"[]")
    with pytest.raises(UnsafeFileError, match="twice"):
        _open(tmp_path / "b")


def test_too_many_members(tmp_path):
    with pytest.raises(UnsafeFileError, match="at most 3"):
        _open(_zip(tmp_path / "a", {f"{n}": b"" for n in ("a", "b", "c", "d")}))


def test_zip_bomb_by_ratio_is_refused_quickly_without_inflating(tmp_path):
    path = tmp_path / "bomb.myelin"
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        with z.open("weights.npz", "w", force_zip64=True) as member:
            for _ in range(256):  # 256 MiB of zeros in ~250 KB
                member.write(zeros)
    assert path.stat().st_size < 2 << 20
    start = time.perf_counter()
    with pytest.raises(UnsafeFileError, match="zip bomb"):
        _open(path)
    assert time.perf_counter() - start < 1.0


def test_declared_size_above_cap_is_refused_before_reading(tmp_path):
    path = _zip(tmp_path / "f.myelin", {"weights.npz": np.random.default_rng(0).bytes(3 << 20)},
                compress=zipfile.ZIP_STORED)
    with pytest.raises(UnsafeFileError, match="possible zip bomb"):
        _open(path, max_total=1 << 20)
    with _open(path) as z, pytest.raises(UnsafeFileError, match="far more than"):
        read_member(z, "weights.npz", 1 << 20, "f.myelin")


def test_member_declaring_small_size_but_inflating_more_is_refused(tmp_path):
    payload = b"[" + b"1," * 50_000 + b"1]"
    path = _zip(tmp_path / "f.myelin", {"config.json": payload})
    data = bytearray(path.read_bytes())
    small = struct.pack("<I", 10)
    for offset in _all(data, struct.pack("<I", len(payload))):  # the size in both headers
        data[offset:offset + 4] = small
    path.write_bytes(bytes(data))
    with _open(path) as z, pytest.raises(UnsafeFileError, match="damaged"):
        read_member(z, "config.json", 1 << 20, "f.myelin")


def _all(data, needle):
    start = 0
    while (i := data.find(needle, start)) >= 0:
        yield i
        start = i + 1


def test_hdf5_file_gets_a_helpful_message(tmp_path):
    path = tmp_path / "model.h5"
    path.write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    with pytest.raises(UnsafeFileError, match="HDF5"):
        _open(path)
