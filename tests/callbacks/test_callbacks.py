"""Callbacks driven by a tiny fake model: patience counting, learning-rate changes,
files written, and the progress output format."""

import io
import math
import os

import numpy as np
import pytest

from myelin import callbacks, optimizers
from myelin.autodiff import constant


class FakeModel:
    """The model interface callbacks may use, and nothing else."""

    def __init__(self, lr=0.1):
        self.stop_training = False
        self.optimizer = optimizers.SGD(lr)
        self.weights = [np.zeros(2)]
        self.saved = []

    def get_weights(self):
        return [w.copy() for w in self.weights]

    def set_weights(self, weights):
        self.weights = [w.copy() for w in weights]

    def save(self, path):
        self.saved.append(("model", path))
        open(path, "w").close()

    def save_weights(self, path):
        self.saved.append(("weights", path))
        open(path, "w").close()


def fit(callback_list, model, epoch_logs, batches=0):
    """Drive the hooks like a trainer; epoch e sets the weights to [e, e]."""
    cbs = callbacks.CallbackList(callback_list, model=model, verbose=0,
                                 epochs=len(epoch_logs), steps=batches)
    cbs.on_train_begin()
    for epoch, logs in enumerate(epoch_logs):
        cbs.on_epoch_begin(epoch)
        for batch in range(batches):
            cbs.on_train_batch_begin(batch)
            cbs.on_train_batch_end(batch, {"loss": logs.get("loss", 0.0)})
        model.weights = [np.full(2, float(epoch))]
        cbs.on_epoch_end(epoch, dict(logs))
        if model.stop_training:
            break
    cbs.on_train_end()
    return epoch


def test_early_stopping_counts_patience_and_restores_best():
    model = FakeModel()
    losses = [1.0, 0.8, 0.9, 0.85, 0.95, 0.5]  # best at epoch 1, two worse epochs after
    stop = callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    last = fit([stop], model, [{"val_loss": v} for v in losses])
    assert last == 3 and stop.stopped_epoch == 3 and model.stop_training
    assert stop.best == 0.8 and stop.best_epoch == 1
    np.testing.assert_array_equal(model.weights[0], [1.0, 1.0])


def test_early_stopping_min_delta_mode_baseline_and_warmup():
    model = FakeModel()
    stop = callbacks.EarlyStopping(monitor="accuracy", patience=1, min_delta=0.05)
    last = fit([stop], model, [{"accuracy": a} for a in (0.5, 0.52, 0.53, 0.9)])
    assert stop.monitor_op(1, 0) and last == 1  # +0.02 is below min_delta: stop at once
    model = FakeModel()
    # improvements above the baseline do not reset patience (stops at 2, not 3)
    losses = [{"loss": v} for v in (0.9, 0.8, 0.85, 0.95)]
    assert fit([callbacks.EarlyStopping(monitor="loss", patience=2)], model, losses) == 3
    stop = callbacks.EarlyStopping(monitor="loss", patience=2, baseline=0.5)
    assert fit([stop], FakeModel(), losses) == 2
    model = FakeModel()
    stop = callbacks.EarlyStopping(monitor="loss", patience=0, start_from_epoch=3)
    assert fit([stop], model, [{"loss": v} for v in (1, 2, 3, 4, 5)]) == 4
    with pytest.raises(ValueError, match="mode='max' or mode='min'"):
        fit([callbacks.EarlyStopping(monitor="weird")], FakeModel(), [{"weird": 1.0}] * 2)


def test_early_stopping_warns_when_monitor_missing():
    with pytest.warns(UserWarning, match="'val_loss', which is not available.*loss"):
        fit([callbacks.EarlyStopping()], FakeModel(), [{"loss": 1.0}])


