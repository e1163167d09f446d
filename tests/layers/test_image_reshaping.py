"""UpSampling, ZeroPadding, Cropping (1-D and 2-D) and SpatialDropout: values against
NumPy and TensorFlow's stored outputs, shapes with unknown sizes as Keras computes them,
gradients, configs and model files, and errors that name the layer."""

from pathlib import Path

import numpy as np
import pytest

import myelin as tf
from myelin import keras
from myelin.layers import (
    Cropping1D,
    Cropping2D,
    Flatten,
    SpatialDropout1D,
    SpatialDropout2D,
    UpSampling1D,
    UpSampling2D,
    ZeroPadding1D,
    ZeroPadding2D,
    clear_session,
)
from myelin.saving import registry
from myelin.testing import gradcheck
from myelin.utils import set_random_seed

RNG = np.random.default_rng(12)
TF = np.load(Path(__file__).parent / "data" / "tf_image_reference.npz")


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def test_nearest_upsampling_repeats_rows_and_columns():
    x = np.arange(12, dtype=np.float32).reshape(2, 2, 1, 3)
    out = UpSampling2D(size=(1, 2))(x).numpy()
    np.testing.assert_array_equal(out, np.repeat(x, 2, axis=2))
    np.testing.assert_array_equal(UpSampling2D(3)(x).numpy(),
                                  np.repeat(np.repeat(x, 3, 1), 3, 2))
    seq = np.arange(6, dtype=np.float32).reshape(1, 2, 3)
    np.testing.assert_array_equal(UpSampling1D(2)(seq).numpy()[0],
                                  [[0, 1, 2], [0, 1, 2], [3, 4, 5], [3, 4, 5]])


@pytest.mark.parametrize("size", [(2, 2), (3, 2)])
def test_bilinear_upsampling_matches_keras(size):
    out = UpSampling2D(size, interpolation="bilinear")(TF["x"]).numpy()
    np.testing.assert_allclose(out, TF[f"up_{size}"], atol=2e-6)


def test_bilinear_upsampling_by_hand():
    # Half-pixel centres: output 0 of 4 samples input -0.25 (clamped to 0), output 1
    # samples 0.25 -> 0.75 * a + 0.25 * b.
    x = np.array([1.0, 3.0], np.float32).reshape(1, 1, 2, 1)
    out = UpSampling2D((1, 2), interpolation="bilinear")(x).numpy().ravel()
    np.testing.assert_allclose(out, [1.0, 1.5, 2.5, 3.0])


def test_padding_and_cropping_values():
    x = RNG.normal(size=(2, 5, 6, 3)).astype(np.float32)
    np.testing.assert_array_equal(ZeroPadding2D(((1, 0), (2, 3)))(x).numpy(),
                                  np.pad(x, ((0, 0), (1, 0), (2, 3), (0, 0))))
    np.testing.assert_array_equal(ZeroPadding2D(2)(x).numpy(),
                                  np.pad(x, ((0, 0), (2, 2), (2, 2), (0, 0))))
    np.testing.assert_array_equal(Cropping2D(((1, 2), (0, 3)))(x).numpy(), x[:, 1:3, 0:3])
    np.testing.assert_array_equal(Cropping2D((1, 2))(x).numpy(), x[:, 1:4, 2:4])
    seq = x[:, :, 0]
    np.testing.assert_array_equal(ZeroPadding1D((0, 2))(seq).numpy(),
                                  np.pad(seq, ((0, 0), (0, 2), (0, 0))))
    np.testing.assert_array_equal(Cropping1D()(seq).numpy(), seq[:, 1:-1])


