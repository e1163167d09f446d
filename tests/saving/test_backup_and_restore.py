"""BackupAndRestore: a crashed fit, run again, ends bit-identical to an uninterrupted one."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from myelin import backend
from myelin.callbacks.backup_and_restore import (
    BACKUP_NAME,
    BackupAndRestore,
    restore_backup,
    write_backup,
)
from myelin.saving import UnsafeFileError

sys.path.insert(0, str(Path(__file__).parent))
import _resume_job as job  # noqa: E402
from _models import assert_bit_identical as _assert_bit_identical  # noqa: E402
from _models import python_env  # noqa: E402

JOB = str(Path(__file__).with_name("_resume_job.py"))


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory):
    model, history = job.train(tmp_path_factory.mktemp("clean") / "backup")
    assert history.epoch == list(range(job.EPOCHS))
    return model.get_weights()


def test_killed_process_resumes_bit_identical(tmp_path, uninterrupted):
    backup, out = tmp_path / "backup", tmp_path / "out.npz"
    crashed = subprocess.run([sys.executable, JOB, str(backup), "3", str(out)], env=python_env(),
                             capture_output=True, timeout=60)
    assert crashed.returncode == 17, crashed.stderr.decode()
    assert (backup / BACKUP_NAME).exists() and not out.exists()
    resumed = subprocess.run([sys.executable, JOB, str(backup), "-1", str(out)], env=python_env(),
                             capture_output=True, timeout=60)
    assert resumed.returncode == 0, resumed.stderr.decode()
    with np.load(out) as saved:
        assert saved["epochs"].tolist() == [3, 4, 5]  # epochs 0-2 were not trained again
        weights = [saved[f"arr_{i}"] for i in range(len(uninterrupted))]
    _assert_bit_identical(weights, uninterrupted)
    assert not backup.exists()  # deleted once training completed


def test_exception_then_fit_again_resumes_bit_identical(tmp_path, uninterrupted):
    backup = tmp_path / "backup"
    model = job.make_model()
    with pytest.raises(RuntimeError, match="simulated crash"):
        job.train(backup, crash_epoch=3, exit_process=False, model=model)
    assert (backup / BACKUP_NAME).exists()
    backend.set_seed(99)  # whatever happened to the random stream since is undone
    model, history = job.train(backup, model=model)
    assert history.epoch == [3, 4, 5]
    _assert_bit_identical(model.get_weights(), uninterrupted)


def test_a_different_seed_would_differ(tmp_path, uninterrupted):
    # The comparison above is meaningful: training is sensitive to the random state.
    model = job.make_model()
    backend.set_seed(8)
    model, _ = job.train(tmp_path / "b", model=model)
    assert any(a.tobytes() != b.tobytes() for a, b in zip(model.get_weights(), uninterrupted,
                                                          strict=True))


def test_backup_restores_optimizer_epoch_and_random_state(tmp_path):
    model = job.make_model()
    x, y = job.data()
    model.fit(x, y, epochs=2, batch_size=16, verbose=0)
    path = tmp_path / "b.zip"
    random_state = {"rng": backend.get_rng_state(), "layer_rngs": [
        model.layers[2]._rng.bit_generator.state]}
    write_backup(model, path, 2, random_state)
    expected_draw = backend.rng().random()
    weights, optimizer_state = model.get_weights(), model.optimizer.get_state()

    other = job.make_model()
    other.fit(x[:16], y[:16], epochs=1, verbose=0)  # builds the optimizer, changes everything
    backend.set_seed(123)
    assert restore_backup(other, path) == 2
    _assert_bit_identical(other.get_weights(), weights)
    _assert_bit_identical(other.optimizer.get_state(), optimizer_state)
    assert int(other.optimizer.iterations.numpy()) == 12
    assert backend.rng().random() == expected_draw
    assert other.layers[2]._rng.bit_generator.state == random_state["layer_rngs"][0]


def test_hostile_backup_is_refused_without_changing_the_model(tmp_path):
    model = job.make_model()
    path = tmp_path / "b.zip"
    write_backup(model, path, 1, {"rng": {"bit_generator": "evil"}, "layer_rngs": [
        model.layers[2]._rng.bit_generator.state]})
    before = model.get_weights()
    rng_before = backend.get_rng_state()
    with pytest.raises(UnsafeFileError, match="invalid random state"):
        restore_backup(model, path)
    _assert_bit_identical(model.get_weights(), before)
    assert backend.get_rng_state() == rng_before
    path.write_bytes(b"not a zip")
    with pytest.raises(UnsafeFileError, match="not a complete zip"):
        restore_backup(model, path)


def test_save_freq_in_batches_writes_mid_epoch(tmp_path):
    class Check(job.Callback):
        seen = []

        def on_train_batch_end(self, batch, logs=None):
            self.seen.append((tmp_path / "b" / BACKUP_NAME).exists())

    model = job.make_model()
    x, y = job.data()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0, callbacks=[
        BackupAndRestore(tmp_path / "b", save_freq=2), Check()])
    assert Check.seen == [False, True, True, True, True, True]
    assert not (tmp_path / "b").exists()


def test_keeps_other_files_and_the_backup_when_asked(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("mine")
    model = job.make_model()
    x, y = job.data()
    model.fit(x, y, epochs=1, verbose=0, callbacks=[BackupAndRestore(tmp_path / "b")])
    assert (tmp_path / "b" / "notes.txt").read_text() == "mine"
    model.fit(x, y, epochs=1, verbose=0,
              callbacks=[BackupAndRestore(tmp_path / "b", delete_checkpoint=False)])
    assert (tmp_path / "b" / BACKUP_NAME).exists()


@pytest.mark.parametrize("kwargs, match", [
    ({"backup_dir": ""}, "backup_dir must be"),
    ({"backup_dir": "d", "save_freq": 0}, "save_freq must be"),
    ({"backup_dir": "d", "save_freq": "batch"}, "save_freq must be"),
])
def test_invalid_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        BackupAndRestore(**kwargs)
