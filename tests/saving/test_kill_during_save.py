"""SIGKILL in the middle of saving over a good model file leaves the good file loadable."""

import signal
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from myelin import backend
from myelin.layers import Dense
from myelin.models import Sequential
from myelin.saving import load_model, save_model

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")

sys.path.insert(0, str(Path(__file__).parent))
from _models import kill_when_ready  # noqa: E402

# A model large enough (~6 MB) that a save takes a noticeable time.
_CHILD_MODEL = """
import numpy as np
from myelin import backend
from myelin.layers import Dense
from myelin.models import Sequential
backend.set_seed(5)
model = Sequential([Dense(1500, input_shape=(1000,)), Dense(3)])
model.compile(optimizer="adam", loss="mse")
"""


@pytest.fixture
def good_file(tmp_path):
    backend.set_seed(5)  # the same model as the child's, before the child changes it
    model = Sequential([Dense(1500, input_shape=(1000,)), Dense(3)])
    model.compile(optimizer="adam", loss="mse")
    path = tmp_path / "model.myelin"
    save_model(model, path)
    return path, model.get_weights()


def _assert_still_good(path, weights):
    loaded = load_model(path)
    for a, b in zip(loaded.get_weights(), weights, strict=True):
        assert a.tobytes() == b.tobytes()


def test_kill_while_writing_the_archive(good_file):
    path, weights = good_file
    # The child pauses after writing the first member, so the kill surely lands mid-save.
    child = _CHILD_MODEL + textwrap.dedent(f"""
        import sys, time, zipfile
        from myelin.saving import save_model
        original = zipfile.ZipFile.writestr
        def slow_writestr(self, info, data, *args, **kwargs):
            original(self, info, data, *args, **kwargs)
            print("MID-SAVE", flush=True)
            time.sleep(60)
        zipfile.ZipFile.writestr = slow_writestr
        model.layers[1].kernel.assign_add(np.ones((1500, 3), np.float32))
        save_model(model, {str(path)!r})
    """)
    assert kill_when_ready(child, b"MID-SAVE") == -signal.SIGKILL
    leftovers = [p.name for p in path.parent.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) == 1 and leftovers[0].startswith(".model.myelin.")  # the partial one
    _assert_still_good(path, weights)


def test_kills_at_random_moments_of_repeated_saves(good_file):
    path, weights = good_file
    child = _CHILD_MODEL + textwrap.dedent(f"""
        from myelin.saving import save_model
        print("READY", flush=True)
        while True:
            model.layers[1].kernel.assign_add(np.ones((1500, 3), np.float32))
            save_model(model, {str(path)!r})
            print("SAVED", flush=True)
    """)
    rng = np.random.default_rng(0)
    versions = []
    # random moments after start-up, and last a moment after a save surely completed (a
    # loaded machine may not finish any save within the short delays)
    for marker in (b"READY", b"READY", b"READY", b"SAVED"):
        kill_when_ready(child, marker, delay=rng.uniform(0.05, 0.4))
        loaded = load_model(path)  # always a complete file: the old one or a new one
        assert loaded.layers[0].get_weights()[0].tobytes() == weights[0].tobytes()
        steps = loaded.layers[1].get_weights()[0] - weights[2]
        # one consistent version (the k-th save), never a mix of two
        np.testing.assert_allclose(steps, np.round(steps[0, 0]), atol=1e-4)
        versions.append(round(float(steps[0, 0])))
    assert max(versions) > 0  # saves did complete between the kills