@pytest.mark.parametrize("layer, input_shape, expected", [
    (UpSampling2D((2, 3)), (None, None, 5, 4), (None, None, 15, 4)),
    (UpSampling1D(4), (None, None, 2), (None, None, 2)),
    (UpSampling1D(4), (None, 3, 2), (None, 12, 2)),
    (ZeroPadding2D(((1, 2), (3, 4))), (None, 5, None, 1), (None, 8, None, 1)),
    (ZeroPadding1D(2), (None, 7, 3), (None, 11, 3)),
    (Cropping2D(((1, 2), (3, 4))), (None, None, 9, 2), (None, None, 2, 2)),
    (Cropping1D((2, 1)), (None, None, 3), (None, None, 3)),
    (SpatialDropout2D(0.3), (None, None, None, 8), (None, None, None, 8)),
])
def test_output_shapes_with_unknown_sizes(layer, input_shape, expected):
    assert layer.compute_output_shape(input_shape) == expected
    symbolic = layer(keras.Input(shape=input_shape[1:]))
    assert tuple(symbolic.shape) == expected


@pytest.mark.parametrize("make, shape", [
    (lambda: UpSampling2D((2, 3), dtype="float64"), (2, 3, 2, 2)),
    (lambda: UpSampling2D((2, 3), interpolation="bilinear", dtype="float64"), (2, 3, 4, 2)),
    (lambda: UpSampling1D(3, dtype="float64"), (2, 3, 2)),
    (lambda: ZeroPadding2D(((1, 0), (2, 1)), dtype="float64"), (2, 3, 2, 2)),
    (lambda: ZeroPadding1D((2, 1), dtype="float64"), (2, 3, 2)),
    (lambda: Cropping2D(((1, 0), (1, 2)), dtype="float64"), (2, 4, 5, 2)),
    (lambda: Cropping1D((0, 2), dtype="float64"), (2, 5, 3)),
])
def test_gradients(make, shape):
    layer = make()
    gradcheck(lambda x: layer(x), RNG.normal(size=shape))


def test_spatial_dropout_drops_whole_channels_while_training_only():
    x = np.ones((8, 4, 5, 16), np.float32)
    layer = SpatialDropout2D(0.5, seed=3)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    out = layer(x, training=True).numpy()
    per_map = out.reshape(8, 20, 16)
    assert np.all(per_map == per_map[:, :1])  # each feature map is all kept or all dropped
    assert set(np.unique(out)) == {0.0, 2.0}
    assert 0.3 < (per_map[:, 0] == 0).mean() < 0.7
    seq = SpatialDropout1D(0.25, seed=1)(np.ones((6, 7, 32), np.float32), training=True)
    values = seq.numpy()
    assert np.all(values == values[:, :1]) and set(np.unique(values)) == {0.0, np.float32(4 / 3)}


def test_spatial_dropout_is_reproducible_and_its_gradient_is_its_mask():
    x = RNG.normal(size=(3, 4, 4, 5))
    set_random_seed(7)
    first = SpatialDropout2D(0.4, dtype="float64")(x, training=True).numpy()
    set_random_seed(7)
    layer = SpatialDropout2D(0.4, dtype="float64")
    np.testing.assert_array_equal(layer(x, training=True).numpy(), first)
    mask = (first != 0) / 0.6
    v = tf.Variable(x)
    set_random_seed(7)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(v, training=True))
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), mask)


@pytest.mark.parametrize("layer", [
    UpSampling2D((2, 1), interpolation="bilinear"), UpSampling1D(3), ZeroPadding2D((1, 2)),
    ZeroPadding1D((0, 3)), Cropping2D(((1, 0), (0, 2))), Cropping1D(1),
    SpatialDropout1D(0.2, seed=4), SpatialDropout2D(0.1),
])
def test_config_round_trip_through_the_registry(layer):
    config = registry.serialize(layer)
    assert config["class_name"] == f"{type(layer).__name__}.v1"
    clone = registry.deserialize(config)
    assert type(clone) is type(layer) and clone.get_config() == layer.get_config()


