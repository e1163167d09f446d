"""Metric behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np
import pytest

import myelin as tf


def test_sparse_top_k_accuracy_defaults_to_k_5():
    # Scores 0.7 > 0.6 > ... > 0.1: class 2 is the 5th highest, class 1 the 6th.
    scores = np.array([[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]] * 2)
    hits = tf.keras.metrics.sparse_top_k_categorical_accuracy([2, 1], scores)
    np.testing.assert_array_equal(np.asarray(hits), [1.0, 0.0])


def test_three_evenly_spaced_thresholds_clip_predictions_as_keras_buckets_them():
    # Keras buckets evenly spaced thresholds (3 or more) after clipping predictions to
    # [0, 1]: 1.5 counts as 1.0, which is not above the threshold 1.0.
    m = tf.keras.metrics.TruePositives(thresholds=[0.0, 0.5, 1.0])
    m.update_state([1, 1], [0.7, 1.5])
    np.testing.assert_array_equal(np.asarray(m.result()), [2.0, 2.0, 0.0])


def test_metric_repr_names_class_and_name():
    assert repr(tf.keras.metrics.Mean(name="loss_mean")) == "<Mean name=loss_mean>"


def test_fbeta_threshold_accepts_1_and_refuses_0():
    # Keras: threshold in (0, 1]; 1.0 means only predictions of exactly 1 count.
    m = tf.keras.metrics.FBetaScore(threshold=1.0)
    assert m.threshold == 1.0
    with pytest.raises(ValueError, match=r"FBetaScore: threshold must be a Python float in "
                                         r"\(0, 1\] or None, received 0.0"):
        tf.keras.metrics.FBetaScore(threshold=0.0)


def test_mean_with_per_element_weights_is_the_weighted_mean_of_all_elements():
    # sum(v * w) / sum(w) = (1 + 3 + 4) / 3: each sample's weight is the mean of its row.
    m = tf.keras.metrics.Mean()
    m.update_state([[1.0, 2.0], [3.0, 4.0]], sample_weight=[[1.0, 0.0], [1.0, 1.0]])
    np.testing.assert_allclose(float(m.result()), 8.0 / 3.0, rtol=1e-6)
