"""Freed array memory is kept for reuse, so repeated training steps do not page-fault."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")
# A training step's pattern: temporaries of a few hundred KB to a few MB, freed and
# allocated again, 200 times; prints the minor page faults of the loop.
STEP_LOOP = """
import resource, numpy as np, myelin
sizes = [300_000, 600_000, 1_200_000, 80_000, 2_400_000]
def step():
    arrays = [np.ones(n // 4, np.float32) for n in sizes]
    return sum(float(a[-1]) for a in arrays)
step()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(200):
    step()
print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def _faults(**env):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    out = subprocess.run([sys.executable, "-c", STEP_LOOP], capture_output=True, text=True,
                         env={**clean, "PYTHONPATH": SRC, **env}, check=True)
    return int(out.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc tuning")
def test_repeated_steps_reuse_freed_memory_instead_of_faulting_it_in():
    assert _faults() < 200  # about 0 when freed memory is kept


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc malloc tuning")
def test_a_user_malloc_setting_is_left_alone():
    # With the user's own malloc environment myelin does not tune, and glibc's default
    # returns and re-faults the memory every step (the cost the tuning removes).
    assert _faults(MALLOC_ARENA_MAX="8") > 500