def test_keras_config_keys():
    assert UpSampling2D().get_config()["size"] == (2, 2)
    assert ZeroPadding2D().get_config()["padding"] == ((1, 1), (1, 1))
    assert Cropping2D(2).get_config()["cropping"] == ((2, 2), (2, 2))
    assert Cropping1D().get_config()["cropping"] == (1, 1)
    assert ZeroPadding1D().get_config()["padding"] == (1, 1)
    config = SpatialDropout2D(0.5).get_config()
    assert config["rate"] == 0.5 and "noise_shape" not in config
    assert config["data_format"] == "channels_last"


def test_model_file_round_trip(tmp_path):
    model = keras.Sequential([
        keras.Input(shape=(6, 5, 2)), ZeroPadding2D(1), Cropping2D(((2, 0), (1, 1))),
        UpSampling2D(2, interpolation="bilinear"), SpatialDropout2D(0.5), Flatten(),
        keras.layers.Dense(3)])
    x = RNG.normal(size=(4, 6, 5, 2)).astype(np.float32)
    model.save(tmp_path / "m.myelin")
    loaded = keras.models.load_model(tmp_path / "m.myelin")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    assert [type(la).__name__ for la in loaded.layers] == [type(la).__name__
                                                          for la in model.layers]


@pytest.mark.parametrize("make, message", [
    (lambda: UpSampling2D(0), r"UpSampling2D layer 'up_sampling2d'.*`size`.*positive.*0"),
    (lambda: UpSampling2D((2, 2, 2)), r"`size`.*\(2, 2, 2\)"),
    (lambda: UpSampling2D(interpolation="bicubic"), r"'nearest' or 'bilinear'.*bicubic"),
    (lambda: UpSampling1D(1.5), r"UpSampling1D layer.*`size`.*1.5"),
    (lambda: ZeroPadding2D(-1), r"ZeroPadding2D layer.*`padding\[0\]`.*non-negative"),
    (lambda: ZeroPadding2D((1, 2, 3)), r"ZeroPadding2D layer.*`padding`.*\(1, 2, 3\)"),
    (lambda: ZeroPadding1D("1"), r"ZeroPadding1D layer.*`padding`.*'1'"),
    (lambda: Cropping2D(((1, 2), (3,))), r"Cropping2D layer.*`cropping\[1\]`"),
    (lambda: Cropping1D(-2), r"Cropping1D layer.*`cropping`.*-2"),
    (lambda: ZeroPadding2D(data_format="channels_first"), "channels_last"),
    (lambda: SpatialDropout2D(1.5), r"rate.*1.5"),
    (lambda: SpatialDropout2D(0.5, data_format="channels_first"), "SpatialDropout2D"),
])
def test_bad_arguments_name_the_layer_and_the_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("layer, shape, message", [
    (UpSampling2D(name="up"), (2, 5, 5), r"UpSampling2D layer 'up'.*rank 4.*\(2, 5, 5\).*"
                                         r"expand_dims"),
    (ZeroPadding1D(name="pad"), (2, 5), r"ZeroPadding1D layer 'pad'.*rank 3"),
    (Cropping2D(((2, 3), (0, 0)), name="crop"), (1, 5, 6, 1),
     r"Cropping2D layer 'crop'.*size 5.*5, 6, 1\)"),
    (Cropping1D((2, 2), name="crop1"), (1, 4, 2), r"Cropping1D layer 'crop1'.*size 4"),
    (SpatialDropout2D(0.5, name="sd"), (2, 3, 4), r"SpatialDropout2D layer 'sd'.*rank 4"),
])
def test_bad_inputs_change_nothing(layer, shape, message):
    with pytest.raises(ValueError, match=message):
        layer(np.zeros(shape, np.float32))
    assert not layer.built


def test_cropping_refuses_a_smaller_input_after_build_and_stays_usable():
    layer = Cropping2D(((1, 1), (2, 2)))
    layer(np.zeros((1, 5, 6, 1), np.float32))
    with pytest.raises(ValueError, match=r"Cropping2D.*\(1, 2, 6, 1\)"):
        layer(np.zeros((1, 2, 6, 1), np.float32))
    assert layer(np.ones((1, 5, 6, 1), np.float32)).shape == (1, 3, 2, 1)
