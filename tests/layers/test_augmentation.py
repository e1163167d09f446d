"""Augmentation layers: warps equal to TensorFlow's stored outputs, Keras 3.15's transforms
checked on images whose result is known by hand, training-only behaviour, seeding,
gradients, configs and model files, and errors that name the layer."""

from pathlib import Path

import numpy as np
import pytest

from myelin import keras
from myelin.autodiff import Tensor
from myelin.layers import (
    Flatten,
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
    clear_session,
)
from myelin.ops.affine_grid import sampling_grid
from myelin.ops.image import Resample, Resize, linear_weights
from myelin.saving import registry
from myelin.testing import gradcheck
from myelin.utils import set_random_seed

RNG = np.random.default_rng(3)
TF = np.load(Path(__file__).parent / "data" / "tf_image_reference.npz")
ALL = [lambda **k: RandomFlip(**k), lambda **k: RandomRotation(0.2, **k),
       lambda **k: RandomZoom(0.3, 0.2, **k), lambda **k: RandomTranslation(0.2, 0.3, **k),
       lambda **k: RandomContrast(0.5, **k)]
NAMES = ["flip", "rotation", "zoom", "translation", "contrast"]


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _ramp(h, w):
    """An image whose pixel (y, x) holds x (channel 0) and y (channel 1)."""
    ys, xs = np.meshgrid(np.arange(h, dtype=np.float32), np.arange(w, dtype=np.float32),
                         indexing="ij")
    return np.stack([xs, ys], -1)[None]


@pytest.mark.parametrize("transform", ["rot", "zoom", "trans"])
@pytest.mark.parametrize("fill_mode", ["reflect", "wrap", "constant", "nearest"])
@pytest.mark.parametrize("interpolation", ["nearest", "bilinear"])
def test_warps_equal_tensorflow_image_projective_transform(transform, fill_mode,
                                                           interpolation):
    # Stored outputs of tf.raw_ops.ImageProjectiveTransformV3 (TF 2.21), fill_value 0.5;
    # the transforms reach several image widths outside, so every fill branch runs.
    index, weights, const = sampling_grid(TF[f"t_{transform}"], (7, 9), (7, 9),
                                          interpolation, fill_mode, 0.5)
    out = Resample.apply(Tensor(TF["x"]), index=index, weights=weights, const=const,
                         out_hw=(7, 9)).numpy()
    expected = TF[f"{transform}_{fill_mode.upper()}_{interpolation.upper()}"]
    np.testing.assert_allclose(out, expected, atol=1e-6)


@pytest.mark.parametrize("key, layer", [
    ("keras_rotation", RandomRotation((0.1, 0.1), fill_mode="constant")),
    ("keras_zoom", RandomZoom((0.3, 0.3), (-0.2, -0.2), fill_mode="wrap")),
    ("keras_zoom_in", RandomZoom((-0.4, -0.4), fill_mode="nearest", interpolation="nearest")),
    ("keras_translation", RandomTranslation((0.2, 0.2), (-0.3, -0.3))),
])
def test_layers_equal_keras_when_the_draw_is_fixed(key, layer):
    # One-value ranges make the random draw known; Keras 3.15's outputs are stored.
    np.testing.assert_allclose(layer(TF["x"], training=True).numpy(), TF[key], atol=1e-6)


@pytest.mark.parametrize("size, key", [((4, 5), "resize_down"), ((11, 5), "resize_mixed")])
def test_resize_equals_tensorflow_bilinear_resize(size, key):
    out = Resize.apply(Tensor(TF["x"]), rows=linear_weights(7, size[0]),
                       cols=linear_weights(9, size[1])).numpy()
    np.testing.assert_allclose(out, TF[key], atol=3e-6)


