"""Fetch dataset files by URL into a local cache, verified by sha256.

A file is looked for, in order, under ``$MYELIN_DATASETS/<dataset>/<filename>``
(pre-placed copies for machines without a network), then in the cache, and only
then downloaded. Every copy, whatever its source, must match its sha256 before a
loader reads it, so a truncated or tampered file is never parsed.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

DATASETS_ENV = "MYELIN_DATASETS"
CACHE_ENV = "MYELIN_CACHE_DIR"
_CHUNK = 1 << 16


class DatasetError(OSError):
    """A dataset file could not be found, fetched or verified."""


class DownloadError(DatasetError):
    """The transfer failed: no network, an HTTP error or an interrupted connection."""


class ChecksumError(DatasetError):
    """A file's sha256 differs from the one pinned for it."""


@dataclass(frozen=True)
class RemoteFile:
    """One dataset file: where it lives and what its bytes must hash to.

    Attributes:
        dataset: Sub-directory name, e.g. ``"mnist"``.
        filename: The file's original name, e.g. ``"mnist.npz"``.
        url: Where to download it from, or ``None`` for files that are only ever
            pre-placed (no public copy).
        sha256: Hex digest the bytes must match.
    """

    dataset: str
    filename: str
    url: str | None
    sha256: str


def default_cache_dir(cache_dir: str | os.PathLike | None = None) -> Path:
    """The cache root: the argument, else ``$MYELIN_CACHE_DIR``, else ``~/.myelin/datasets``."""
    if cache_dir is not None:
        return Path(cache_dir).expanduser()
    env = os.environ.get(CACHE_ENV)
    return Path(env).expanduser() if env else Path.home() / ".myelin" / "datasets"


def sha256_of(path: str | os.PathLike) -> str:
    """Hex sha256 of a file, read in chunks so large files need little memory."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def get_file(
    remote: RemoteFile,
    path: str | os.PathLike | None = None,
    cache_dir: str | os.PathLike | None = None,
    timeout: float = 30.0,
) -> Path:
    """Return a local, checksum-verified copy of ``remote``, downloading it if needed.

    Args:
        remote: The file to fetch.
        path: Where to keep it in the cache: a name relative to
            ``<cache_dir>/<dataset>/`` or an absolute path. Defaults to the
            file's original name.
        cache_dir: Cache root; see :func:`default_cache_dir`.
        timeout: Seconds to wait on the network before giving up.

    Returns:
        The path of the verified file.

    Raises:
        ChecksumError: A pre-placed file or a fresh download has the wrong sha256.
        DownloadError: The file is not available locally and cannot be downloaded.
    """
    placed = _preplaced(remote)
    if placed is not None:
        actual = sha256_of(placed)
        if actual != remote.sha256:
            raise ChecksumError(
                f"'{placed}' does not match the pinned sha256 of {remote.filename}: expected "
                f"{remote.sha256}, got {actual}. Replace the file or unset {DATASETS_ENV}."
            )
        return placed
    target = default_cache_dir(cache_dir) / remote.dataset / (path or remote.filename)
    if target.is_file():
        if sha256_of(target) == remote.sha256:
            return target
        # A partial or corrupted copy from an earlier run: fetch it again.
        warnings.warn(
            f"Cached file {target} has the wrong sha256 (corrupt or partial); "
            "downloading it again.",
            RuntimeWarning,
            stacklevel=2,
        )
    if remote.url is None:
        raise DownloadError(
            f"'{remote.filename}' has no public download URL and was not found. Place it at "
            f"${DATASETS_ENV}/{remote.dataset}/{remote.filename} or at {target}."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    _download(remote, target, timeout)
    return target


def _preplaced(remote: RemoteFile) -> Path | None:
    root = os.environ.get(DATASETS_ENV)
    if not root:
        return None
    candidate = Path(root).expanduser() / remote.dataset / remote.filename
    return candidate if candidate.is_file() else None


def _download(remote: RemoteFile, target: Path, timeout: float) -> None:
    """Stream ``remote.url`` to a temporary file next to ``target``, verify, then rename.

    The rename is atomic, so ``target`` is either absent or complete and verified;
    every failure removes the temporary file.
    """
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _stream(remote, out, timeout, target)
            out.flush()
            os.fsync(out.fileno())
        if digest != remote.sha256:
            raise ChecksumError(
                f"Downloaded {remote.filename} from {remote.url} but its sha256 is {digest}, "
                f"expected {remote.sha256}. The server sent different bytes; nothing was cached."
            )
        os.chmod(tmp, 0o644)  # mkstemp makes it owner-only; a cache is meant to be shared
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _fsync_dir(target.parent)


def _stream(remote: RemoteFile, out, timeout: float, cache: Path) -> str:
    """Copy the response body into ``out``; return its sha256 hex digest."""
    # The network stack and the progress bar load only when a download happens, so
    # `import myelin` stays fast.
    import http.client
    import urllib.request

    from tqdm import tqdm

    digest = hashlib.sha256()
    received, expected, complete = 0, None, True
    request = urllib.request.Request(remote.url, headers={"User-Agent": "myelin"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            expected = int(length) if length and length.isdigit() else None
            with tqdm(
                total=expected,
                unit="B",
                unit_scale=True,
                desc=remote.filename,
                disable=not _stderr_is_tty(),
                leave=False,
            ) as bar:
                while chunk := response.read(_CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    received += len(chunk)
                    bar.update(len(chunk))
    except http.client.IncompleteRead:
        complete = False  # the connection closed before the announced end of the body
    except (OSError, http.client.HTTPException, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        placed = os.environ.get(DATASETS_ENV)
        looked = f" ({DATASETS_ENV}={placed} has no such file)" if placed else ""
        raise DownloadError(
            f"Could not download '{remote.filename}' from {remote.url} ({reason}). Without a "
            f"network, set {DATASETS_ENV} to a directory holding "
            f"{remote.dataset}/{remote.filename}{looked}, or copy the file to {cache}."
        ) from exc
    if not complete or (expected is not None and received != expected):
        raise DownloadError(
            f"Download of '{remote.filename}' from {remote.url} was interrupted: received "
            f"{received} of {expected if expected is not None else 'an unknown number of'} "
            "bytes. Nothing was cached; try again."
        )
    return digest.hexdigest()


def _stderr_is_tty() -> bool:
    # A progress bar is only drawn on a real terminal; in logs it would be noise.
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _fsync_dir(directory: Path) -> None:
    # Make the rename itself durable; not possible on every platform (Windows).
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
