"""Issue 17, item 6: a save that hits a write limit keeps the old file and says why."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

JOB = str(Path(__file__).with_name("_fsize_job.py"))


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_save_over_the_file_size_limit_keeps_the_previous_file(tmp_path):
    target = tmp_path / "model.myelin"
    done = subprocess.run([sys.executable, JOB, str(target)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["error"] == "OSError"  # still an OSError (errno 27), now explained:
    assert str(target) in report["message"]
    assert "file-size limit" in report["message"] and "intact" in report["message"]
    assert report["intact"] and report["loads"]
    assert [p.name for p in tmp_path.iterdir()] == ["model.myelin"]  # no temporary left
