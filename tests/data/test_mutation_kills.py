"""Data behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import myelin as tf


def test_skip_minus_one_skips_everything_and_says_so_in_cardinality():
    # TF: skip(-1) skips the whole dataset, so its cardinality is 0.
    ds = tf.data.Dataset.range(5).skip(-1)
    assert int(ds.cardinality()) == 0
    assert list(ds.as_numpy_iterator()) == []
