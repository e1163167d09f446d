"""atomic_write: the target holds the old bytes or the new ones, never a mix."""

import os
import signal
import sys
import textwrap
from pathlib import Path

import pytest

from myelin.saving.atomic import atomic_write, write_bytes_atomic

sys.path.insert(0, str(Path(__file__).parent))
from _models import kill_when_ready  # noqa: E402


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_replaces_content_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "f.bin"
    write_bytes_atomic(target, b"old")
    write_bytes_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert _leftovers(tmp_path) == []


def test_error_inside_block_keeps_old_file_and_removes_temporary(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"good")
    with pytest.raises(RuntimeError, match="boom"):
        with atomic_write(target) as f:
            f.write(b"half")
            raise RuntimeError("boom")
    assert target.read_bytes() == b"good"
    assert _leftovers(tmp_path) == []


def test_overwrite_false_refuses_before_writing(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"good")
    with pytest.raises(FileExistsError, match="overwrite=False"):
        write_bytes_atomic(target, b"new", overwrite=False)
    assert target.read_bytes() == b"good"
    assert _leftovers(tmp_path) == []


def test_missing_directory_is_named(tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        write_bytes_atomic(tmp_path / "nope" / "f.bin", b"x")


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_keeps_permissions_of_replaced_file(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"old")
    os.chmod(target, 0o640)
    write_bytes_atomic(target, b"new")
    assert target.stat().st_mode & 0o777 == 0o640


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_while_writing_keeps_old_file(tmp_path):
    target = tmp_path / "f.bin"
    target.write_bytes(b"good" * 1000)
    child = textwrap.dedent(f"""
        import sys, time
        from myelin.saving.atomic import atomic_write
        with atomic_write({str(target)!r}) as f:
            f.write(b"partial")
            f.flush()
            print("WRITING", flush=True)
            time.sleep(30)
            f.write(b"never")
    """)
    assert kill_when_ready(child, b"WRITING") == -signal.SIGKILL
    assert target.read_bytes() == b"good" * 1000
