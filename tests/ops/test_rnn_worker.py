"""The LSTM's helper thread: same numbers whatever the timing, errors reach the caller,
and no thread outlives a call."""

import threading
import time

import numpy as np
import pytest

from myelin.ops import rnn_lstm
from myelin.ops.rnn_worker import Helper


def _lstm_call(seed=3, steps=None, go_backwards=False):
    """Forward and backward of the gate-row LSTM over several groups, float32."""
    rng = np.random.default_rng(seed)
    steps = steps or 3 * rnn_lstm._GROUP + 5
    b, f, n = 4, 3, 5
    x = rng.normal(size=(b, steps, f)).astype(np.float32)
    k, u = (rng.normal(size=s).astype(np.float32) * 0.5 for s in ((f, 4 * n), (n, 4 * n)))
    bias = rng.normal(size=4 * n).astype(np.float32) * 0.5
    lstm = rnn_lstm.GateRowsLSTM(n)
    hs, h, c = lstm.forward(x, k, u, bias, None, None, go_backwards)
    d_seq = rng.normal(size=hs.shape).astype(np.float32)
    grads = lstm.backward(d_seq, np.ones_like(h), np.ones_like(c), True)
    return [np.array(hs), h, c] + [np.array(g) for g in grads]


@pytest.mark.parametrize("go_backwards", [False, True])
def test_results_are_bit_identical_inline_threaded_and_with_a_slow_helper(
        monkeypatch, go_backwards):
    monkeypatch.setattr(rnn_lstm, "_OVERLAP", True)  # threaded even on one core
    threaded = _lstm_call(go_backwards=go_backwards)
    monkeypatch.setattr(rnn_lstm, "_OVERLAP", False)
    inline = _lstm_call(go_backwards=go_backwards)
    monkeypatch.setattr(rnn_lstm, "_OVERLAP", True)
    add = rnn_lstm._WeightGrads.add
    delays = iter([0.004, 0.0, 0.002, 0.0, 0.003] * 10)

    def slow_add(self, *args):
        time.sleep(next(delays))  # the step loop runs ahead of the helper
        add(self, *args)

    copy = rnn_lstm._project

    def slow_copy(*args):
        time.sleep(next(delays))
        copy(*args)

    monkeypatch.setattr(rnn_lstm._WeightGrads, "add", slow_add)
    monkeypatch.setattr(rnn_lstm, "_project", slow_copy)
    slow = _lstm_call(go_backwards=go_backwards)
    for a, b, c in zip(threaded, inline, slow, strict=True):
        assert np.array_equal(a, b) and np.array_equal(a, c)
    # and the gradients are real numbers, not a shared zero buffer
    assert np.abs(threaded[3]).sum() > 1 and np.abs(threaded[4]).sum() > 1


def test_a_failing_helper_job_raises_in_the_caller_and_leaves_no_thread(monkeypatch):
    monkeypatch.setattr(rnn_lstm, "_OVERLAP", True)
    before = threading.active_count()
    calls = []

    def failing_add(self, *args):
        calls.append(args[-1])
        if len(calls) == 2:
            raise MemoryError("group product failed")

    monkeypatch.setattr(rnn_lstm._WeightGrads, "add", failing_add)
    with pytest.raises(MemoryError, match="group product failed"):
        _lstm_call()
    assert len(calls) == 2  # the jobs after the failure were skipped
    assert threading.active_count() == before


def test_a_normal_call_leaves_no_thread(monkeypatch):
    monkeypatch.setattr(rnn_lstm, "_OVERLAP", True)
    before = threading.active_count()
    _lstm_call()
    _lstm_call(steps=rnn_lstm._GROUP)  # one group: inline, no thread at all
    assert threading.active_count() == before


def test_helper_runs_jobs_in_order_and_joins_when_the_caller_raises():
    out = []
    before = threading.active_count()
    with pytest.raises(KeyError):
        with Helper(threaded=True) as helper:
            for i in range(5):
                helper.submit(lambda i=i: (time.sleep(0.001 * (i % 2)), out.append(i)))
            raise KeyError("caller failed")
    assert out == [0, 1, 2, 3, 4]
    assert threading.active_count() == before


@pytest.mark.parametrize("threaded", [False, True])
def test_helper_error_surfaces_at_wait_or_exit(threaded):
    def boom():
        raise ValueError("job 1 failed")

    with pytest.raises(ValueError, match="job 1 failed"):
        with Helper(threaded) as helper:
            helper.submit(lambda: None)
            helper.wait(helper.submit(boom))
    with pytest.raises(ValueError, match="job 1 failed"):
        with Helper(threaded) as helper:
            helper.submit(boom)  # never waited for: raised on leaving the block
