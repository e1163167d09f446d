"""Issue 17, item 6: a server that stops sending mid-body times out cleanly."""

import hashlib
import http.server
import threading

import pytest

from myelin.data.download import DownloadError, RemoteFile, get_file

BODY = b"x" * 100_000


class Stalling(http.server.BaseHTTPRequestHandler):
    release = threading.Event()

    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY[:5000])  # some bytes reach the partial file, then silence
        self.wfile.flush()
        self.release.wait(30)

    def log_message(self, *args):
        pass


def test_a_stalled_download_times_out_and_leaves_no_partial_file(tmp_path, monkeypatch):
    monkeypatch.delenv("MYELIN_DATASETS", raising=False)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Stalling)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/stall.bin"
    remote = RemoteFile("stall", "stall.bin", url, hashlib.sha256(BODY).hexdigest())
    try:
        with pytest.raises(DownloadError, match=r"timed out") as info:
            get_file(remote, cache_dir=tmp_path, timeout=0.5)
    finally:
        Stalling.release.set()
        server.shutdown()
        server.server_close()
    assert "stall.bin" in str(info.value) and url in str(info.value)
    assert list((tmp_path / "stall").iterdir()) == []  # the partial file was removed
