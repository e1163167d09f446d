"""BatchNormalization and LayerNormalization: fused kernels against NumPy references of
Keras's formulas, float64 gradchecks, training semantics, freezing, configs, saving."""

import numpy as np
import pytest

from myelin import layers
from myelin.layers import clear_session
from myelin.models import Sequential
from myelin.ops import normalization as kernels
from myelin.testing import gradcheck

RNG = np.random.default_rng(0)
X = RNG.normal(2.0, 3.0, size=(6, 4))
GAMMA, BETA = RNG.normal(size=4), RNG.normal(size=4)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def reference(x, mean, var, gamma, beta, eps):
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


def test_batch_norm_training_uses_batch_statistics_and_updates_moving_ones():
    layer = layers.BatchNormalization(dtype="float64")
    out = layer(X, training=True).numpy()
    np.testing.assert_allclose(out, reference(X, X.mean(0), X.var(0), 1, 0, 1e-3),
                               rtol=1e-10)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.01 * X.mean(0), rtol=1e-12)
    np.testing.assert_allclose(layer.moving_variance.numpy(), 0.99 + 0.01 * X.var(0),
                               rtol=1e-12)
    assert [w.name.split("/")[-1] for w in layer.weights] == [
        "gamma", "beta", "moving_mean", "moving_variance"]
    assert [w.name.split("/")[-1] for w in layer.trainable_weights] == ["gamma", "beta"]


def test_batch_norm_inference_uses_moving_statistics_and_changes_nothing():
    layer = layers.BatchNormalization(momentum=0.5, epsilon=0.01, dtype="float64")
    layer(X, training=True)
    mean, var = layer.moving_mean.numpy(), layer.moving_variance.numpy()
    np.testing.assert_allclose(mean, 0.5 * X.mean(0))
    out = layer(X, training=False).numpy()
    np.testing.assert_allclose(out, reference(X, mean, var, 1, 0, 0.01), rtol=1e-10)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), mean)


def test_frozen_batch_norm_runs_in_inference_mode_even_when_training():
    layer = layers.BatchNormalization(dtype="float64")
    layer.build((None, 4))
    layer.trainable = False
    out = layer(X, training=True).numpy()
    np.testing.assert_allclose(out, reference(X, 0, 1, 1, 0, 1e-3), rtol=1e-10)
    np.testing.assert_array_equal(layer.moving_mean.numpy(), np.zeros(4))
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 4


def test_batch_norm_on_another_axis_and_without_center_or_scale():
    x = RNG.normal(size=(3, 4, 5))
    layer = layers.BatchNormalization(axis=1, center=False, scale=False, dtype="float64")
    out = layer(x, training=True).numpy()
    mean, var = x.mean(axis=(0, 2), keepdims=True), x.var(axis=(0, 2), keepdims=True)
    np.testing.assert_allclose(out, reference(x, mean, var, 1, 0, 1e-3), rtol=1e-10)
    assert layer.weights[0].shape == (4,) and len(layer.weights) == 2


@pytest.mark.parametrize("axis, shape", [(-1, (5, 3)), (1, (3, 4, 2)), (-1, (2, 3, 4))])
def test_batch_norm_kernel_gradients(axis, shape):
    x = RNG.normal(size=shape)
    size = shape[axis]
    gamma, beta = RNG.normal(size=size), RNG.normal(size=size)
    assert gradcheck(lambda t, g, b: kernels.batch_normalization_train(t, g, b, axis, 1e-3)[0],
                     x, gamma, beta)
    mean, var = RNG.normal(size=size), RNG.uniform(0.5, 2, size=size)
    assert gradcheck(lambda t, g, b: kernels.batch_normalization(t, mean, var, g, b, axis,
                                                                 1e-3), x, gamma, beta)