@pytest.mark.parametrize("make", ALL, ids=NAMES)
def test_identity_at_inference_and_random_while_training(make):
    x = RNG.uniform(0, 255, size=(6, 8, 10, 3)).astype(np.float32)
    layer = make(seed=5)
    np.testing.assert_array_equal(layer(x).numpy(), x)
    np.testing.assert_array_equal(layer(x[0]).numpy(), x[0])  # a single image
    out = layer(x, training=True).numpy()
    assert out.shape == x.shape and not np.array_equal(out, x)
    assert layer(x[0], training=True).shape == x[0].shape


@pytest.mark.parametrize("make", ALL, ids=NAMES)
def test_runs_replay_with_the_same_seed(make):
    x = RNG.uniform(0, 1, size=(4, 6, 6, 2)).astype(np.float32)
    a, b = make(seed=11), make(seed=11)
    np.testing.assert_array_equal(a(x, training=True).numpy(), b(x, training=True).numpy())
    set_random_seed(2)
    first = make()(x, training=True).numpy()
    set_random_seed(2)
    np.testing.assert_array_equal(make()(x, training=True).numpy(), first)


@pytest.mark.parametrize("mode", ["horizontal", "vertical", "horizontal_and_vertical"])
def test_random_flip_flips_each_image_or_leaves_it(mode):
    x = RNG.normal(size=(64, 3, 4, 2)).astype(np.float32)
    flipped = {"horizontal": x[:, :, ::-1], "vertical": x[:, ::-1],
               "horizontal_and_vertical": x[:, ::-1, ::-1]}[mode]
    out = RandomFlip(mode, seed=1)(x, training=True).numpy()
    same = np.all(out == x, axis=(1, 2, 3))
    flips = np.all(out == flipped, axis=(1, 2, 3))
    assert np.all(same | flips) and 16 < flips.sum() < 48


def test_rotation_by_a_quarter_turn_is_rot90():
    x = RNG.normal(size=(2, 5, 5, 1)).astype(np.float32)
    out = RandomRotation((0.25, 0.25), interpolation="nearest")(x, training=True).numpy()
    # Keras: positive angles turn counter-clockwise; out[y, x] = in[x, 4 - y].
    np.testing.assert_allclose(out, np.rot90(x, 1, axes=(1, 2)), atol=1e-6)


def test_translation_shifts_by_the_drawn_fraction():
    x = RNG.normal(size=(2, 8, 8, 1)).astype(np.float32)
    layer = RandomTranslation((0.25, 0.25), (0.5, 0.5), fill_mode="constant", fill_value=-1)
    out = layer(x, training=True).numpy()
    expected = np.full_like(x, -1)
    expected[:, 2:, 4:] = x[:, :6, :4]  # down by 0.25 * 8 rows, right by 0.5 * 8 columns
    np.testing.assert_array_equal(out, expected)


def test_zoom_about_the_centre_on_a_ramp():
    # Bilinear interpolation reproduces a linear ramp exactly: zoom 0.5 (height_factor
    # -0.5) maps output x to input 0.5 * x + (w - 1) / 2 * 0.5.
    out = RandomZoom((-0.5, -0.5), (-0.5, -0.5))(_ramp(7, 9), training=True).numpy()[0]
    xs = np.arange(9) * 0.5 + 4 * 0.5
    ys = np.arange(7) * 0.5 + 3 * 0.5
    np.testing.assert_allclose(out[..., 0], np.broadcast_to(xs, (7, 9)), atol=1e-5)
    np.testing.assert_allclose(out[..., 1], np.broadcast_to(ys[:, None], (7, 9)), atol=1e-5)
    wide = RandomZoom((0.5, 0.5), None)(_ramp(7, 9), training=True).numpy()[0]
    assert wide[3, 4, 0] == 4 and wide[3, 5, 0] == 5.5  # width follows the height's zoom


