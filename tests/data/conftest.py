"""Fixtures for the data tests: a local HTTP server and isolated cache directories."""

from __future__ import annotations

import hashlib
import http.server
import os
import socket
import threading
from pathlib import Path

import pytest

from myelin.data.download import CACHE_ENV, DATASETS_ENV, RemoteFile


class FileServer:
    """Serves registered byte strings on 127.0.0.1 and records every request path."""

    def __init__(self):
        self.files: dict[str, tuple[bytes, bool]] = {}
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(self.path)
                if self.path not in server.files:
                    self.send_error(404)
                    return
                body, truncate = server.files[self.path]
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                # An interrupted transfer: announce the full size, send half, hang up.
                self.wfile.write(body[: len(body) // 2] if truncate else body)
                self.wfile.flush()
                self.close_connection = True

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)
        self.thread.start()

    def add(self, dataset: str, name: str, body: bytes, truncate=False, sha256=None):
        """Serve ``body`` at ``/<name>``; return the RemoteFile pointing at it."""
        self.files[f"/{name}"] = (body, truncate)
        url = f"http://127.0.0.1:{self.httpd.server_port}/{name}"
        return RemoteFile(dataset, name, url, sha256 or hashlib.sha256(body).hexdigest())

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = FileServer()
    yield srv
    srv.close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty cache (via MYELIN_CACHE_DIR) and no pre-placed datasets."""
    monkeypatch.delenv(DATASETS_ENV, raising=False)
    root = tmp_path / "cache"
    monkeypatch.setenv(CACHE_ENV, str(root))
    return root


@pytest.fixture
def closed_port_url():
    """A URL on a port nothing listens on, to play "offline"."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture(scope="session")
def real_data(dataset_missing) -> Path:
    """The directory of real datasets (MYELIN_DATASETS); skips the test when absent,
    except in CI, where that is a failure."""
    root = Path(os.environ.get(DATASETS_ENV, "/nonexistent"))
    if not (root / "mnist" / "mnist.npz").is_file():
        dataset_missing("real datasets not found: set MYELIN_DATASETS (see tests/conftest.py)")
    return root
