"""get_file against a real HTTP server on 127.0.0.1: cache, checksums, failures."""

from __future__ import annotations

import hashlib
import os

import pytest

from myelin.data import download
from myelin.data.download import ChecksumError, DownloadError, RemoteFile, get_file

PAYLOAD = os.urandom(300_000)  # several read chunks, so the streaming loop is exercised


def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def test_download_verifies_and_caches(server, cache):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    path = get_file(remote)
    assert path == cache / "toy" / "toy.bin"
    assert path.read_bytes() == PAYLOAD
    assert _leftovers(cache / "toy") == ["toy.bin"]  # no temporary file left behind
    assert os.stat(path).st_mode & 0o777 == 0o644
    assert server.requests == ["/toy.bin"]


def test_cached_hit_makes_no_request(server, cache):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    get_file(remote)
    server.requests.clear()
    assert get_file(remote).read_bytes() == PAYLOAD
    assert server.requests == []


def test_corrupt_cached_file_is_fetched_again(server, cache):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    (cache / "toy").mkdir(parents=True)
    (cache / "toy" / "toy.bin").write_bytes(PAYLOAD[:1000])  # a partial earlier copy
    with pytest.warns(RuntimeWarning, match="wrong sha256"):
        path = get_file(remote)
    assert path.read_bytes() == PAYLOAD
    assert server.requests == ["/toy.bin"]


def test_wrong_bytes_from_server_raise_and_cache_nothing(server, cache):
    remote = server.add("toy", "toy.bin", PAYLOAD, sha256="0" * 64)
    with pytest.raises(ChecksumError, match="expected 0000") as info:
        get_file(remote)
    assert "toy.bin" in str(info.value) and remote.url in str(info.value)
    assert _leftovers(cache / "toy") == []


def test_interrupted_transfer_raises_and_leaves_no_partial_file(server, cache):
    remote = server.add("toy", "toy.bin", PAYLOAD, truncate=True)
    with pytest.raises(DownloadError, match="interrupted") as info:
        get_file(remote)
    assert f"of {len(PAYLOAD)} bytes" in str(info.value)
    assert _leftovers(cache / "toy") == []


def test_offline_error_names_file_url_and_env(cache, closed_port_url):
    remote = RemoteFile("toy", "toy.bin", closed_port_url + "toy.bin", "0" * 64)
    with pytest.raises(DownloadError) as info:
        get_file(remote, timeout=5)
    message = str(info.value)
    assert "toy.bin" in message and remote.url in message and "MYELIN_DATASETS" in message
    assert _leftovers(cache / "toy") == []


def test_http_error_is_a_download_error(server, cache):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    missing = RemoteFile("toy", "gone.bin", remote.url.replace("toy.bin", "gone.bin"), "0" * 64)
    with pytest.raises(DownloadError, match="gone.bin"):
        get_file(missing)


def test_preplaced_file_wins_over_cache_and_network(server, cache, tmp_path, monkeypatch):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    placed = tmp_path / "placed"
    (placed / "toy").mkdir(parents=True)
    (placed / "toy" / "toy.bin").write_bytes(PAYLOAD)
    monkeypatch.setenv("MYELIN_DATASETS", str(placed))
    assert get_file(remote) == placed / "toy" / "toy.bin"
    assert server.requests == [] and not cache.exists()


def test_preplaced_file_with_wrong_checksum_is_refused(cache, tmp_path, monkeypatch):
    placed = tmp_path / "placed"
    (placed / "toy").mkdir(parents=True)
    (placed / "toy" / "toy.bin").write_bytes(b"tampered")
    monkeypatch.setenv("MYELIN_DATASETS", str(placed))
    remote = RemoteFile("toy", "toy.bin", None, hashlib.sha256(PAYLOAD).hexdigest())
    with pytest.raises(ChecksumError, match="MYELIN_DATASETS"):
        get_file(remote)


def test_missing_preplaced_file_falls_back_to_download(server, cache, tmp_path, monkeypatch):
    monkeypatch.setenv("MYELIN_DATASETS", str(tmp_path / "empty"))
    remote = server.add("toy", "toy.bin", PAYLOAD)
    assert get_file(remote).parent == cache / "toy"


def test_file_without_url_says_where_to_put_it(cache):
    remote = RemoteFile("toy", "private.npz", None, "0" * 64)
    with pytest.raises(DownloadError, match=r"\$MYELIN_DATASETS/toy/private.npz"):
        get_file(remote)


def test_cache_dir_argument_beats_environment(server, cache, tmp_path):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    path = get_file(remote, cache_dir=tmp_path / "explicit")
    assert path == tmp_path / "explicit" / "toy" / "toy.bin"
    assert not cache.exists()


def test_default_cache_dir_is_under_home(monkeypatch):
    monkeypatch.delenv("MYELIN_CACHE_DIR", raising=False)
    assert download.default_cache_dir().parts[-2:] == (".myelin", "datasets")


def test_custom_and_absolute_paths(server, cache, tmp_path):
    remote = server.add("toy", "toy.bin", PAYLOAD)
    assert get_file(remote, path="renamed.bin") == cache / "toy" / "renamed.bin"
    absolute = tmp_path / "elsewhere.bin"
    assert get_file(remote, path=absolute) == absolute


@pytest.mark.parametrize("tty", [False, True])
def test_progress_bar_only_on_a_terminal(server, cache, monkeypatch, capsys, tty):
    monkeypatch.setattr(download, "_stderr_is_tty", lambda: tty)
    get_file(server.add("toy", "toy.bin", PAYLOAD))
    assert ("toy.bin" in capsys.readouterr().err) is tty
