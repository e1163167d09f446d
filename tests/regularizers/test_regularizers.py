"""Regularizers and constraints: Keras 3's formulas and defaults, lookup, and their effect
on layers (``losses``), on training (the loss and the gradient) and after updates."""

import numpy as np
import pytest

from myelin import constraints, layers, models, ops, optimizers, regularizers
from myelin.autodiff import Variable
from myelin.layers import clear_session
from myelin.models import loops

RNG = np.random.default_rng(0)
W = RNG.normal(size=(3, 2)).astype(np.float32)
X = RNG.normal(size=(8, 3)).astype(np.float32)
Y = RNG.normal(size=(8, 2)).astype(np.float32)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def test_penalty_formulas_and_keras_defaults():
    assert float(regularizers.L1(0.1)(W)) == pytest.approx(0.1 * np.abs(W).sum(), rel=1e-6)
    assert float(regularizers.L2(0.1)(W)) == pytest.approx(0.1 * np.square(W).sum(), rel=1e-6)
    both = regularizers.L1L2(l1=0.1, l2=0.2)(W)
    assert float(both) == pytest.approx(0.1 * np.abs(W).sum() + 0.2 * np.square(W).sum(),
                                        rel=1e-6)
    assert regularizers.L1().get_config() == {"l1": 0.01}
    assert regularizers.L2().get_config() == {"l2": 0.01}
    assert regularizers.L1L2().get_config() == {"l1": 0.0, "l2": 0.0}
    assert regularizers.L2(None).l2 == 0.01
    assert regularizers.l2 is regularizers.L2 and regularizers.l1_l2 is regularizers.L1L2


def test_get_resolves_names_classes_dicts_and_callables():
    assert isinstance(regularizers.get("l2"), regularizers.L2)
    assert isinstance(regularizers.get("L1L2"), regularizers.L1L2)
    assert regularizers.get(regularizers.L1).l1 == 0.01
    spec = regularizers.serialize(regularizers.L2(0.003))
    assert spec == {"class_name": "L2", "config": {"l2": 0.003}}
    assert regularizers.get(spec).l2 == 0.003
    def custom(w):
        return ops.reduce_sum(w)
    assert regularizers.get(custom) is custom and regularizers.get(None) is None


def test_layer_losses_hold_weight_and_activity_penalties():
    layer = layers.Dense(2, kernel_regularizer=regularizers.l2(0.1), bias_regularizer="l1",
                         activity_regularizer=regularizers.L1(0.5), bias_initializer="ones")
    out = layer(X).numpy()
    activity, kernel, bias = (float(v) for v in layer.losses)
    assert activity == pytest.approx(0.5 * np.abs(out).sum() / len(X), rel=1e-6)
    assert kernel == pytest.approx(0.1 * np.square(layer.kernel.numpy()).sum(), rel=1e-6)
    assert bias == pytest.approx(0.01 * 2, rel=1e-6)
    layer.trainable = False  # Keras: only trainable weights are penalized
    assert len(layer.losses) == 1


def test_add_loss_records_tensors_and_an_entry_call_clears_them():
    class Penalized(layers.Layer):
        def call(self, x):
            self.add_loss(ops.reduce_sum(x) * 0.5)
            return x

    inner = Penalized()
    model = models.Sequential([layers.Input(shape=(3,)), inner])
    model(X)
    model(X)
    assert [float(v) for v in model.losses] == pytest.approx([0.5 * X.sum()], rel=1e-5)
    with pytest.raises(ValueError, match=r"add_loss: expected a Tensor computed in call\(\), "
                                         r"received 1.0"):
        inner.add_loss(1.0)


def _twin_models(**dense_kwargs):
    """Two one-layer models with identical initial weights, one with the options."""
    plain = models.Sequential([layers.Input(shape=(3,)), layers.Dense(2)])
    other = models.Sequential([layers.Input(shape=(3,)), layers.Dense(2, **dense_kwargs)])
    other.set_weights(plain.get_weights())
    for m in (plain, other):
        m.compile(optimizers.SGD(learning_rate=0.1), "mse")
    return plain, other


