"""The documentation site builds with no warning (mkdocs --strict), so a docstring that
mkdocstrings cannot parse, a broken page link or a reference to a missing module fails
the suite. Needs the ``docs`` extra (part of ``dev``, so CI has it)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_site_builds_strictly(tmp_path):
    pytest.importorskip("mkdocs", reason='needs the docs extra: pip install -e ".[docs]"')
    pytest.importorskip("mkdocstrings_handlers.python")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    assert "WARNING" not in result.stderr, result.stderr[-4000:]
    api = (tmp_path / "api" / "myelin" / "index.html").read_text()
    # the reference really holds the API, not an empty page
    for anchor in ('id="myelin.GradientTape"', 'id="myelin.square"', 'id="myelin.Variable"'):
        assert anchor in api
    assert 'id="myelin.layers.Dense"' in (tmp_path / "api" / "layers" / "index.html").read_text()
