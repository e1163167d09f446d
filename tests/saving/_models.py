"""The seed tutorials' models, small data for them, and helpers shared by the saving tests."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

from myelin.layers import Dense, Embedding, GlobalAveragePooling1D
from myelin.models import Sequential

SRC = str(Path(__file__).resolve().parents[2] / "src")


def house():
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    x = np.arange(1, 7, dtype=np.float32).reshape(-1, 1)
    return model, x, 0.5 + 0.5 * x[:, 0]


def imdb():
    model = Sequential([Embedding(10000, 16), GlobalAveragePooling1D(),
                        Dense(16, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    rng = np.random.default_rng(1)
    return model, rng.integers(0, 10000, size=(32, 20)), rng.integers(0, 2, 32).astype("f4")


def mnist():
    model = Sequential([Dense(300, activation="relu", input_shape=(784,)),
                        Dense(100, activation="relu"), Dense(10, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    rng = np.random.default_rng(2)
    return model, rng.random((64, 784), dtype=np.float32), rng.integers(0, 10, 64)


def xor():
    model = Sequential([Dense(4, activation="tanh", input_shape=(2,)),
                        Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float32)
    return model, x, np.array([0, 1, 1, 0], dtype=np.float32)


SEEDS = {"house": house, "imdb": imdb, "mnist": mnist, "xor": xor}


def assert_bit_identical(arrays_a, arrays_b):
    assert len(arrays_a) == len(arrays_b)
    for a, b in zip(arrays_a, arrays_b, strict=True):
        a, b = np.asarray(a), np.asarray(b)
        assert a.dtype == b.dtype and a.shape == b.shape
        assert a.tobytes() == b.tobytes()


class Touch:
    """Unpickling this creates ``marker``: its absence proves no code from a file ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def pickled_npy(marker) -> bytes:
    """A ``.npy`` holding a pickled object array whose loading would create ``marker``."""
    buffer = io.BytesIO()
    np.save(buffer, np.array([Touch(marker)], dtype=object), allow_pickle=True)
    return buffer.getvalue()


def python_env() -> dict:
    """The environment for a child ``python`` that imports this checkout's myelin."""
    extra = os.environ.get("PYTHONPATH")
    return dict(os.environ, PYTHONPATH=SRC + (os.pathsep + extra if extra else ""))


def kill_when_ready(code: str, ready: bytes, delay: float = 0.0) -> int:
    """Run ``code`` in a child, SIGKILL it ``delay`` s after it prints the line ``ready``
    (other lines before it are skipped); its status."""
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            env=python_env())
    try:
        assert any(line.strip() == ready for line in proc.stdout), f"no {ready!r} line"
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=10)
        proc.stdout.close()
    return proc.returncode