def test_penalty_joins_the_loss_and_its_gradient_in_fit_and_evaluate():
    plain, reg = _twin_models(kernel_regularizer=regularizers.l2(0.05))
    kernel = reg.layers[0].kernel.numpy()
    penalty = 0.05 * np.square(kernel).sum()
    assert reg.evaluate(X, Y, verbose=0) == pytest.approx(
        plain.evaluate(X, Y, verbose=0) + penalty, rel=1e-5)
    plain.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    history = reg.fit(X, Y, batch_size=8, epochs=1, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(
        float(np.mean(np.square(X @ kernel - Y))) + penalty, rel=1e-5)
    # one SGD step: the regularized kernel moved further by lr * 2 * l2 * w
    step = reg.layers[0].kernel.numpy() - plain.layers[0].kernel.numpy()
    np.testing.assert_allclose(step, -0.1 * 2 * 0.05 * kernel, rtol=1e-4, atol=1e-7)


def test_activity_penalty_is_part_of_the_sequential_loss():
    plain, reg = _twin_models(activity_regularizer=regularizers.L1(0.2))
    out = plain.predict(X, verbose=0)
    expected = plain.evaluate(X, Y, batch_size=8, verbose=0) + 0.2 * np.abs(out).sum() / 8
    assert reg.evaluate(X, Y, batch_size=8, verbose=0) == pytest.approx(expected, rel=1e-5)


def test_models_without_penalties_keep_the_fast_loss():
    plain, reg = _twin_models(kernel_regularizer="l2")
    assert "_loss" not in vars(loops.Steps(plain))
    assert "_loss" in vars(loops.Steps(reg))


def test_embedding_takes_a_regularizer_and_a_constraint():
    layer = layers.Embedding(10, 4, embeddings_regularizer=regularizers.L1(0.1),
                             embeddings_constraint=constraints.NonNeg())
    layer(np.array([[1, 2]]))
    assert float(layer.losses[0]) == pytest.approx(
        0.1 * np.abs(layer.embeddings.numpy()).sum(), rel=1e-6)
    assert layer.embeddings.constraint is layer.embeddings_constraint


def test_constraint_formulas_match_keras():
    w = np.array([[3.0, 0.1], [4.0, 0.2]], dtype=np.float32)  # column norms 5 and ~0.224
    norms = np.sqrt((w ** 2).sum(0, keepdims=True))
    np.testing.assert_allclose(constraints.MaxNorm(2.0)(w).numpy(),
                               w * np.clip(norms, 0, 2) / (1e-7 + norms), rtol=1e-6)
    np.testing.assert_allclose(constraints.UnitNorm()(w).numpy(), w / (1e-7 + norms),
                               rtol=1e-6)
    desired = 0.5 * np.clip(norms, 1.0, 2.0) + 0.5 * norms
    np.testing.assert_allclose(constraints.MinMaxNorm(1.0, 2.0, rate=0.5)(w).numpy(),
                               w * desired / (1e-7 + norms), rtol=1e-6)
    np.testing.assert_array_equal(constraints.NonNeg()(-w).numpy(), np.zeros_like(w))
    rows = np.sqrt((w ** 2).sum(1, keepdims=True))
    np.testing.assert_allclose(constraints.UnitNorm(axis=1)(w).numpy(), w / (1e-7 + rows),
                               rtol=1e-6)
    assert constraints.MaxNorm().get_config() == {"max_value": 2, "axis": 0}
    assert constraints.MinMaxNorm().get_config() == {"min_value": 0.0, "max_value": 1.0,
                                                     "rate": 1.0, "axis": 0}


def test_constraints_are_applied_after_every_update():
    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(
        2, kernel_constraint=constraints.MaxNorm(0.5), bias_constraint="non_neg")])
    model.compile(optimizers.SGD(learning_rate=0.5), "mse")
    model.fit(X, Y - 5.0, epochs=3, verbose=0)
    kernel, bias = model.get_weights()
    assert np.all(np.sqrt((kernel ** 2).sum(0)) <= 0.5 + 1e-6)
    assert np.all(bias >= 0)
    # a custom loop with apply_gradients projects too
    v = Variable(np.ones(3, dtype=np.float32))
    v.constraint = constraints.UnitNorm()
    optimizers.SGD(learning_rate=1.0).apply_gradients([(np.ones(3, np.float32) * -1, v)])
    np.testing.assert_allclose(v.numpy(), np.full(3, 1 / np.sqrt(3)), rtol=1e-6)


def test_regularized_constrained_dense_saves_and_reloads(tmp_path):
    from myelin.saving import load_model

    model = models.Sequential([layers.Input(shape=(3,)), layers.Dense(
        2, kernel_regularizer=regularizers.L1L2(0.01, 0.02), activity_regularizer="l2",
        kernel_constraint=constraints.MinMaxNorm(0.1, 0.9, rate=0.5, axis=[0]))])
    model.compile("adam", "mse")
    model.fit(X, Y, epochs=2, verbose=0)
    model.save(tmp_path / "r.myelin")
    again = load_model(tmp_path / "r.myelin")
    dense = again.layers[0]
    assert dense.kernel_regularizer.get_config() == {"l1": 0.01, "l2": 0.02}
    assert dense.kernel.constraint.get_config()["rate"] == 0.5
    assert isinstance(dense.activity_regularizer, regularizers.L2)
    np.testing.assert_array_equal(again.predict(X, verbose=0), model.predict(X, verbose=0))
    assert again.evaluate(X, Y, verbose=0) == pytest.approx(model.evaluate(X, Y, verbose=0))


def test_a_registered_custom_regularizer_round_trips(tmp_path):
    from myelin.saving import load_model, register_serializable

    @register_serializable(package="layerkit_test")
    class Scaled(regularizers.Regularizer):
        def __init__(self, factor):
            self.factor = factor

        def __call__(self, x):
            return ops.multiply(ops.reduce_sum(ops.square(x)), self.factor)

        def get_config(self):
            return {"factor": self.factor}

    model = models.Sequential([layers.Input(shape=(3,)),
                               layers.Dense(2, kernel_regularizer=Scaled(0.3))])
    model.save(tmp_path / "c.myelin")
    again = load_model(tmp_path / "c.myelin")
    assert isinstance(again.layers[0].kernel_regularizer, Scaled)
    assert again.layers[0].kernel_regularizer.factor == 0.3
    model.layers[0].kernel_regularizer = lambda w: ops.reduce_sum(w)  # not registered
    with pytest.raises(ValueError, match="is not registered"):
        model.save(tmp_path / "d.myelin")


def test_add_loss_of_a_nested_model_counts_once_per_step():
    class Penalized(models.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(2)

        def call(self, x, training=None):
            out = self.dense(x)
            self.add_loss(ops.multiply(ops.reduce_mean(ops.square(out)), 0.5))
            return out

    inner = Penalized()
    model = models.Sequential([layers.Input(shape=(3,)), inner])
    model.compile(optimizers.SGD(learning_rate=0.0), "mse")
    out = model.predict(X, verbose=0)
    expected = np.mean(np.square(out - Y)) + 0.5 * np.mean(np.square(out))
    for _ in range(3):  # the penalty does not pile up over steps
        history = model.fit(X, Y, batch_size=8, epochs=1, verbose=0)
        assert history.history["loss"][0] == pytest.approx(expected, rel=1e-5)
    assert len(model.losses) == 1
