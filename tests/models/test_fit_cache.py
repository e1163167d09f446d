"""Dataset.cache() under fit: filled by the first complete pass (so map runs once per
element however many epochs follow), discarded when a pass is cut short, as tf.data."""

import numpy as np
import pytest

from myelin import optimizers, utils
from myelin.callbacks import Callback
from myelin.data import Dataset
from myelin.layers import Dense, clear_session
from myelin.models import Sequential

RNG = np.random.default_rng(1)
X = RNG.normal(size=(96, 5)).astype(np.float32)
Y = (X @ np.arange(1.0, 6.0) > 0).astype(np.int64)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def model_():
    utils.set_random_seed(3)
    model = Sequential([Dense(4, activation="relu", input_shape=(5,)),
                        Dense(2, activation="softmax")])
    model.compile(optimizer=optimizers.SGD(0.1), loss="sparse_categorical_crossentropy")
    return model


class Counting:
    """A map function that counts its calls."""

    def __init__(self):
        self.calls = 0

    def __call__(self, x, y):
        self.calls += 1
        return x * 2.0, y


class CallsPerEpoch(Callback):
    """The map calls made by each epoch (the first counts the batch fit reads, and
    checks, before training starts)."""

    def __init__(self, fn):
        super().__init__()
        self.fn, self.per_epoch, self.seen = fn, [], 0

    def on_epoch_end(self, epoch, logs=None):
        self.per_epoch.append(self.fn.calls - self.seen)
        self.seen = self.fn.calls


def ready(dataset, fn):
    """Read the element_spec first (map calls its function once for it, as tf.data
    traces it once), so that only the calls for elements are counted."""
    assert dataset.element_spec[0].shape[-1] == 5
    fn.calls = 0


def fit_counting(pipeline, **kwargs):
    fn = Counting()
    counter = CallsPerEpoch(fn)
    dataset = pipeline(Dataset.from_tensor_slices((X, Y)).map(fn))
    ready(dataset, fn)
    model = model_()
    history = model.fit(dataset, epochs=3, verbose=0, callbacks=[counter], **kwargs)
    return counter.per_epoch, model, history


def test_fit_fills_the_memory_cache_on_the_first_epoch():
    # 96 rows in batches of 16: the last batch ends exactly at the step count
    per_epoch, model, history = fit_counting(lambda ds: ds.cache().batch(16))
    assert per_epoch == [96, 0, 0]
    reference = model_()
    ref = reference.fit(X * 2.0, Y, batch_size=16, epochs=3, shuffle=False, verbose=0)
    np.testing.assert_allclose(history.history["loss"], ref.history["loss"], rtol=1e-6)


def test_fit_fills_the_file_cache_and_a_new_dataset_reuses_it(tmp_path):
    path = tmp_path / "parsed"
    per_epoch, _, _ = fit_counting(lambda ds: ds.cache(str(path)).batch(16))
    assert per_epoch == [96, 0, 0]
    assert (tmp_path / "parsed.myelin-cache").exists()
    again, _, _ = fit_counting(lambda ds: ds.cache(str(path)).batch(16))
    assert again == [0, 0, 0]  # read back from the file written by the first fit


def test_validation_data_cache_is_filled_by_the_first_validation_pass():
    fn = Counting()
    val = Dataset.from_tensor_slices((X, Y)).map(fn).cache().batch(32)
    ready(val, fn)
    model = model_()
    model.fit(X, Y, batch_size=16, epochs=3, validation_data=val, verbose=0)
    assert fn.calls == 96  # the first validation pass filled the cache


def test_a_pass_cut_short_by_take_is_not_cached():
    # take(48) stops before the cache's input ends: tf.data discards the partial cache
    per_epoch, _, _ = fit_counting(lambda ds: ds.cache().take(48).batch(16))
    assert per_epoch == [48, 48, 48]


def test_steps_shorter_than_a_pass_fill_the_cache_when_the_pass_completes():
    # 6 batches, 3 per epoch: one pass spans epochs 1 and 2, then the cache serves
    per_epoch, _, _ = fit_counting(lambda ds: ds.cache().batch(16), steps_per_epoch=3)
    assert per_epoch == [48, 48, 0]
