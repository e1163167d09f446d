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