def test_reduce_lr_on_plateau_with_cooldown_and_floor():
    model = FakeModel(lr=1.0)
    reduce = callbacks.ReduceLROnPlateau(monitor="loss", factor=0.5, patience=2, cooldown=1,
                                         min_lr=0.2)
    rates = []
    history = callbacks.History()
    probe = callbacks.LambdaCallback(
        on_epoch_end=lambda e, logs: rates.append(float(model.optimizer.learning_rate)))
    fit([reduce, probe, history], model, [{"loss": 1.0}] * 9)
    # Keras's counting: a reduction when wait reaches 2 (epochs 2, 4, 6); the cooldown
    # epoch after each resets wait but counts once the counter is back to 0; floor 0.2
    assert rates == pytest.approx([1.0, 1.0, 0.5, 0.5, 0.25, 0.25, 0.2, 0.2, 0.2])
    assert history.history["learning_rate"][:3] == pytest.approx([1.0, 1.0, 1.0])
    with pytest.raises(ValueError, match="factor must be below 1.0"):
        callbacks.ReduceLROnPlateau(factor=1.5)


def test_learning_rate_scheduler(capsys):
    model = FakeModel(lr=1.0)
    sched = callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr,
                                            verbose=1)
    history = callbacks.History()
    fit([sched, history], model, [{"loss": 1.0}] * 3)
    assert history.history["learning_rate"] == pytest.approx([1.0, 0.5, 0.25])
    assert "Epoch 2: LearningRateScheduler setting learning rate to 0.5." in \
        capsys.readouterr().out
    fit([callbacks.LearningRateScheduler(lambda epoch: 0.1 * (epoch + 1))], model,
        [{"loss": 1.0}] * 2)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.2)
    with pytest.raises(ValueError, match="must return a float"):
        fit([callbacks.LearningRateScheduler(lambda e, lr: "fast")], model, [{}])


def test_terminate_on_nan_sets_stop_training():
    model = FakeModel()
    last = fit([callbacks.TerminateOnNaN()], model, [{"loss": 1.0}, {"loss": math.nan},
                                                     {"loss": 1.0}], batches=2)
    assert model.stop_training and last == 1
    with pytest.raises(RuntimeError, match="NaN or Inf loss"):
        fit([callbacks.TerminateOnNaN(raise_error=True)], FakeModel(), [{"loss": math.inf}],
            batches=1)


def test_csv_logger_content_and_append(tmp_path):
    path = tmp_path / "log.csv"
    fit([callbacks.CSVLogger(path)], FakeModel(),
        [{"loss": 0.5, "accuracy": 0.75}, {"loss": 0.25, "accuracy": 1.0}])
    assert path.read_text() == (
        "epoch,accuracy,loss,val_accuracy,val_loss\n"
        "0,0.75,0.5,NA,NA\n"
        "1,1.0,0.25,NA,NA\n")
    fit([callbacks.CSVLogger(path, separator=";", append=True)], FakeModel(),
        [{"loss": 0.125, "val_loss": 0.5}])
    assert path.read_text().splitlines()[-1] == "0;0.125;0.5"
    assert path.read_text().count("epoch") == 1


def test_model_checkpoint_formats_paths_and_keeps_best(tmp_path):
    model = FakeModel()
    template = str(tmp_path / "ckpt" / "m.{epoch:02d}-{val_loss:.2f}.keras")
    ckpt = callbacks.ModelCheckpoint(template, save_best_only=True)
    fit([ckpt], model, [{"val_loss": v} for v in (0.5, 0.7, 0.25)])
    assert [p for _, p in model.saved] == [str(tmp_path / "ckpt" / "m.01-0.50.keras"),
                                           str(tmp_path / "ckpt" / "m.03-0.25.keras")]
    model = FakeModel()
    weights = callbacks.ModelCheckpoint(str(tmp_path / "w.weights.npz"), save_weights_only=True)
    fit([weights], model, [{"val_loss": 1.0}] * 2)
    assert model.saved == [("weights", str(tmp_path / "w.weights.npz"))] * 2
    model = FakeModel()
    fit([callbacks.ModelCheckpoint(str(tmp_path / "b{batch}.keras"), save_freq=2)], model,
        [{"loss": 1.0}], batches=4)
    assert [p for _, p in model.saved] == [str(tmp_path / "b2.keras"),
                                           str(tmp_path / "b4.keras")]
    with pytest.raises(KeyError, match="no value for 'acc'"):
        fit([callbacks.ModelCheckpoint(str(tmp_path / "{acc}.keras"))], FakeModel(), [{}])


