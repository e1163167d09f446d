"""Training runs that receive a real SIGINT, for the interrupted-fit tests.

Usage: python _sigint_job.py MODE
MODE "mid_step": the signal is sent from inside the optimizer's update (between two
variables' updates) of step 7. MODE "external": the parent sends it at any time
after this process prints "ready". Either way the process prints one JSON line
describing what fit left behind, then exits.
"""

import json
import os
import signal
import sys

import numpy as np

from myelin import optimizers
from myelin.callbacks import Callback
from myelin.constraints import Constraint
from myelin.layers import Dense
from myelin.models import Sequential

RNG = np.random.default_rng(0)
X = RNG.normal(size=(64, 4)).astype(np.float32)
Y = (X @ np.array([1.0, -2.0, 0.5, 3.0], np.float32))[:, None]
BATCH = 8


class SignalOnUpdate(Constraint):
    """Sends SIGINT while the optimizer is between variable updates, at one update."""

    def __init__(self, at):
        self.at, self.calls = at, 0

    def __call__(self, w):
        self.calls += 1
        if self.calls == self.at:
            os.kill(os.getpid(), signal.SIGINT)
        return w


class Ready(Callback):
    def on_train_batch_end(self, batch, logs=None):
        if batch == 0 and not getattr(self, "said", False):
            self.said = True
            print("ready", flush=True)


def make(constraint=None):
    model = Sequential([Dense(16, activation="tanh", input_shape=(4,),
                              kernel_constraint=constraint), Dense(1)])
    model.compile(optimizers.SGD(learning_rate=0.01, momentum=0.9), "mse")
    return model


def replay(start, count):
    """The weights after exactly ``count`` uninterrupted steps from ``start``."""
    model = make()
    model.set_weights(start)
    for i in range(count):
        lo = (i % (len(X) // BATCH)) * BATCH
        model.train_on_batch(X[lo:lo + BATCH], Y[lo:lo + BATCH])
    return model.get_weights()


def main(mode):
    model = make(SignalOnUpdate(7) if mode == "mid_step" else None)
    start = model.get_weights()
    epochs = 3 if mode == "mid_step" else 100_000
    report = {}
    try:
        model.fit(X, Y, batch_size=BATCH, epochs=epochs, shuffle=False, verbose=0,
                  callbacks=[] if mode == "mid_step" else [Ready()])
        report["interrupted"] = False
    except KeyboardInterrupt as error:
        report["interrupted"] = True
        report["notes"] = getattr(error, "__notes__", [])
    steps = int(model.optimizer.iterations.numpy())
    expected = replay(start, steps)
    report["steps"] = steps
    report["consistent"] = all(np.array_equal(a, b)
                               for a, b in zip(expected, model.get_weights(), strict=True))
    history = getattr(model, "history", None)
    report["epochs_in_history"] = len(history.history.get("loss", [])) if history else 0
    print(json.dumps(report), flush=True)


if __name__ == "__main__":
    # A parent started in the background may pass SIGINT on ignored; a user's
    # terminal would not, so restore Python's own handler.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main(sys.argv[1])
