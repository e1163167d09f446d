"""compile / fit / evaluate / predict: numbers against hand computation and Keras rules."""

import numpy as np
import pytest

from myelin import optimizers, utils
from myelin.callbacks import Callback, CallbackList
from myelin.layers import Dense, clear_session
from myelin.models import Model, Sequential, inputs


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _line(lr=0.1, loss="mse", metrics=None):
    model = Sequential([Dense(1, kernel_initializer="ones", input_shape=(1,))])
    model.compile(optimizer=optimizers.SGD(learning_rate=lr), loss=loss, metrics=metrics)
    return model


def test_one_sgd_step_by_hand():
    model = _line()
    history = model.fit([[1.0], [2.0]], [3.0, 5.0], epochs=1, shuffle=False, verbose=0)
    # pred [1, 2], error [-2, -3]: mse 6.5, dw = mean(2 e x) = -8, db = mean(2 e) = -5
    assert history.history == {"loss": [6.5]}
    kernel, bias = model.get_weights()
    np.testing.assert_allclose([kernel[0, 0], bias[0]], [1.8, 0.5], rtol=1e-6)


def test_epoch_loss_is_the_sample_weighted_mean_of_batch_losses():
    model = _line(lr=0.0)
    x = np.arange(5.0).reshape(-1, 1)
    y = np.array([1.0, 0.0, 4.0, 2.0, 9.0])
    history = model.fit(x, y, batch_size=2, epochs=1, verbose=0)  # batches of 2, 2, 1
    expected = np.mean((x[:, 0] - y) ** 2)
    assert history.history["loss"][0] == pytest.approx(expected, rel=1e-6)
    assert model.evaluate(x, y, verbose=0) == pytest.approx(expected, rel=1e-6)


def test_evaluate_returns_scalar_list_or_dict_like_keras():
    model = _line(lr=0.0, metrics=["mae"])
    x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])
    loss, mae = model.evaluate(x, y, verbose=0)
    assert (loss, mae) == pytest.approx((2.5, 1.5))
    assert model.evaluate(x, y, verbose=0, return_dict=True) == pytest.approx(
        {"loss": 2.5, "mae": 1.5})
    assert model.metrics_names == ["loss", "mae"]


def test_history_keys_and_validation_split_takes_the_last_samples():
    model = _line(lr=0.0, metrics=["mae"])
    x = np.arange(10.0).reshape(-1, 1)
    y = np.zeros(10)
    history = model.fit(x, y, epochs=2, validation_split=0.2, verbose=0)
    assert list(history.history) == ["loss", "mae", "val_loss", "val_mae"]
    assert history.history["val_loss"][0] == pytest.approx(np.mean(x[8:] ** 2))
    assert history.history["loss"][0] == pytest.approx(np.mean(x[:8] ** 2))
    assert history.epoch == [0, 1] and model.history is history


def test_validation_data_freq_and_initial_epoch():
    model = _line(lr=0.0)
    x, y = np.ones((4, 1)), np.zeros(4)
    history = model.fit(x, y, epochs=4, validation_data=(x, y + 1), validation_freq=2,
                        initial_epoch=1, verbose=0)
    assert history.epoch == [1, 2, 3]
    assert history.history["val_loss"] == [0.0, 0.0]  # epochs 2 and 4 (1-based)


def test_steps_per_epoch_limits_the_updates():
    model = _line()
    model.fit(np.ones((64, 1)), np.ones(64), batch_size=8, epochs=2, steps_per_epoch=3,
              verbose=0)
    assert int(model.optimizer.iterations.numpy()) == 6


def test_set_random_seed_makes_shuffled_training_bit_reproducible():
    def run():
        clear_session()
        utils.set_random_seed(123)
        model = Sequential([Dense(4, activation="relu", input_shape=(3,)), Dense(1)])
        model.compile("adam", "mse")
        x = np.random.default_rng(0).normal(size=(40, 3))
        model.fit(x, x.sum(axis=1), batch_size=4, epochs=2, verbose=0)
        return model.get_weights()

    first, second = run(), run()
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


def test_shuffle_false_uses_the_data_in_order():
    x = np.arange(6.0).reshape(-1, 1)
    y = 2 * x[:, 0]
    models = []
    for shuffle in (False, False, True):
        model = _line(lr=0.01)
        model.fit(x, y, batch_size=1, epochs=1, shuffle=shuffle, verbose=0)
        models.append(model.get_weights()[0])
    assert np.array_equal(models[0], models[1]) and not np.array_equal(models[0], models[2])


