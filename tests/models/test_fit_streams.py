"""fit / evaluate / predict fed by a Dataset, a generator or a PyDataset: the same
numbers as the arrays they hold, Keras's rules for steps, and clear errors."""

import io
import itertools
import threading
import warnings

import numpy as np
import pytest

from myelin import optimizers, utils
from myelin.callbacks import Callback, ProgbarLogger
from myelin.data import Dataset, TensorSpec
from myelin.layers import Dense, clear_session
from myelin.models import Sequential

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 5)).astype(np.float32)
Y = (X @ np.arange(1.0, 6.0) > 0).astype(np.int64)
W = RNG.uniform(0.5, 2.0, size=96).astype(np.float32)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def model_():
    utils.set_random_seed(3)
    model = Sequential([Dense(8, activation="relu", input_shape=(5,)),
                        Dense(2, activation="softmax")])
    model.compile(optimizer=optimizers.SGD(0.1), loss="sparse_categorical_crossentropy",
                  metrics=["accuracy"])
    return model


def trained_on_arrays(epochs=2, **kwargs):
    model = model_()
    history = model.fit(X, Y, batch_size=16, epochs=epochs, shuffle=False, verbose=0, **kwargs)
    return model, history


def assert_same_weights(a, b):
    for wa, wb in zip(a.get_weights(), b.get_weights(), strict=True):
        np.testing.assert_allclose(wa, wb, rtol=1e-6, atol=1e-7)


def batches(x, y, size=16, sample_weight=None):
    for lo in range(0, len(x), size):
        part = slice(lo, lo + size)
        yield (x[part], y[part]) if sample_weight is None else (
            x[part], y[part], sample_weight[part])


