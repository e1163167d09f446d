"""Model behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np

import myelin as tf
from myelin.models.snapshot import Snapshot


def _validated_epochs(validation_freq):
    """The 0-based epochs of a 6-epoch fit whose logs hold val_loss."""
    x = np.arange(8.0).reshape(8, 1)
    model = tf.keras.Sequential([tf.keras.Input((1,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    seen = []
    record = tf.keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: seen.append((epoch, "val_loss" in logs)))
    model.fit(x, x, epochs=6, validation_data=(x, x), validation_freq=validation_freq,
              verbose=0, callbacks=[record])
    return [epoch for epoch, validated in seen if validated]


def test_validation_runs_every_validation_freq_epochs_counted_from_1():
    # Keras: validation_freq=3 validates after epochs 3 and 6 (0-based 2 and 5).
    assert _validated_epochs(3) == [2, 5]


def test_a_validation_freq_list_names_1_based_epochs():
    # tf.keras: validation_freq=[1, 4] validates after the 1st and the 4th epoch.
    assert _validated_epochs([1, 4]) == [0, 3]


def test_a_snapshot_of_16_mib_goes_to_a_file_and_comes_back_exact():
    big = np.arange(16 * 2**20 // 8, dtype=np.float64)  # exactly SPILL_BYTES
    small = big[:-1]
    spilled, kept = Snapshot([big]), Snapshot([small])
    assert spilled._file is not None and kept._file is None
    np.testing.assert_array_equal(spilled.arrays()[0], big)
    np.testing.assert_array_equal(kept.arrays()[0], small)