class Unfused(Model):
    """The same network as a subclassed model, which the trainer never fuses."""

    def __init__(self, units, activation):
        super().__init__()
        self.dense = Dense(units, activation=activation)

    def call(self, inputs, training=None):
        return self.dense(inputs)


@pytest.mark.parametrize("activation, loss, labels", [
    ("softmax", "sparse_categorical_crossentropy", np.array([0, 2, 1, 2])),
    ("softmax", "categorical_crossentropy", np.eye(3)[[0, 2, 1, 2]]),
    ("sigmoid", "binary_crossentropy", np.array([0.0, 1.0, 1.0, 0.0])),
])
def test_fused_logits_path_matches_the_probability_path(activation, loss, labels):
    units = 1 if activation == "sigmoid" else 3
    x = np.random.default_rng(0).normal(size=(4, 2)).astype(np.float32)
    fused = Sequential([Dense(units, activation=activation, input_shape=(2,))])
    plain = Unfused(units, activation)
    plain(x)
    plain.set_weights(fused.get_weights())
    for model in (fused, plain):
        model.compile(optimizers.SGD(learning_rate=0.5), loss, metrics=["accuracy"])
    assert fused._output_activation() == activation and plain._output_activation() is None
    h_fused = fused.fit(x, labels, epochs=3, shuffle=False, verbose=0).history
    h_plain = plain.fit(x, labels, epochs=3, shuffle=False, verbose=0).history
    np.testing.assert_allclose(h_fused["loss"], h_plain["loss"], rtol=1e-5)
    assert h_fused["accuracy"] == h_plain["accuracy"]
    for a, b in zip(fused.get_weights(), plain.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(fused.predict(x, verbose=0), plain.predict(x, verbose=0),
                               rtol=1e-5)


def test_sparse_cross_entropy_value_by_hand():
    model = Sequential([Dense(3, activation="softmax", kernel_initializer="zeros",
                              input_shape=(2,))])
    model.compile("sgd", "sparse_categorical_crossentropy", metrics=["accuracy"])
    loss, accuracy = model.evaluate(np.ones((4, 2)), np.array([0, 1, 2, 1]), verbose=0)
    assert loss == pytest.approx(np.log(3.0), rel=1e-6)  # uniform probabilities
    assert accuracy == 0.25  # argmax of equal scores is class 0


def test_sample_weight_and_class_weight_scale_the_loss():
    model = _line(lr=0.0)
    x, y = np.array([[1.0], [2.0]]), np.array([2.0, 4.0])  # squared errors 1 and 4
    assert model.evaluate(x, y, sample_weight=np.array([1.0, 0.5]), verbose=0) == (
        pytest.approx((1 + 2) / 2))
    clf = Sequential([Dense(1, activation="sigmoid", kernel_initializer="zeros",
                            input_shape=(1,))])
    clf.compile(optimizers.SGD(learning_rate=0.0), "binary_crossentropy")
    history = clf.fit(np.ones((2, 1)), np.array([0, 1]), class_weight={0: 1.0, 1: 3.0},
                      verbose=0)
    assert history.history["loss"][0] == pytest.approx(np.log(2) * (1 + 3) / 2, rel=1e-6)


def test_predict_is_batched_and_returns_float32_numpy():
    model = Sequential([Dense(2, input_shape=(3,))])
    x = np.random.default_rng(0).normal(size=(70, 3))
    out = model.predict(x, batch_size=32, verbose=0)
    assert isinstance(out, np.ndarray) and out.shape == (70, 2) and out.dtype == np.float32
    np.testing.assert_allclose(out, model(x).numpy(), rtol=1e-6)
    np.testing.assert_allclose(model.predict_on_batch(x[:5]), out[:5], rtol=1e-6)


def test_one_dimensional_features_become_one_column():
    model = _line(lr=0.0)
    out = model.predict([1.0, 2.0, 3.0], verbose=0)
    np.testing.assert_array_equal(out, [[1.0], [2.0], [3.0]])
    lazy = Sequential([Dense(1)])
    lazy.compile("sgd", "mse")
    lazy.fit([1.0, 2.0], [1.0, 2.0], verbose=0)
    assert lazy.input_shape == (None, 1)


def test_data_is_converted_once_ints_kept_for_sparse_labels():
    model = Sequential([Dense(3, activation="softmax", input_shape=(2,))])
    model.compile("sgd", "sparse_categorical_crossentropy")
    x, y, sw = inputs.prepare(model, np.ones((4, 2), dtype=np.float64), [[0], [1], [2], [1]], None,
                              None, "fit")
    assert x.dtype == np.float32 and y.dtype.kind == "i" and y.shape == (4,) and sw is None
    regression = _line()
    _, y, _ = inputs.prepare(regression, [[1], [2]], [3, 4], None, None, "fit")
    assert y.dtype == np.float32 and y.shape == (2, 1)


def test_on_batch_methods_accumulate_like_keras_3():
    model = _line(lr=0.0)
    x, y = np.array([[1.0]]), np.array([3.0])
    assert model.train_on_batch(x, y) == pytest.approx(4.0)
    assert model.train_on_batch(x, y + 2) == pytest.approx((4.0 + 16.0) / 2)
    model.reset_metrics()
    assert model.test_on_batch(x, y, return_dict=True) == pytest.approx({"loss": 4.0})


class Recorder(Callback):
    def __init__(self, stop_at=None):
        super().__init__()
        self.events, self.stop_at = [], stop_at

    def on_epoch_end(self, epoch, logs=None):
        self.events.append(("epoch", epoch, sorted(logs)))

    def on_train_batch_end(self, batch, logs=None):
        self.events.append(("batch", batch))
        if batch == self.stop_at:
            self.model.stop_training = True


def test_callbacks_see_batches_and_can_stop_training():
    model = _line()
    recorder = Recorder(stop_at=1)
    model.fit(np.ones((8, 1)), np.ones(8), batch_size=2, epochs=3, callbacks=[recorder],
              verbose=0)
    assert recorder.events == [("batch", 0), ("batch", 1), ("epoch", 0, ["loss"])]


def test_batch_hooks_are_skipped_when_no_callback_overrides_them(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("batch hook called")

    monkeypatch.setattr(CallbackList, "on_train_batch_end", forbidden)
    monkeypatch.setattr(CallbackList, "on_train_batch_begin", forbidden)

    class EpochsOnly(Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.last = logs

    callback = EpochsOnly()
    _line().fit(np.ones((8, 1)), np.ones(8), batch_size=2, callbacks=[callback], verbose=0)
    assert set(callback.last) == {"loss"}


def test_a_separable_problem_is_learned():
    utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    x = np.concatenate([rng.normal(-2, 0.5, (50, 2)), rng.normal(2, 0.5, (50, 2))])
    y = np.repeat([0, 1], 50)
    model = Sequential([Dense(8, activation="relu", input_shape=(2,)),
                        Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    history = model.fit(x, y, epochs=30, batch_size=16, verbose=0)
    assert history.history["accuracy"][-1] == 1.0
    assert history.history["loss"][-1] < history.history["loss"][0] / 3
    assert np.array_equal(model.predict(x, verbose=0).argmax(axis=1), y)


def test_compile_accepts_strings_classes_instances_and_functions():
    def mean_error(y_true, y_pred):
        from myelin import ops
        return ops.reduce_mean(ops.abs(ops.subtract(y_pred, y_true)), axis=-1)

    model = _line(lr=0.0)
    for optimizer in ("sgd", optimizers.SGD, optimizers.SGD(0.1)):
        model.compile(optimizer=optimizer, loss=mean_error)
        assert isinstance(model.optimizer, optimizers.SGD)
    assert model.evaluate(np.array([[1.0]]), np.array([3.0]), verbose=0) == pytest.approx(2.0)


class DropoutProbe(Model):
    """Records the training flag its Dropout sees."""

    def __init__(self):
        super().__init__()
        self.dense = Dense(1, kernel_initializer="zeros")
        self.flags = []

    def call(self, inputs, training=None):
        self.flags.append(training)
        return self.dense(inputs)


def test_subclassed_model_fits_with_training_true_and_predicts_with_false():
    model = DropoutProbe()
    model.compile(optimizers.SGD(learning_rate=0.1), "mse")
    x = np.array([[1.0], [2.0]])
    history = model.fit(x, np.array([2.0, 4.0]), epochs=20, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0] / 10
    assert True in model.flags
    model.flags.clear()
    model.predict(x, verbose=0)
    assert model.flags == [False]


def test_frozen_model_fits_without_updates_and_warns():
    model = _line()
    model.trainable = False
    before = model.get_weights()
    with pytest.warns(UserWarning, match="has no trainable weights"):
        history = model.fit(np.ones((4, 1)), np.zeros(4), verbose=0)
    assert history.history["loss"] == [1.0]
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
