"""Data behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np

import myelin as tf


def test_skip_minus_one_skips_everything_and_says_so_in_cardinality():
    # TF: skip(-1) skips the whole dataset, so its cardinality is 0.
    ds = tf.data.Dataset.range(5).skip(-1)
    assert int(ds.cardinality()) == 0
    assert list(ds.as_numpy_iterator()) == []


def test_take_then_batch_of_in_memory_rows_gives_the_first_rows():
    # take() over in-memory arrays keeps the fast row-gathering batch path.
    x = np.arange(20.0).reshape(10, 2)
    batches = list(tf.data.Dataset.from_tensor_slices(x).take(5).batch(2)
                   .as_numpy_iterator())
    assert [b.shape for b in batches] == [(2, 2), (2, 2), (1, 2)]
    np.testing.assert_array_equal(np.concatenate(batches), x[:5])
