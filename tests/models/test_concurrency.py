"""Issue 17, item 4: inference from many threads on one model; tapes are per thread."""

import sys
import threading

import numpy as np
import pytest

from myelin import GradientTape, Variable
from myelin.layers import BatchNormalization, Dense, Dropout, clear_session
from myelin.models import Sequential

X = np.random.default_rng(0).normal(size=(64, 6)).astype(np.float32)


@pytest.fixture
def tiny_switch_interval():
    previous = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads switch as often as CPython allows
    yield
    sys.setswitchinterval(previous)


def model():
    clear_session()
    m = Sequential([Dense(16, activation="relu", input_shape=(6,)), BatchNormalization(),
                    Dropout(0.5), Dense(3, activation="softmax")])
    m.compile("adam", "sparse_categorical_crossentropy")
    m.fit(X, np.arange(64) % 3, epochs=1, verbose=0)  # moving statistics are not trivial
    return m


def run_threads(target, count=8):
    results, errors = [None] * count, []

    def work(i):
        try:
            results[i] = target(i)
        except Exception as error:  # surfaced by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return results


def test_predict_and_call_from_many_threads_match_one_thread(tiny_switch_interval):
    m = model()
    expected = m.predict(X, batch_size=8, verbose=0)
    called = m(X[:5], training=False).numpy()

    def work(i):
        outs = []
        for _ in range(5):
            outs.append(m.predict(X, batch_size=8, verbose=0))
            outs.append(m(X[:5], training=False).numpy())
        return outs

    for outs in run_threads(work):
        for j, out in enumerate(outs):
            assert np.array_equal(out, expected if j % 2 == 0 else called)


def test_tapes_in_different_threads_do_not_see_each_others_operations(tiny_switch_interval):
    barrier = threading.Barrier(4)

    def work(i):
        v = Variable(np.float64(i + 1))
        with GradientTape() as tape:
            barrier.wait(30)  # all four tapes are open at once
            y = v * v * (i + 1)
            for _ in range(50):
                y = y + v * 0.0  # many recorded ops, interleaved with the other threads'
        return float(tape.gradient(y, v).numpy())

    grads = run_threads(work, count=4)
    assert grads == [2.0 * (i + 1) ** 2 for i in range(4)]
