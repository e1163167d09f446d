"""The tape-free training step gives bit-identical weights to the tape, and falls back.

Each case trains the same model twice from the same seed, once with the raw step and
once with it disabled (``RawStep.plan`` returning None), and compares every weight,
every optimizer slot and every epoch's loss exactly.
"""

import numpy as np
import pytest

import myelin as my
from myelin.models import loops, raw_step
from myelin.models.raw_step import RawStep

RNG = np.random.default_rng(3)
X = RNG.normal(size=(37, 5)).astype(np.float32)
Y_REG = RNG.normal(size=(37, 2)).astype(np.float32)
Y_BIN = (RNG.random((37, 1)) > 0.5).astype(np.float32)
Y_CLS = RNG.integers(0, 3, 37)
Y_ONEHOT = np.eye(3, dtype=np.float32)[Y_CLS]


def _train(build, compile_args, y, use_raw, monkeypatch, fit_args=None):
    """Weights, optimizer state and losses after 3 epochs of batch 8 (5 steps each);
    ``compile_args()`` makes the compile arguments (a fresh optimizer each time)."""
    calls = []
    plan = RawStep.plan.__func__

    def spy(cls, steps):
        found = plan(cls, steps) if use_raw else None
        calls.append(found)
        return found

    with monkeypatch.context() as patch:
        patch.setattr(RawStep, "plan", classmethod(spy))
        my.utils.set_random_seed(7)
        model = build()
        model.compile(**compile_args())
        history = model.fit(X, y, batch_size=8, epochs=3, verbose=0, **(fit_args or {}))
    state = [v.numpy().copy() for v in model.optimizer.variables]
    return model.get_weights(), state, history.history, calls


def _same(build, compile_args, y, monkeypatch, fit_args=None, raw_used=True):
    fast = _train(build, compile_args, y, True, monkeypatch, fit_args)
    slow = _train(build, compile_args, y, False, monkeypatch, fit_args)
    assert (fast[3][0] is not None) == raw_used
    for a, b in zip(fast[0] + fast[1], slow[0] + slow[1], strict=True):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert fast[2] == slow[2]
    assert np.isfinite(fast[2]["loss"]).all()


def _mlp(hidden, out_units, out_act, use_bias=True, **kwargs):
    return lambda: my.Sequential([
        my.layers.Input((5,)),
        my.layers.Dense(6, activation=hidden, use_bias=use_bias, **kwargs),
        my.layers.Dense(out_units, activation=out_act, **kwargs)])


@pytest.mark.parametrize("loss", ["mse", "mae"])
@pytest.mark.parametrize("hidden", ["linear", "relu", "sigmoid", "tanh", "softmax"])
@pytest.mark.parametrize("optimizer", [
    lambda: my.optimizers.SGD(0.1),
    lambda: my.optimizers.SGD(0.05, momentum=0.9, nesterov=True),
    lambda: my.optimizers.Adam(0.01, clipnorm=0.5),
])
def test_regression_losses_match_the_tape(loss, hidden, optimizer, monkeypatch):
    _same(_mlp(hidden, 2, None), lambda: dict(optimizer=optimizer(), loss=loss), Y_REG,
          monkeypatch)


@pytest.mark.parametrize("case", [
    ("sigmoid", 1, "binary_crossentropy", Y_BIN),
    (None, 1, my.losses.BinaryCrossentropy(from_logits=True), Y_BIN),
    ("softmax", 3, "sparse_categorical_crossentropy", Y_CLS),
    ("softmax", 3, "categorical_crossentropy", Y_ONEHOT),
    (None, 3, my.losses.SparseCategoricalCrossentropy(from_logits=True), Y_CLS),
])
def test_classification_losses_and_metrics_match_the_tape(case, monkeypatch):
    out_act, units, loss, y = case
    def compile_args():
        return dict(optimizer=my.optimizers.Adam(0.02), loss=loss, metrics=["accuracy"])

    _same(_mlp("relu", units, out_act), compile_args, y, monkeypatch)


def test_weight_penalties_and_no_bias_match_the_tape(monkeypatch):
    # once any layer anywhere called add_loss, the trainer stops assuming weight penalties
    # are the only extra losses; earlier tests in this process may have done that
    monkeypatch.setattr(loops, "_EVER_ADDED", [False])
    build = _mlp("tanh", 3, "softmax", use_bias=False,
                 kernel_regularizer=my.regularizers.L1L2(0.01, 0.02))
    _same(build, lambda: dict(optimizer="adam", loss="sparse_categorical_crossentropy"), Y_CLS,
          monkeypatch)


def test_sample_weights_and_validation_use_the_tape_and_match(monkeypatch):
    weights = RNG.random(37).astype(np.float32)
    _same(_mlp("relu", 2, None), lambda: dict(optimizer="sgd", loss="mse"), Y_REG, monkeypatch,
          fit_args=dict(sample_weight=weights, validation_split=0.25))


