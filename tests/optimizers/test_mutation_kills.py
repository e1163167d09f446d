"""Optimizer behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import pytest

import myelin as tf


@pytest.mark.parametrize("bad", [True, "1.0", 0.0, -1.0])
def test_clipnorm_must_be_a_positive_real_number(bad):
    # A bool is a Real in Python, but clipnorm=True is a mistake, not a norm of 1.
    with pytest.raises(ValueError, match=f"SGD: clipnorm must be a positive number, "
                                         f"received {bad!r}"):
        tf.keras.optimizers.SGD(clipnorm=bad)
