"""Lambda, RepeatVector, Permute, Rescaling, GaussianNoise, ActivityRegularization."""

import numpy as np
import pytest

from myelin import backend, layers, ops
from myelin.layers import clear_session
from myelin.models import Sequential
from myelin.testing import gradcheck

RNG = np.random.default_rng(0)
X = RNG.normal(size=(4, 3)).astype(np.float32)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def test_lambda_runs_in_a_trained_model_and_infers_its_output_shape():
    double = layers.Lambda(lambda t: t * 2.0)
    assert double.compute_output_shape((None, 3)) == (None, 3)
    model = Sequential([layers.Input(shape=(3,)), layers.Dense(4), double, layers.Dense(1)])
    assert model.output_shape == (None, 1)
    model.compile("sgd", "mse")
    before = model.predict(X, verbose=0)
    model.fit(X, X.sum(1), epochs=2, verbose=0)
    assert not np.allclose(model.predict(X, verbose=0), before)
    dense_out = model.layers[0](X).numpy()
    np.testing.assert_allclose(double(dense_out).numpy(), 2 * dense_out)


def test_lambda_takes_lists_arguments_and_declared_shapes():
    product = layers.Lambda(lambda t: t[0] * t[1])
    np.testing.assert_allclose(product([X, X]).numpy(), X * X)
    shift = layers.Lambda(lambda t, by: t + by, arguments={"by": 1.0}, output_shape=(3,))
    np.testing.assert_allclose(shift(X).numpy(), X + 1)
    assert shift.compute_output_shape((None, 3)) == (None, 3)
    summed = layers.Lambda(lambda t: ops.reduce_sum(t, axis=1, keepdims=True),
                           output_shape=lambda s: (s[0], 1))
    assert summed.compute_output_shape((None, 7)) == (None, 1)


def test_saving_a_lambda_explains_why_and_what_to_do(tmp_path):
    model = Sequential([layers.Input(shape=(3,)), layers.Lambda(lambda t: t * 2.0)])
    with pytest.raises(ValueError, match=r"(?s)Lambda layer 'lambda' cannot be saved.*never "
                                         r"Python code.*register_serializable"):
        model.save(tmp_path / "m.myelin")
    assert not (tmp_path / "m.myelin").exists()


def test_repeat_vector_and_permute_values_shapes_gradients():
    out = layers.RepeatVector(3)(X).numpy()
    np.testing.assert_array_equal(out, np.repeat(X[:, None, :], 3, axis=1))
    assert layers.RepeatVector(3).compute_output_shape((None, None)) == (None, 3, None)
    assert gradcheck(lambda t: layers.RepeatVector(2, dtype="float64")(t), X[:2])
    x = RNG.normal(size=(2, 3, 4, 5))
    np.testing.assert_array_equal(layers.Permute((3, 1, 2), dtype="float64")(x).numpy(),
                                  x.transpose(0, 3, 1, 2))
    assert layers.Permute((2, 1)).compute_output_shape((None, None, 4)) == (None, 4, None)
    assert gradcheck(lambda t: layers.Permute((2, 1), dtype="float64")(t), x[:, :2, :3, 0])


def test_rescaling_casts_integers_and_scales_per_channel():
    pixels = np.array([[0, 51, 255]], dtype=np.uint8)
    np.testing.assert_allclose(layers.Rescaling(1 / 255.0)(pixels).numpy(), [[0, 0.2, 1]],
                               rtol=1e-6)
    out = layers.Rescaling([1.0, 2.0, 3.0], offset=-1.0)(X).numpy()
    np.testing.assert_allclose(out, X * [1, 2, 3] - 1, rtol=1e-6)
    assert gradcheck(lambda t: layers.Rescaling(2.0, 0.5, dtype="float64")(t), X)


def test_gaussian_noise_trains_with_the_requested_deviation_only():
    x = np.zeros((200, 100), dtype=np.float32)
    layer = layers.GaussianNoise(0.5)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    backend.set_seed(4)
    noise = layer(x, training=True).numpy()
    assert abs(noise.std() - 0.5) < 0.01 and abs(noise.mean()) < 0.01  # 20,000 draws
    seeded = layers.GaussianNoise(0.5, seed=3)
    np.testing.assert_array_equal(seeded(x, training=True).numpy(),
                                  layers.GaussianNoise(0.5, seed=3)(x, training=True).numpy())


def test_activity_regularization_adds_the_batch_mean_penalty():
    layer = layers.ActivityRegularization(l1=0.1, l2=0.01)
    out = layer(X)
    np.testing.assert_array_equal(out.numpy(), X)
    expected = (0.1 * np.abs(X).sum() + 0.01 * np.square(X).sum()) / len(X)
    [penalty] = layer.losses
    assert float(penalty) == pytest.approx(expected, rel=1e-6)
    layer(X[:2])  # each call replaces the previous call's losses
    assert len(layer.losses) == 1


@pytest.mark.parametrize("layer", [
    layers.RepeatVector(4), layers.Permute((2, 1)), layers.Rescaling([0.5, 2.0], offset=1.0),
    layers.GaussianNoise(0.2, seed=1), layers.ActivityRegularization(l1=0.1, l2=0.2),
])
def test_configs_round_trip(layer):
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert type(rebuilt) is type(layer) and rebuilt.get_config() == layer.get_config()


def test_saved_model_with_utility_layers_predicts_identically(tmp_path):
    from myelin.saving import load_model

    model = Sequential([layers.Input(shape=(3,)), layers.Rescaling(0.5, offset=0.1),
                        layers.GaussianNoise(0.1), layers.Dense(4),
                        layers.ActivityRegularization(l2=0.01), layers.RepeatVector(2),
                        layers.Permute((2, 1)), layers.Flatten(), layers.Dense(1)])
    model.compile("adam", "mse")
    model.fit(X, X.sum(1), epochs=2, verbose=0)
    model.save(tmp_path / "u.myelin")
    np.testing.assert_array_equal(load_model(tmp_path / "u.myelin").predict(X, verbose=0),
                                  model.predict(X, verbose=0))


def test_every_new_class_is_in_the_registry():
    from myelin.saving import registry

    names = set(registry.known_names())
    for cls in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum",
                "Concatenate", "Dot", "Softmax", "ReLU", "LeakyReLU", "ELU", "PReLU",
                "Lambda", "RepeatVector", "Permute", "Rescaling", "GaussianNoise",
                "ActivityRegularization", "BatchNormalization", "LayerNormalization"):
        assert f"{cls}.v1" in names, cls
    for cls in ("L1", "L2", "L1L2"):
        assert f"regularizers>{cls}.v1" in names
    for cls in ("MaxNorm", "MinMaxNorm", "NonNeg", "UnitNorm"):
        assert f"constraints>{cls}.v1" in names
