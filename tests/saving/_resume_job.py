"""A small training run for the crash-and-resume tests (run in-process or as a script).

Usage: python _resume_job.py BACKUP_DIR CRASH_EPOCH OUT.npz
CRASH_EPOCH < 0 trains without crashing; otherwise the process dies with os._exit
in the middle of that epoch (0-based), as a kill would leave it.
"""

import os
import sys

import numpy as np

from myelin import backend
from myelin.callbacks import Callback
from myelin.callbacks.backup_and_restore import BackupAndRestore
from myelin.layers import Dense, Dropout
from myelin.models import Sequential

EPOCHS = 6


class DieMidEpoch(Callback):
    def __init__(self, epoch, exit_process=True):
        super().__init__()
        self.crash_epoch, self.exit_process, self._epoch = epoch, exit_process, None

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        if self._epoch == self.crash_epoch and batch == 2:
            if self.exit_process:
                os._exit(17)  # no cleanup, no on_train_end: like SIGKILL
            raise RuntimeError("simulated crash")


def data():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(96, 5)).astype(np.float32)
    y = (x[:, 0] * x[:, 1] > 0).astype(np.float32)
    return x, y


def make_model():
    backend.set_seed(7)
    model = Sequential([Dense(16, activation="relu", input_shape=(5,)), Dropout(0.3),
                        Dropout(0.2, seed=3), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model


def train(backup_dir, crash_epoch=-1, exit_process=True, model=None):
    model = model or make_model()
    x, y = data()
    callbacks = [BackupAndRestore(backup_dir)]
    if crash_epoch >= 0:
        callbacks.append(DieMidEpoch(crash_epoch, exit_process))
    history = model.fit(x, y, epochs=EPOCHS, batch_size=16, callbacks=callbacks, verbose=0)
    return model, history


if __name__ == "__main__":
    trained, hist = train(sys.argv[1], int(sys.argv[2]))
    np.savez(sys.argv[3], *trained.get_weights(), epochs=np.array(hist.epoch))
