"""Write a file so that readers see either the old bytes or the new ones, never a mix.

The new content goes to a temporary file in the target's directory (same file
system, so the final ``os.replace`` is a single atomic rename), is flushed and
fsynced, and only then renamed over the target; the directory is fsynced too so
the rename itself survives a power cut. A process killed at any point leaves the
previous file intact (and at worst a stray ``.<name>.*.tmp`` beside it).
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


@contextlib.contextmanager
def atomic_write(path: str | os.PathLike, overwrite: bool = True) -> Iterator[BinaryIO]:
    """Open a binary temporary file that replaces ``path`` when the block exits cleanly.

    Args:
        path: The file to create or replace. Its directory must exist.
        overwrite: If False and ``path`` exists, raise ``FileExistsError`` before
            writing anything.

    Yields:
        A writable, seekable binary file object. If the block raises, the
        temporary file is removed and ``path`` is left untouched.

    Example:
        >>> with atomic_write("model.myelin") as f:
        ...     f.write(payload)
    """
    target = Path(path)
    if not overwrite and target.exists():
        raise FileExistsError(
            f"atomic_write: {str(target)!r} already exists and overwrite=False. "
            "Pass overwrite=True to replace it, or choose another path."
        )
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise FileNotFoundError(
            f"atomic_write: the directory {str(directory)!r} for {str(target)!r} does not "
            "exist. Create it first (e.g. os.makedirs)."
        )
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w+b") as tmp:
            yield tmp
            tmp.flush()
            os.fsync(tmp.fileno())
        _keep_mode(target, tmp_name)
        os.replace(tmp_name, target)
    except OSError as error:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        if error.filename is not None or error.errno is None:
            raise  # already names its file (or is not an I/O failure of ours)
        raise _named(error, target) from error
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    _fsync_directory(directory)


# Why a write failed and what the user can do, for the errors a full disk or a limit raise.
_CAUSES = {
    errno.EFBIG: "the file-size limit was reached (see `ulimit -f` / RLIMIT_FSIZE)",
    errno.ENOSPC: "the disk is full",
    getattr(errno, "EDQUOT", -1): "the disk quota is exhausted",
}


def _named(error: OSError, target: Path) -> OSError:
    """The same kind of OSError (same errno), naming the file, the cause and the state."""
    cause = _CAUSES.get(error.errno, error.strerror or str(error))
    return OSError(error.errno, f"could not write {str(target)!r}: {cause}. The previous "
                                f"file (if any) is intact; free space or raise the limit, "
                                f"or save elsewhere")


def write_bytes_atomic(path: str | os.PathLike, data: bytes, overwrite: bool = True) -> None:
    """Atomically replace ``path`` with ``data`` (see ``atomic_write``)."""
    with atomic_write(path, overwrite=overwrite) as f:
        f.write(data)


def _keep_mode(target: Path, tmp_name: str) -> None:
    # mkstemp creates 0600 files; give the result the permissions a plain open() would.
    try:
        mode = target.stat().st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp_name, mode)


def _fsync_directory(directory: Path) -> None:
    # Makes the rename durable on POSIX; Windows cannot open directories, and there
    # the rename is already as durable as the platform allows.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
