"""``backend.one_blas_thread``: BLAS on the calling thread alone inside, the previous
count back afterwards (even after an error), nothing at all without OpenBLAS."""

import numpy as np
import pytest

from myelin import backend


def test_switches_to_one_thread_and_restores_the_count(monkeypatch):
    counts = [4]

    def switch(n):  # openblas_set_num_threads_local: sets, returns the previous count
        before, counts[0] = counts[0], n
        return before

    monkeypatch.setattr(backend, "_axpy", {"threads": switch})
    with backend.one_blas_thread():
        assert counts == [1]
    assert counts == [4]
    with pytest.raises(ZeroDivisionError), backend.one_blas_thread():
        assert counts == [1]
        _ = 1 / 0
    assert counts == [4]


def test_without_openblas_it_changes_nothing(monkeypatch):
    monkeypatch.setattr(backend, "_axpy", {})
    with backend.one_blas_thread():
        product = np.ones((2, 3)) @ np.ones((3, 2))
    np.testing.assert_array_equal(product, np.full((2, 2), 3.0))


def _fake_switch(monkeypatch, start=4):
    """A stand-in for OpenBLAS's process-wide count: sets it, returns the previous."""
    counts = [start]

    def switch(n):
        before, counts[0] = counts[0], n
        return before

    monkeypatch.setattr(backend, "_axpy", {"threads": switch})
    return counts


def test_two_threads_leaving_in_either_order_restore_the_count(monkeypatch):
    # OpenBLAS's count is process-wide: without the nesting count, the thread that
    # entered second saved 1 as "the previous count" and, leaving last, left the whole
    # process on one BLAS thread (every convnet fit did, before this was counted)
    import threading

    counts = _fake_switch(monkeypatch)
    entered, release = threading.Event(), threading.Event()

    def other():
        with backend.one_blas_thread():
            entered.set()
            release.wait(5)

    for first_out in ("main", "other"):
        worker = threading.Thread(target=other)
        with backend.one_blas_thread():
            worker.start()
            assert entered.wait(5)
            if first_out == "other":
                release.set()
                worker.join(5)
            assert counts == [1]
        assert counts == ([1] if first_out == "main" else [4])
        release.set()
        worker.join(5)
        assert counts == [4], f"count left at {counts[0]} when {first_out} left first"
        entered.clear()
        release.clear()


def test_a_convnet_trains_evaluates_predicts_on_one_blas_thread_and_restores_it(
        monkeypatch):
    import myelin as keras

    counts = _fake_switch(monkeypatch)
    seen = []

    class Spy(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            seen.append(counts[0])

        on_test_batch_end = on_predict_batch_end = on_train_batch_end

    x = np.random.default_rng(0).random((8, 6, 6, 1), np.float32)
    y = np.arange(8) % 2
    for layers, during in (
            ([keras.layers.Conv2D(2, 3), keras.layers.MaxPooling2D(), keras.layers.Flatten()],
             1),
            ([keras.layers.Flatten(), keras.layers.Dense(4)], 4)):
        model = keras.Sequential([keras.Input((6, 6, 1)), *layers, keras.layers.Dense(2)])
        model.compile("sgd", "sparse_categorical_crossentropy")
        seen.clear()
        model.fit(x, y, batch_size=4, epochs=1, verbose=0, callbacks=[Spy()])
        model.evaluate(x, y, batch_size=4, verbose=0, callbacks=[Spy()])
        model.predict(x, batch_size=8, verbose=0, callbacks=[Spy()])
        assert seen == [during] * 5
        assert counts == [4]
        # one sample is never split over the cores: the pool's count is left alone
        seen.clear()
        model.predict(x[:1], verbose=0, callbacks=[Spy()])
        assert seen == [4]