class Batches(utils.PyDataset):
    def __init__(self, size=16, **kwargs):
        super().__init__(**kwargs)
        self.size, self.epochs_ended, self.threads = size, 0, set()

    def __len__(self):
        return -(-len(X) // self.size)

    def __getitem__(self, index):
        self.threads.add(threading.get_ident())
        part = slice(index * self.size, (index + 1) * self.size)
        return X[part], Y[part]

    def on_epoch_end(self):
        self.epochs_ended += 1


def test_dataset_trains_exactly_like_the_arrays_it_holds():
    reference, history = trained_on_arrays()
    model = model_()
    got = model.fit(Dataset.from_tensor_slices((X, Y)).batch(16), epochs=2, verbose=0)
    assert_same_weights(model, reference)
    np.testing.assert_allclose(got.history["loss"], history.history["loss"], rtol=1e-6)


def test_dataset_with_sample_weights_equals_fit_with_sample_weight():
    reference, _ = trained_on_arrays(sample_weight=W)
    model = model_()
    model.fit(Dataset.from_tensor_slices((X, Y, W)).batch(16), epochs=2, verbose=0)
    assert_same_weights(model, reference)


def test_prefetched_mapped_pipeline_equals_arrays():
    reference, _ = trained_on_arrays()
    model = model_()
    ds = Dataset.from_tensor_slices((X * 2, Y)).map(lambda x, y: (x / 2, y)).batch(16)
    model.fit(ds.prefetch(2), epochs=2, verbose=0)
    assert_same_weights(model, reference)


def test_generator_with_steps_per_epoch_continues_across_epochs():
    reference, _ = trained_on_arrays(epochs=3)
    model = model_()
    endless = itertools.cycle(list(batches(X, Y)))
    model.fit(endless, steps_per_epoch=6, epochs=3, verbose=0)
    assert_same_weights(model, reference)


def test_pydataset_threads_and_processes_give_the_same_training():
    reference, _ = trained_on_arrays()
    for kwargs in ({}, {"workers": 3}, {"workers": 2, "use_multiprocessing": True}):
        model = model_()
        data = Batches(**kwargs)
        model.fit(data, epochs=2, shuffle=False, verbose=0)
        assert_same_weights(model, reference)
        assert data.epochs_ended == 2
    threaded = Batches(workers=3)
    model_().fit(threaded, epochs=1, shuffle=False, verbose=0)
    assert threading.get_ident() not in threaded.threads


def test_pydataset_shuffle_reorders_batches_not_samples():
    model = model_()
    history = model.fit(Batches(), epochs=1, verbose=0)  # shuffle=True: batch order
    reference, ref_history = trained_on_arrays(epochs=1)
    assert history.history["loss"][0] != pytest.approx(ref_history.history["loss"][0])


def test_validation_data_may_be_a_dataset_generator_or_pydataset():
    model, history = trained_on_arrays(validation_data=(X[:40], Y[:40]))
    expected = history.history["val_loss"]
    sources = [
        lambda: Dataset.from_tensor_slices((X[:40], Y[:40])).batch(7),
        lambda: itertools.cycle(list(batches(X[:40], Y[:40], 20))),
    ]
    for make in sources:
        model = model_()
        steps = None if isinstance(make(), Dataset) else 2
        got = model.fit(X, Y, batch_size=16, epochs=2, shuffle=False, verbose=0,
                        validation_data=make(), validation_steps=steps)
        np.testing.assert_allclose(got.history["val_loss"], expected, rtol=1e-5)


def test_evaluate_and_predict_take_datasets_and_generators():
    model, _ = trained_on_arrays()
    loss, accuracy = model.evaluate(X, Y, verbose=0)
    ds = Dataset.from_tensor_slices((X, Y)).batch(10)
    np.testing.assert_allclose(model.evaluate(ds, verbose=0), [loss, accuracy], rtol=1e-6)
    np.testing.assert_allclose(model.evaluate(batches(X, Y), verbose=0), [loss, accuracy],
                               rtol=1e-6)
    expected = model.predict(X, verbose=0)
    np.testing.assert_allclose(model.predict(ds, verbose=0), expected, rtol=1e-6)
    only_x = Dataset.from_tensor_slices(X).batch(10)
    np.testing.assert_allclose(model.predict(only_x, verbose=0), expected, rtol=1e-6)
    np.testing.assert_allclose(model.predict(ds, steps=2, verbose=0), expected[:20],
                               rtol=1e-6)


class Params(Callback):
    def __init__(self):
        super().__init__()
        self.steps = []

    def on_epoch_begin(self, epoch, logs=None):
        self.steps.append(self.params["steps"])


def test_progress_steps_are_known_or_open_then_measured():
    known = Params()
    model_().fit(Dataset.from_tensor_slices((X, Y)).batch(16), epochs=2, verbose=0,
                 callbacks=[known])
    assert known.steps == [6, 6]
    spec = (TensorSpec((None, 5), "float32"), TensorSpec((None,), "int64"))
    unknown = Params()
    ds = Dataset.from_generator(lambda: batches(X, Y), output_signature=spec)
    model_().fit(ds, epochs=3, verbose=0, callbacks=[unknown])
    assert unknown.steps == [None, 6, 6]


def test_evaluate_reports_the_counted_steps_of_an_unsized_dataset():
    model, _ = trained_on_arrays()
    spec = (TensorSpec((None, 5), "float32"), TensorSpec((None,), "int64"))
    ds = Dataset.from_generator(lambda: batches(X, Y), output_signature=spec)
    out = io.StringIO()
    model.evaluate(ds, verbose=2, callbacks=[ProgbarLogger(stream=out)])
    assert out.getvalue().startswith("6/6 - ")


def test_a_finite_generator_trains_one_pass_then_warns():
    model = model_()
    with pytest.warns(UserWarning, match="ran out of data"):
        history = model.fit(batches(X, Y), epochs=3, verbose=0)
    assert len(history.history["loss"]) == 1


def test_infinite_inputs_need_steps():
    model = model_()
    with pytest.raises(ValueError, match="infinite, so steps_per_epoch"):
        model.fit(Dataset.from_tensor_slices((X, Y)).batch(16).repeat(), verbose=0)
    with pytest.raises(ValueError, match="infinite, so steps_per_epoch"):
        model.fit(itertools.cycle([(X, Y)]), verbose=0)
    with pytest.raises(ValueError, match="infinite, so validation_steps"):
        model.fit(X, Y, verbose=0, validation_data=itertools.repeat((X, Y)))


def test_a_bad_batch_names_the_step_and_both_shapes_and_changes_nothing():
    model = model_()
    model.fit(X, Y, epochs=1, verbose=0)
    before = model.get_weights()

    def drifting():
        yield X[:16], Y[:16]
        yield X[16:32], Y[16:32]
        yield X[32:48, :3], Y[32:48]

    with pytest.raises(ValueError, match=r"step 2.*\(16, 3\).*first batch had x of shape "
                                         r"\(16, 5\)"):
        model.fit(drifting(), epochs=1, verbose=0)
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_dict_inputs_to_a_one_input_model_name_the_inputs():
    model = model_()
    ds = Dataset.from_tensor_slices(({"pixels": X, "extra": X}, Y)).batch(16)
    with pytest.raises(TypeError, match=r"x is a dict of inputs \['extra', 'pixels'\], but "
                                        r"this model takes one input array"):
        model.fit(ds, verbose=0)


def test_unbatched_dataset_gets_a_batch_hint():
    model = model_()
    with pytest.raises(ValueError, match=r"call \.batch\(batch_size\)"):
        model.fit(Dataset.from_tensor_slices((X, Y)), verbose=0)


def test_bad_stream_arguments():
    model = model_()
    ds = Dataset.from_tensor_slices((X, Y)).batch(16)
    with pytest.raises(ValueError, match="`y` should not be passed"):
        model.fit(ds, Y, verbose=0)
    with pytest.raises(ValueError, match="validation_split is only supported for arrays"):
        model.fit(ds, validation_split=0.2, verbose=0)
    with pytest.raises(ValueError, match="yields only inputs x"):
        model.fit(Dataset.from_tensor_slices(X).batch(16), verbose=0)
    with pytest.raises(ValueError, match="yielded no batches"):
        model.fit(ds.take(0), verbose=0)
    with pytest.raises(ValueError, match="class_weight is not supported"):
        model.fit(batches(X, Y), class_weight={0: 1.0, 1: 2.0}, verbose=0)
    with pytest.raises(ValueError, match="needed for 2 passes. Pass validation_steps"):
        model.fit(X, Y, epochs=2, validation_data=batches(X, Y), verbose=0)
    with pytest.raises(TypeError, match=r"batches is a generator function; pass the "
                                        r"generator it returns, e.g. fit\(batches\(\)"):
        model.fit(batches, verbose=0)
    with pytest.raises(ValueError, match="tuple of 4 items"):
        model.fit(iter([(X, Y, W, W)]), verbose=0)


def test_class_weight_on_a_dataset_equals_class_weight_on_arrays():
    weights = {0: 1.0, 1: 3.0}
    reference, _ = trained_on_arrays(class_weight=weights)
    model = model_()
    model.fit(Dataset.from_tensor_slices((X, Y)).batch(16), epochs=2, class_weight=weights,
              verbose=0)
    assert_same_weights(model, reference)


def test_dataset_with_steps_shorter_than_a_pass_continues_then_restarts():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # 6 batches, 3 per epoch: nothing runs out
        reference, _ = trained_on_arrays(epochs=2)
        model = model_()
        model.fit(Dataset.from_tensor_slices((X, Y)).batch(16), steps_per_epoch=3, epochs=4,
                  verbose=0)
    assert_same_weights(model, reference)


class Endless(utils.PyDataset):
    def __init__(self, fail_at=None, **kwargs):
        super().__init__(**kwargs)
        self.fail_at = fail_at

    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        if index == self.fail_at:
            raise IndexError(f"no batch {index} on disk")
        part = slice((index % 6) * 16, (index % 6 + 1) * 16)
        return X[part], Y[part]


def test_endless_pydataset_needs_steps_and_worker_errors_reach_fit():
    model = model_()
    with pytest.raises(ValueError, match="infinite, so steps_per_epoch"):
        model.fit(Endless(), verbose=0)
    reference, _ = trained_on_arrays(epochs=2)
    model.fit(Endless(workers=2), steps_per_epoch=6, epochs=2, verbose=0)
    assert_same_weights(model, reference)
    before = model.get_weights()
    with pytest.raises(IndexError, match="no batch 3 on disk"):
        model.fit(Endless(fail_at=3, workers=2), steps_per_epoch=6, verbose=0)
    for a, b in zip(model.get_weights(), before, strict=True):
        np.testing.assert_array_equal(a, b)


def test_pydataset_that_skips_super_init_warns_and_still_trains():
    class Bare(utils.PyDataset):
        def __init__(self):  # no super().__init__()
            pass

        def __len__(self):
            return 6

        def __getitem__(self, index):
            return X[index * 16:(index + 1) * 16], Y[index * 16:(index + 1) * 16]

    reference, _ = trained_on_arrays(epochs=1)
    model = model_()
    with pytest.warns(UserWarning, match=r"should call `super\(\).__init__"):
        model.fit(Bare(), shuffle=False, verbose=0)
    assert_same_weights(model, reference)