def test_layer_norm_matches_keras_formula_and_its_gradients():
    out = layers.LayerNormalization(dtype="float64")(X).numpy()
    mean, var = X.mean(-1, keepdims=True), X.var(-1, keepdims=True)
    np.testing.assert_allclose(out, reference(X, mean, var, 1, 0, 1e-3), rtol=1e-10)
    x = RNG.normal(size=(2, 3, 4))
    layer = layers.LayerNormalization(axis=[1, 2], epsilon=0.1, dtype="float64")
    mean, var = x.mean((1, 2), keepdims=True), x.var((1, 2), keepdims=True)
    np.testing.assert_allclose(layer(x).numpy(), reference(x, mean, var, 1, 0, 0.1),
                               rtol=1e-10)
    assert layer.gamma.shape == (3, 4)
    assert gradcheck(lambda t, g, b: kernels.layer_normalization(t, g, b, [-1], 1e-3),
                     X[:3], GAMMA, BETA)
    assert gradcheck(lambda t, g, b: kernels.layer_normalization(t, g, b, [1, 2], 1e-3),
                     x, RNG.normal(size=(3, 4)), RNG.normal(size=(3, 4)))
    assert gradcheck(lambda t, g: kernels.layer_normalization(t, g, None, [1], 1e-3),
                     x, RNG.normal(size=3))


@pytest.mark.parametrize("layer", [
    layers.BatchNormalization(axis=1, momentum=0.9, epsilon=1e-2, center=False,
                              gamma_regularizer="l2"),
    layers.LayerNormalization(axis=[1, 2], epsilon=1e-5, scale=False),
])
def test_configs_round_trip_and_shapes(layer):
    assert layer.compute_output_shape((None, 3, None)) == (None, 3, None)
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert rebuilt.get_config() == layer.get_config()


def test_trained_model_saves_and_reloads_with_identical_predictions(tmp_path):
    from myelin.saving import load_model

    x = RNG.normal(size=(32, 4)).astype(np.float32)
    model = Sequential([layers.Input(shape=(4,)), layers.Dense(8),
                        layers.BatchNormalization(), layers.LayerNormalization(),
                        layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(x, x.sum(1), epochs=3, batch_size=8, verbose=0)
    assert not np.allclose(model.layers[1].moving_mean.numpy(), 0)
    model.save(tmp_path / "bn.myelin")
    again = load_model(tmp_path / "bn.myelin")
    np.testing.assert_array_equal(again.predict(x, verbose=0), model.predict(x, verbose=0))


def test_masked_batch_norm_uses_unmasked_steps_as_keras():
    x = RNG.normal(size=(2, 4, 3))
    mask = np.array([[True, True, True, False], [True, False, False, False]])
    layer = layers.BatchNormalization(dtype="float64")
    out = layer(x, training=True, mask=mask).numpy()
    kept = x[mask]  # (4, 3): the unmasked steps
    mean = kept.sum(0) / (4 + 1e-7)
    var = np.square(kept - mean).sum(0) / (4 + 1e-7)
    np.testing.assert_allclose(out, reference(x, mean, var, 1, 0, 1e-3), rtol=1e-10)
    np.testing.assert_allclose(layer.moving_mean.numpy(), 0.01 * mean, rtol=1e-10)
    assert gradcheck(lambda t, g, b: kernels.batch_normalization_train(
        t, g, b, -1, 1e-3, mask=mask)[0], x, RNG.normal(size=3), RNG.normal(size=3))
    with pytest.raises(ValueError, match=r"the mask should have one dimension less than the "
                                         r"inputs, received mask.shape=\(2,\)"):
        layer(x, training=True, mask=np.ones(2, bool))


def test_batch_norm_after_a_masking_embedding_in_a_sequential():
    ids = np.array([[3, 4, 0, 0], [5, 0, 0, 0]])
    model = Sequential([layers.Input(shape=(4,), dtype="int32"),
                        layers.Embedding(10, 3, mask_zero=True),
                        layers.BatchNormalization(), layers.GlobalAveragePooling1D()])
    embedded = model.layers[0](ids).numpy()
    bn = model.layers[1]
    bn(embedded, training=True, mask=ids != 0)
    expected = bn.moving_mean.numpy()
    bn.moving_mean.assign(np.zeros(3))
    model(ids, training=True)
    np.testing.assert_allclose(bn.moving_mean.numpy(), expected, rtol=1e-6)