def test_contrast_scales_the_deviation_from_each_images_mean():
    x = RNG.uniform(50, 200, size=(8, 4, 4, 3)).astype(np.float32)
    out = RandomContrast(0.5, seed=2)(x, training=True).numpy()
    mean = x.mean(axis=(1, 2), keepdims=True)
    # One factor per image (its least-squares fit) explains every pixel and channel.
    factor = (((out - mean) * (x - mean)).sum(axis=(1, 2, 3), keepdims=True)
              / ((x - mean) ** 2).sum(axis=(1, 2, 3), keepdims=True))
    np.testing.assert_allclose(out, (x - mean) * factor + mean, atol=1e-3)
    assert np.all((factor >= 1 - 1e-4) & (factor <= 1.5 + 1e-4))  # Keras: [1, 1 + f]
    assert np.ptp(factor) > 0.1
    clipped = RandomContrast((0.9, 0.9), value_range=(0, 1))(
        np.array([0.0, 1.0], np.float32).reshape(1, 1, 2, 1), training=True).numpy()
    assert clipped.min() >= 0 and clipped.max() <= 1


def test_random_crop_cuts_a_window_while_training_and_the_centre_at_inference():
    x = RNG.normal(size=(3, 10, 8, 2)).astype(np.float32)
    layer = RandomCrop(4, 5, seed=0)
    out = layer(x, training=True).numpy()
    windows = [x[:, t:t + 4, s:s + 5] for t in range(7) for s in range(4)]
    assert any(np.array_equal(out, w) for w in windows)  # one window for the whole batch
    # Inference: the centred 8 x 8 window (target aspect 4:4) averaged in 2 x 2 blocks.
    square = RandomCrop(4, 4)(x).numpy()
    window = x[:, 1:9]
    blocks = window.reshape(3, 4, 2, 4, 2, 2).mean(axis=(2, 4))
    np.testing.assert_allclose(square, blocks, atol=1e-6)
    exact = RandomCrop(6, 8)(x).numpy()  # the window already has the target size
    np.testing.assert_array_equal(exact, x[:, 2:8])
    small = RandomCrop(12, 12)(x, training=True)  # smaller input: centre window, resized
    assert small.shape == (3, 12, 12, 2)


def test_random_crop_output_shape_with_unknown_sizes():
    layer = RandomCrop(4, 5)
    assert layer.compute_output_shape((None, None, None, 3)) == (None, 4, 5, 3)
    assert tuple(layer(keras.Input(shape=(None, None, 3))).shape) == (None, 4, 5, 3)


@pytest.mark.parametrize("make", ALL + [lambda **k: RandomCrop(3, 4, **k)],
                         ids=NAMES + ["crop"])
def test_gradients_while_training(make):
    layer = make(dtype="float64")

    def augment(x):
        set_random_seed(4)  # the same draw at every finite-difference evaluation
        return layer(x, training=True)

    gradcheck(augment, RNG.uniform(0.1, 0.9, size=(2, 5, 6, 2)))


@pytest.mark.parametrize("layer", [
    RandomFlip("vertical", seed=3), RandomRotation((-0.1, 0.2), fill_mode="wrap"),
    RandomZoom(0.2, (-0.1, 0.3), interpolation="nearest", fill_value=1.5),
    RandomTranslation(0.1, (0.0, 0.2), fill_mode="nearest"),
    RandomContrast((0.1, 0.3), value_range=(0, 1)), RandomCrop(3, 2, seed=9),
])
def test_config_round_trip_through_the_registry(layer):
    config = registry.serialize(layer)
    assert config["class_name"] == f"{type(layer).__name__}.v1"
    clone = registry.deserialize(config)
    assert type(clone) is type(layer) and clone.get_config() == layer.get_config()


def test_keras_config_values():
    assert RandomRotation(0.1).get_config()["factor"] == (-0.1, 0.1)
    assert RandomContrast(0.2).get_config()["factor"] == (0.0, 0.2)
    config = RandomTranslation(0.1, 0.2).get_config()
    assert (config["fill_mode"], config["interpolation"]) == ("reflect", "bilinear")
    assert config["height_factor"] == 0.1 and config["fill_value"] == 0.0
    assert RandomFlip().get_config()["mode"] == "horizontal_and_vertical"