@pytest.mark.parametrize("build", [
    lambda: my.Sequential([my.layers.Input((5,)), my.layers.Dense(4),
                           my.layers.Dropout(0.5), my.layers.Dense(2)]),
    lambda: my.Sequential([my.layers.Input((5,)), my.layers.Dense(4, activation="elu"),
                           my.layers.Dense(2)]),
    lambda: my.Sequential([my.layers.Input((5,)), my.layers.Dense(
        2, activity_regularizer=my.regularizers.L2(0.1))]),
])
def test_other_models_fall_back_to_the_tape(build, monkeypatch):
    _same(build, lambda: dict(optimizer="sgd", loss="mse"), Y_REG, monkeypatch, raw_used=False)


def test_frozen_layer_and_huber_loss_fall_back(monkeypatch):
    def frozen():
        model = _mlp("relu", 2, None)()
        model.layers[0].trainable = False
        return model

    _same(frozen, lambda: dict(optimizer="sgd", loss="mse"), Y_REG, monkeypatch, raw_used=False)
    _same(_mlp("relu", 2, None), lambda: dict(optimizer="sgd", loss="huber"), Y_REG, monkeypatch,
          raw_used=False)


def test_an_optimizer_redefining_apply_keeps_the_tape(monkeypatch):
    class Counting(my.optimizers.SGD):
        def apply(self, grads, trainable_variables):
            self.calls = getattr(self, "calls", 0) + 1
            return super().apply(grads, trainable_variables)

    _same(_mlp("relu", 2, None), lambda: dict(optimizer=Counting(0.1), loss="mse"), Y_REG,
          monkeypatch, raw_used=False)


def test_a_diverging_fit_restores_the_last_finite_weights():
    my.utils.set_random_seed(0)
    model = _mlp("linear", 2, None)()
    model.compile(optimizer=my.optimizers.SGD(1e3), loss="mse")
    before = model.get_weights()
    with pytest.warns(RuntimeWarning, match="restored to their values before fit"):
        history = model.fit(X * 1e3, Y_REG, batch_size=8, epochs=3, verbose=0)
    assert len(history.history["loss"]) <= 1
    for a, b in zip(before, model.get_weights(), strict=True):
        assert np.array_equal(a, b)


def test_a_step_under_a_users_tape_is_left_to_the_tape():
    my.utils.set_random_seed(0)
    model = _mlp("relu", 2, None)()
    model.compile(optimizer="sgd", loss="mse")
    steps = model._train_steps()
    assert steps.raw is not None
    before = model.get_weights()
    with my.GradientTape():
        assert steps.raw(X[:8], Y_REG[:8]) is None
    for a, b in zip(before, model.get_weights(), strict=True):
        assert np.array_equal(a, b)


def test_module_has_docstrings():
    assert raw_step.RawStep.plan.__doc__ and raw_step.RawStep.__call__.__doc__


def _functional_chain(hidden, out_units, out_act):
    def build():
        inputs = my.keras.Input((5,))
        h = my.layers.Dense(6, activation=hidden)(inputs)
        h = my.layers.Dense(4, activation=hidden)(h)
        return my.keras.Model(inputs, my.layers.Dense(out_units, activation=out_act)(h))
    return build


@pytest.mark.parametrize("case", [
    ("relu", 2, None, "mse", "mae", Y_REG),
    ("tanh", 3, "softmax", "sparse_categorical_crossentropy", "accuracy", Y_CLS),
    ("sigmoid", 1, "sigmoid", "binary_crossentropy", "accuracy", Y_BIN),
])
def test_a_functional_chain_of_dense_layers_takes_the_raw_step(case, monkeypatch):
    hidden, units, out_act, loss, metric, y = case
    _same(_functional_chain(hidden, units, out_act),
          lambda: dict(optimizer=my.optimizers.Adam(0.01), loss=loss, metrics=[metric]), y,
          monkeypatch)


def test_functional_models_that_are_not_one_chain_keep_the_tape(monkeypatch):
    def branching():  # two layers read the input: a graph, not a chain
        inputs = my.keras.Input((5,))
        a, b = my.layers.Dense(3)(inputs), my.layers.Dense(3)(inputs)
        return my.keras.Model(inputs, my.layers.Dense(2)(my.layers.Concatenate()([a, b])))

    def reused():  # one layer called twice
        inputs = my.keras.Input((5,))
        shared = my.layers.Dense(5, activation="relu")
        return my.keras.Model(inputs, my.layers.Dense(2)(shared(shared(inputs))))

    def with_an_op():  # a raw op between two layers
        inputs = my.keras.Input((5,))
        h = my.layers.Dense(4)(inputs)
        return my.keras.Model(inputs, my.layers.Dense(2)(h * 2.0))

    for build in (branching, reused, with_an_op):
        _same(build, lambda: dict(optimizer=my.optimizers.SGD(0.1), loss="mse"), Y_REG,
              monkeypatch, raw_used=False)
