"""Issue 3, item 8: every bad input gets a clear error and changes nothing.

Each case checks that the message names what was expected and what was received,
and that the weights and the optimizer are exactly as before the failed call.
"""

import sys
import warnings

import numpy as np
import pytest

from myelin import optimizers
from myelin.callbacks import Callback
from myelin.layers import Dense, Embedding, GlobalAveragePooling1D, clear_session
from myelin.models import Sequential

X = np.random.default_rng(0).normal(size=(20, 4)).astype(np.float32)
LABELS = np.arange(20) % 3


def classifier():
    clear_session()
    model = Sequential([Dense(5, activation="relu", input_shape=(4,)),
                        Dense(3, activation="softmax")])
    model.compile(optimizers.SGD(learning_rate=0.1, momentum=0.9),
                  "sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def regressor():
    clear_session()
    model = Sequential([Dense(1, input_shape=(4,))])
    model.compile("sgd", "mse")
    return model


def two_inputs_two_outputs():
    """A functional model: inputs 'a' (4 features) and 'b' (2), outputs 'value', 'kind'."""
    from myelin import keras

    clear_session()
    a, b = keras.Input(shape=(4,), name="a"), keras.Input(shape=(2,), name="b")
    x = keras.layers.concatenate([a, b])
    model = keras.Model([a, b], [Dense(1, name="value")(x),
                                 Dense(3, activation="softmax", name="kind")(x)])
    model.compile(optimizers.SGD(learning_rate=0.1, momentum=0.9),
                  ["mse", "sparse_categorical_crossentropy"])
    return model


B = np.ones((20, 2), np.float32)
VALUES = np.zeros((20, 1), np.float32)


def with_nan(array, index):
    array = array.astype(np.float64)
    array[index] = np.nan
    return array


# (name, model factory, fit kwargs, regex the message must match)
FIT_CASES = [
    ("wrong feature count", classifier, dict(x=np.ones((20, 5)), y=LABELS),
     r"Dense layer 'dense' expects inputs with 4 features \(last axis\) but received shape "
     r"\(20, 5\)"),
    ("label out of range", classifier, dict(x=X, y=np.where(LABELS == 2, 3, LABELS)),
     r"y contains the label 3 at index 2, but the model has 3 output classes.*\[0, 3\)"),
    ("negative label", classifier, dict(x=X, y=np.where(LABELS == 2, -1, LABELS)),
     r"y contains the negative label -1 at index 2; class labels must be in \[0, 3\)"),
    ("non-integer label", classifier, dict(x=X, y=LABELS + 0.5),
     r"y holds 0.5 at index 0, but sparse_categorical_crossentropy expects integer"),
    ("x/y length mismatch", classifier, dict(x=X, y=LABELS[:19]),
     r"x has 20 samples but y has 19 samples"),
    ("NaN in x", classifier, dict(x=with_nan(X, (3, 1)), y=LABELS),
     r"x contains nan at index \(3, 1\) \(sample 3\)"),
    ("inf in y", regressor, dict(x=X, y=np.where(np.arange(20) == 7, np.inf, 1.0)),
     r"y contains inf at index 7 \(sample 7\)"),
    ("batch_size 0", classifier, dict(x=X, y=LABELS, batch_size=0),
     r"batch_size must be a positive integer, received 0"),
    ("batch_size negative", classifier, dict(x=X, y=LABELS, batch_size=-4),
     r"batch_size must be a positive integer, received -4"),
    ("epochs negative", classifier, dict(x=X, y=LABELS, epochs=-1),
     r"epochs must be an integer >= 0, received -1"),
    ("validation_split 1", classifier, dict(x=X, y=LABELS, validation_split=1.0),
     r"validation_split must be a float in \[0, 1\), received 1.0"),
    ("validation_split negative", classifier, dict(x=X, y=LABELS, validation_split=-0.1),
     r"validation_split must be a float in \[0, 1\), received -0.1"),
    ("strings", classifier, dict(x=np.array([["a", "b", "c", "d"]] * 20), y=LABELS),
     r"x has dtype <U1 \(strings\); expected numbers"),
    ("objects", regressor, dict(x=X, y=np.array([{"a": 1}] * 20)),
     r"y has dtype object \(Python objects\); expected numbers"),
    ("ragged list", classifier, dict(x=[[1.0, 2.0], [1.0]], y=[0, 1]),
     r"x has rows of different lengths \(a ragged list\)"),
    ("empty x", classifier, dict(x=np.zeros((0, 4)), y=np.zeros(0)),
     r"x is empty \(shape \(0, 4\)\); expected at least one sample"),
    ("wrong input rank", classifier, dict(x=np.ones((20, 2, 2)), y=LABELS),
     r"model 'sequential' expects inputs of shape \(None, 4\) but x has shape \(20, 2, 2\)\. "
     r"Flatten each sample first"),
    ("3 columns for 1 unit", regressor, dict(x=X, y=np.ones((20, 3))),
     r"y has shape \(20, 3\) but the model's output has shape \(None, 1\); expected y of "
     r"shape \(20, 1\)\. y has 3 columns for a 1-unit output"),
    ("one-hot for sparse loss", classifier, dict(x=X, y=np.eye(3)[LABELS]),
     r"y has shape \(20, 3\), which looks one-hot encoded.*loss='categorical_crossentropy'"),
    ("y None", classifier, dict(x=X, y=None), r"y is None; pass the targets"),
    ("(x, y) tuple", classifier, dict(x=(X, LABELS)),
     r"x is a tuple of 2 and y is None; pass the samples and the targets as two arguments"),
    ("sample_weight shape", classifier, dict(x=X, y=LABELS, sample_weight=np.ones(3)),
     r"sample_weight must have one weight per sample, shape \(20,\); received shape \(3,\)"),
    ("class_weight missing", classifier, dict(x=X, y=LABELS, class_weight={0: 1.0, 1: 2.0}),
     r"class_weight has no weight for class 2"),
    ("bad validation_data", classifier, dict(x=X, y=LABELS, validation_data=X),
     r"validation_data must be a tuple \(x_val, y_val\)"),
    ("bad validation labels", classifier,
     dict(x=X, y=LABELS, validation_data=(X, LABELS + 5)),
     r"fit \(validation_data\): y contains the label 5"),
    ("too few samples to split", classifier,
     dict(x=X[:1], y=LABELS[:1], validation_split=0.5),
     r"contains 1 samples, which is not sufficient to split"),
    ("verbose", classifier, dict(x=X, y=LABELS, verbose=3),
     r"verbose must be 'auto', 0, 1 or 2, received 3"),
    ("functional unknown input name", two_inputs_two_outputs,
     dict(x={"a": X, "c": B}, y=[VALUES, LABELS]),
     r"no input is named 'c'; the model's inputs are \['a', 'b'\]"),
    ("functional input shape", two_inputs_two_outputs, dict(x=[X, X], y=[VALUES, LABELS]),
     r"input 'b' expects data of shape \(None, 2\) but received shape \(20, 4\)"),
    ("functional input NaN", two_inputs_two_outputs,
     dict(x=[X, with_nan(B, (3, 1))], y=[VALUES, LABELS]),
     r"input 'b' contains nan at index \(3, 1\)"),
    ("functional missing output target", two_inputs_two_outputs,
     dict(x=[X, B], y={"value": VALUES}), r"no targets for the output 'kind'"),
    ("functional sample counts", two_inputs_two_outputs,
     dict(x=[X, B[:10]], y=[VALUES, LABELS]),
     r"input 'a' has 20 samples but input 'b' has 10 samples"),
]


def _state(model):
    """Weights and every optimizer variable (slots built first, so they are compared)."""
    if model.built:
        model.optimizer.build(model.trainable_weights)
    return model.get_weights(), [v.numpy() for v in model.optimizer.variables]


def _assert_unchanged(model, before):
    weights, slots = _state(model)
    assert all(np.array_equal(a, b) for a, b in zip(before[0], weights, strict=True))
    assert len(slots) == len(before[1])
    assert all(np.array_equal(a, b) for a, b in zip(before[1], slots, strict=True))
    assert int(model.optimizer.iterations.numpy()) == 0


@pytest.mark.parametrize("name, factory, kwargs, message", FIT_CASES,
                         ids=[case[0] for case in FIT_CASES])
def test_fit_rejects_bad_input_and_changes_nothing(name, factory, kwargs, message):
    model = factory()
    before = _state(model)
    with pytest.raises((ValueError, TypeError), match=message):
        model.fit(**{"verbose": 0, **kwargs})
    _assert_unchanged(model, before)


def test_binary_targets_outside_zero_one():
    clear_session()
    model = Sequential([Dense(1, activation="sigmoid", input_shape=(4,))])
    model.compile("sgd", "binary_crossentropy")
    with pytest.raises(ValueError, match=r"binary_crossentropy expects targets in \[0, 1\], "
                                         r"received 2 \(flat index 2\)"):
        model.fit(X, LABELS, verbose=0)


def test_sparse_labels_for_categorical_loss_get_a_hint():
    model = classifier()
    model.compile("sgd", "categorical_crossentropy")
    with pytest.raises(ValueError, match=r"expected y of shape \(20, 3\)\. y holds class "
                                         r"indices: use loss='sparse_categorical_crossentropy'"):
        model.fit(X, LABELS, verbose=0)


@pytest.mark.parametrize("method", ["fit", "evaluate", "train_on_batch", "test_on_batch"])
def test_methods_before_compile(method):
    clear_session()
    model = Sequential([Dense(1, input_shape=(4,))])
    with pytest.raises(RuntimeError, match=rf"You must call compile\(\) before {method}\(\)"):
        getattr(model, method)(X, np.ones(20))


def test_compile_without_loss_cannot_fit():
    model = regressor()
    model.compile("sgd")
    with pytest.raises(ValueError, match=r"fit: no loss to compute\. Provide a `loss`"):
        model.fit(X, np.ones(20), verbose=0)


@pytest.mark.parametrize("kwargs, message", [
    (dict(optimizer="adma", loss="mse"), r"Unknown optimizer 'adma'\. Did you mean 'adam'"),
    (dict(optimizer="sgd", loss="mse_error"), r"Unknown loss 'mse_error'"),
    (dict(optimizer="sgd", loss="mean_squared_eror"),
     r"Did you mean 'mean_squared_error'"),
    (dict(optimizer="sgd", loss="mse", metrics=["acuracy"]),
     r"Unknown metric 'acuracy'\. Did you mean 'accuracy'"),
])
def test_unknown_names_at_compile_suggest_the_closest(kwargs, message):
    model = regressor()
    previous = model.optimizer
    with pytest.raises(ValueError, match=message):
        model.compile(**kwargs)
    assert model.optimizer is previous  # the earlier compile is kept


def test_unknown_activation_suggests_the_closest():
    with pytest.raises(ValueError, match=r"Unknown activation 'sigmod'\. Did you mean "
                                         r"'sigmoid'"):
        Dense(1, activation="sigmod")


def test_embedding_id_too_large_is_found_before_training():
    clear_session()
    model = Sequential([Embedding(10, 2, embeddings_initializer="zeros"),
                        GlobalAveragePooling1D(), Dense(1, activation="sigmoid")])
    model.compile("sgd", "binary_crossentropy")
    ids = np.array([[1, 2], [3, 12]])
    with pytest.raises(ValueError, match=r"x contains the id 12 at index \(1, 1\), but "
                                         r"Embedding layer 'embedding' has input_dim=10"):
        model.fit(ids, np.array([0, 1]), verbose=0)
    with pytest.raises(ValueError, match=r"Embedding layer 'embedding': index 12 is outside"):
        model(ids)


def test_predict_and_evaluate_validate_too():
    model = classifier()
    with pytest.raises(ValueError, match=r"predict: x contains nan at index \(0, 0\)"):
        model.predict(with_nan(X, (0, 0)), verbose=0)
    with pytest.raises(ValueError, match=r"evaluate: x has 20 samples but y has 2 samples"):
        model.evaluate(X, [0, 1], verbose=0)
    with pytest.raises(ValueError, match=r"predict: batch_size must be a positive integer"):
        model.predict(X, batch_size=0)


class FailAtEpoch(Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_end(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("disk full")


@pytest.mark.parametrize("spill", [False, True], ids=["in_memory", "spilled_to_file"])
def test_failure_mid_fit_restores_weights_and_optimizer_bit_exactly(spill, monkeypatch):
    if spill:  # the path a large model takes: the snapshot lives in a temporary file
        monkeypatch.setattr("myelin.models.snapshot.SPILL_BYTES", 0)
    model = classifier()
    model.fit(X, LABELS, epochs=1, verbose=0)  # momentum slots now hold real values
    weights = model.get_weights()
    opt_state = model.optimizer.get_state()
    # Failing in the first epoch: no epoch completed, so the state before fit comes
    # back (a later failure keeps the last completed epoch: test_interrupted_fit.py).
    with pytest.raises(RuntimeError, match="disk full") as info:
        model.fit(X, LABELS, epochs=3, callbacks=[FailAtEpoch(0)], verbose=0)
    if sys.version_info >= (3, 11):  # exception notes exist from Python 3.11
        assert any("restored to their values before fit()" in note
                   for note in info.value.__notes__)
    assert all(np.array_equal(a, b) for a, b in zip(weights, model.get_weights(), strict=True))
    after = model.optimizer.get_state()
    assert all(np.array_equal(a, b) for a, b in zip(opt_state, after, strict=True))


def test_nan_loss_stops_training_with_a_warning():
    clear_session()
    model = Sequential([Dense(1, input_shape=(1,))])
    model.compile(optimizers.SGD(learning_rate=1e6), "mse")
    x = np.linspace(-100, 100, 64).reshape(-1, 1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = model.fit(x, x[:, 0] * 3, epochs=50, batch_size=8, verbose=0)
    messages = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    assert len(messages) == 1
    assert "the loss became" in messages[0] and "epoch" in messages[0]
    assert "batch" in messages[0] and "learning rate" in messages[0]
    assert len(history.history["loss"]) < 50
    assert not np.isfinite(history.history["loss"][-1])
    assert "restored" in messages[0]  # and the weights are the last finite ones:
    assert all(np.isfinite(w).all() for w in model.get_weights())


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.float16])
@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("order", ["C", "F"])
def test_finiteness_check_finds_every_non_finite_value(dtype, value, order):
    """The one-pass check (a BLAS sum of squares for contiguous float32/64, a sum
    otherwise) finds NaN, inf and -inf in every dtype and memory order, and names it."""
    from myelin.models.data_adapter import check_finite
    x = np.ones((9, 5), dtype, order=order)
    x[6, 3] = value
    with pytest.raises(ValueError, match=rf"x contains {value} at index \(6, 3\) \(sample 6\)"):
        check_finite(x, "x", "fit")


def test_finiteness_check_accepts_finite_values_whose_squares_overflow():
    from myelin.models.data_adapter import check_finite
    for x in (np.full((4, 6), 3e38, np.float32), np.full(10, -1e200)):
        check_finite(x, "x", "fit")  # the overflowed sum sends it to the exact check