def test_a_model_with_augmentation_saves_and_predicts_the_same(tmp_path):
    model = keras.Sequential([
        keras.Input(shape=(10, 10, 3)), RandomFlip("horizontal"), RandomRotation(0.1),
        RandomZoom(0.1), RandomTranslation(0.1, 0.1), RandomContrast(0.2),
        RandomCrop(8, 8), Flatten(), keras.layers.Dense(2)])
    x = RNG.uniform(0, 255, size=(3, 10, 10, 3)).astype(np.float32)
    model.save(tmp_path / "m.myelin")
    loaded = keras.models.load_model(tmp_path / "m.myelin")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))


@pytest.mark.parametrize("make, message", [
    (lambda: RandomFlip("diagonal"), r"RandomFlip layer 'random_flip'.*`mode` 'diagonal'"),
    (lambda: RandomRotation(1.5), r"RandomRotation layer.*\[-1, 1\].*factor=1.5"),
    (lambda: RandomRotation((0.1, 0.2, 0.3)), r"RandomRotation.*factor"),
    (lambda: RandomRotation(0.1, fill_mode="mirror"), r"`fill_mode` 'mirror'.*'reflect'"),
    (lambda: RandomZoom(-1.0), r"RandomZoom layer.*\(-1.0, 1.0\].*height_factor=-1.0"),
    (lambda: RandomZoom(0.1, "a"), r"RandomZoom.*width_factor='a'"),
    (lambda: RandomTranslation(0.1, 2), r"RandomTranslation.*width_factor=2"),
    (lambda: RandomTranslation(0.1, 0.1, interpolation="cubic"), r"`interpolation` 'cubic'"),
    (lambda: RandomTranslation(0.1, 0.1, fill_value="x"), r"fill_value"),
    (lambda: RandomContrast(1.2), r"RandomContrast.*\[0, 1\].*1.2"),
    (lambda: RandomContrast(0.1, value_range=(1, 0)), r"value_range=\(1, 0\)"),
    (lambda: RandomCrop(0, 4), r"RandomCrop layer.*`height`.*0"),
    (lambda: RandomCrop(4, 2.5), r"RandomCrop.*`width`.*2.5"),
    (lambda: RandomFlip(seed="a"), r"RandomFlip.*seed='a'"),
    (lambda: RandomFlip(data_format="channels_first"), "channels_last"),
])
def test_bad_arguments_name_the_layer_and_the_value(make, message):
    with pytest.raises(ValueError, match=message):
        make()


@pytest.mark.parametrize("make", ALL + [lambda **k: RandomCrop(2, 2, **k)],
                         ids=NAMES + ["crop"])
@pytest.mark.parametrize("shape", [(4, 5), (1, 2, 3, 4, 5)])
def test_bad_ranks_change_nothing(make, shape):
    layer = make(name="aug")
    with pytest.raises(ValueError, match=rf"layer 'aug' expects images of rank 4 .*"
                                         rf"{shape}.*expand_dims"):
        layer(np.zeros(shape, np.float32), training=True)
    assert not layer.built


def test_fit_augments_every_batch_and_evaluate_and_predict_do_not(monkeypatch):
    batches = []
    augment = RandomFlip._augment
    monkeypatch.setattr(RandomFlip, "_augment",
                        lambda self, images: batches.append(images.shape) or augment(self, images))
    model = keras.Sequential([keras.Input(shape=(4, 4, 1)), RandomFlip(seed=0), Flatten(),
                              keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    x, y = RNG.normal(size=(8, 4, 4, 1)).astype(np.float32), np.zeros((8, 1), np.float32)
    model.fit(x, y, epochs=2, batch_size=4, verbose=0)
    assert batches == [(4, 4, 4, 1)] * 4
    model.evaluate(x, y, verbose=0)
    model.predict(x, verbose=0)
    assert len(batches) == 4