def test_history_and_callback_list_plain_logs():
    model = FakeModel()
    history = callbacks.History()
    seen = []
    probe = callbacks.LambdaCallback(on_epoch_end=lambda e, logs: seen.append(logs))
    fit([probe, history], model, [{"loss": constant(0.5), "acc": np.float32(0.25)}])
    assert history.history == {"loss": [0.5], "acc": [0.25]} and history.epoch == [0]
    assert type(seen[0]["loss"]) is float and model.history is history
    assert callbacks.CallbackList([], add_history=True, add_progbar=True).history is not None
    with pytest.raises(TypeError, match="expected Callback instances"):
        callbacks.CallbackList([print])
    with pytest.raises(ValueError, match="unknown hook 'on_epoch_middle'"):
        callbacks.LambdaCallback(on_epoch_middle=print)


def progbar(verbose, stream, epochs=3, steps=2):
    bar = callbacks.ProgbarLogger(stream=stream)
    bar.set_params({"verbose": verbose, "epochs": epochs, "steps": steps})
    return bar


def drive(bar, epochs=2, steps=2):
    bar.on_train_begin()
    for epoch in range(epochs):
        bar.on_epoch_begin(epoch)
        for batch in range(steps):
            bar.on_train_batch_end(batch, {"loss": 0.7, "accuracy": 0.5})
        bar.on_epoch_end(epoch, {"loss": 0.69314718, "accuracy": 0.5, "val_loss": 0.0001})
    bar.on_train_end()


def test_progress_verbose_2_one_plain_line_per_epoch():
    out = io.StringIO()
    drive(progbar(2, out))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and "\r" not in out.getvalue() and "\b" not in out.getvalue()
    for i, line in enumerate(lines, start=1):
        head, seconds, rest = line.split(" - ", 2)
        assert head == f"Epoch {i}/3" and seconds.endswith("s") and float(seconds[:-1]) >= 0
        assert rest == "loss: 0.6931 - accuracy: 0.5000 - val_loss: 1.0000e-04"


def test_progress_auto_and_1_never_redraw_on_a_pipe():
    for verbose in ("auto", 1):
        out = io.StringIO()
        drive(progbar(verbose, out))
        assert out.getvalue().count("\n") == 2 and "\r" not in out.getvalue()
    out = io.StringIO()
    drive(progbar(0, out))
    assert out.getvalue() == ""


class FakeTerminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_bar_on_a_terminal():
    out = FakeTerminal()
    bar = progbar("auto", out)
    assert bar.verbose == 1
    drive(bar)
    text = out.getvalue()
    assert "\r" in text and "Epoch 2/3" in text and "2/2" in text
    assert "val_loss=" in text or "val_loss: 1.0000e-04" in text


class ZeroSizeTerminal(FakeTerminal):
    """A terminal that reports 0 columns and 0 rows, as some CI ptys and `script` do."""

    def __init__(self):
        super().__init__()
        self._master, self._slave = os.openpty()  # a fresh pty has size 0 x 0

    def fileno(self):
        return self._slave

    def close(self):
        os.close(self._master)
        os.close(self._slave)
        super().close()


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_progress_bar_on_a_terminal_that_reports_no_size():
    out = ZeroSizeTerminal()
    try:
        drive(progbar("auto", out))
        text = out.getvalue()
    finally:
        out.close()
    assert "Epoch 2/3" in text and "2/2" in text and "loss: 0.6931" in text


def test_progress_evaluate_and_predict_lines():
    out = io.StringIO()
    bar = progbar(2, out, steps=3)
    bar.on_test_begin()
    for batch in range(3):
        bar.on_test_batch_end(batch, {"loss": 0.25})
    bar.on_test_end({"loss": 0.25, "accuracy": 1.0})
    bar.on_predict_begin()
    for batch in range(3):
        bar.on_predict_batch_end(batch, {"outputs": None})
    bar.on_predict_end()
    first, second = out.getvalue().splitlines()
    assert first.startswith("3/3 - ") and first.endswith("s - loss: 0.2500 - accuracy: 1.0000")
    assert second.startswith("3/3 - ") and second.endswith("s")
    with pytest.raises(ValueError, match="verbose must be 0, 1, 2 or 'auto'"):
        progbar(3, out)
