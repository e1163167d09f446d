"""ModelCheckpoint: save the model (or its weights) during training."""

import os

import numpy as np

from .monitor import MonitorCallback


class ModelCheckpoint(MonitorCallback):
    """Save the model every epoch (or every ``save_freq`` batches), optionally only
    when the monitored quantity improves.

    ``filepath`` may hold ``str.format`` fields filled from the epoch (1-based) and
    the logs, e.g. ``"ckpt/weights.{epoch:02d}-{val_loss:.2f}.weights.npz"``.
    Saving calls ``model.save(path)`` or, with ``save_weights_only``,
    ``model.save_weights(path)``.

    Args:
        filepath: path or path template.
        monitor: quantity compared by ``save_best_only``.
        verbose: 1 prints each save decision.
        save_best_only: save only when ``monitor`` improves.
        save_weights_only: save the weights rather than the whole model.
        mode: ``"auto"``, ``"min"`` or ``"max"``.
        save_freq: ``"epoch"`` or a number of batches.
        initial_value_threshold: a value the first save has to beat.

    Example:
        >>> ckpt = ModelCheckpoint("best.keras", monitor="val_accuracy",
        ...                        save_best_only=True)
    """

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, baseline=initial_value_threshold)
        if save_freq != "epoch" and not (isinstance(save_freq, int) and save_freq > 0):
            raise ValueError(f"ModelCheckpoint: save_freq must be 'epoch' or a positive "
                             f"number of batches, received {save_freq!r}.")
        self.filepath = os.fspath(filepath)
        self.verbose, self.save_best_only = verbose, save_best_only
        self.save_weights_only, self.save_freq = save_weights_only, save_freq
        self.best = initial_value_threshold
        self._current_epoch = 0
        self._batches_since_save = 0

    def on_epoch_begin(self, epoch, logs=None):
        self._current_epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._current_epoch, batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch, None, logs)

    def _path(self, epoch, batch, logs):
        fields = {**(logs or {}), "epoch": epoch + 1}
        if batch is not None:
            fields["batch"] = batch + 1
        try:
            return self.filepath.format(**fields)
        except KeyError as e:
            raise KeyError(
                f"ModelCheckpoint: cannot fill filepath '{self.filepath}': no value for "
                f"{e}. Available: {', '.join(fields)}."
            ) from None

    def _should_save(self, epoch, logs, path):
        if not self.save_best_only:
            return True
        current = (logs or {}).get(self.monitor)
        if current is None or np.ndim(current) > 0:
            self._monitor_value(logs, "saving the best model")
            return True
        if self._is_improvement(current, self.best):
            if self.verbose > 0:
                best = "None" if self.best is None else f"{self.best:.5f}"
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {best} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
            return True
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from {self.best:.5f}")
        return False

    def _save(self, epoch, batch, logs):
        path = self._path(epoch, batch, logs)
        if not self._should_save(epoch, logs, path):
            return
        if os.path.isdir(path):
            raise IsADirectoryError(f"ModelCheckpoint: filepath '{path}' is an existing "
                                    f"directory; give a file name.")
        directory = os.path.dirname(path)
        if directory:
            os.makedirs(directory, exist_ok=True)
        if self.save_weights_only:
            self.model.save_weights(path)
        else:
            self.model.save(path)
        if self.verbose > 0 and not self.save_best_only:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
