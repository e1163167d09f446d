"""The Model methods and callbacks built on the saving functions (Keras spellings)."""

import sys
from pathlib import Path

import numpy as np

from myelin import models
from myelin.callbacks import ModelCheckpoint

sys.path.insert(0, str(Path(__file__).parent))
from _models import assert_bit_identical, mnist, xor  # noqa: E402


def test_save_and_models_load_model(tmp_path):
    model, x, y = xor()
    model.fit(x, y, epochs=2, verbose=0)
    model.save(tmp_path / "xor.myelin")
    loaded = models.load_model(tmp_path / "xor.myelin")
    assert_bit_identical(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


def test_save_weights_and_load_weights(tmp_path):
    model, x, y = mnist()
    model.fit(x, y, epochs=1, batch_size=16, verbose=0)
    model.save_weights(tmp_path / "m.weights.npz")
    other, _, _ = mnist()
    other.load_weights(tmp_path / "m.weights.npz")
    assert_bit_identical(other.predict(x, verbose=0), model.predict(x, verbose=0))


def test_export_method(tmp_path):
    model, _, _ = xor()
    model.export(tmp_path / "xor.onnx", format="onnx")
    assert (tmp_path / "xor.onnx").stat().st_size > 0


def test_model_checkpoint_best_only_saves_a_loadable_best_model(tmp_path):
    model, x, y = xor()
    snapshots = []

    class Record(ModelCheckpoint):  # remembers the weights each time it saves
        def _save(self, epoch, batch, logs):
            before = self.best
            super()._save(epoch, batch, logs)
            if self.best != before:
                snapshots.append(self.model.get_weights())

    path = tmp_path / "ckpt" / "best.myelin"
    model.fit(x, y, epochs=5, verbose=0, callbacks=[
        Record(str(path), monitor="loss", save_best_only=True)])
    assert snapshots
    assert_bit_identical(models.load_model(path).get_weights(), snapshots[-1])


def test_model_checkpoint_weights_only_with_epoch_template(tmp_path):
    model, x, y = xor()
    template = str(tmp_path / "w.{epoch:02d}.weights.npz")
    model.fit(x, y, epochs=3, verbose=0, callbacks=[
        ModelCheckpoint(template, monitor="loss", save_weights_only=True)])
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        f"w.0{i}.weights.npz" for i in (1, 2, 3)]
    fresh, _, _ = xor()
    fresh.load_weights(tmp_path / "w.03.weights.npz")
    assert_bit_identical(fresh.get_weights(), model.get_weights())
    assert np.array_equal(fresh.predict(x, verbose=0), model.predict(x, verbose=0))
