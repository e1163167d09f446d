"""Convolution and pooling layers: shapes as Keras computes them, weights as Keras stores
them, values against the tf.nn functions, errors that name the layer, saving, learning."""

import numpy as np
import pytest

import myelin as tf
from myelin import keras
from myelin.layers import (
    AveragePooling1D,
    AveragePooling2D,
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    DepthwiseConv2D,
    Flatten,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPool2D,
    MaxPooling1D,
    MaxPooling2D,
    SeparableConv2D,
    clear_session,
)

RNG = np.random.default_rng(5)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def _mnist_convnet():
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        Conv2D(32, kernel_size=(3, 3), activation="relu"),
        MaxPooling2D(pool_size=(2, 2)),
        Conv2D(64, kernel_size=(3, 3), activation="relu"),
        MaxPooling2D(pool_size=(2, 2)),
        Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(10, activation="softmax"),
    ])


def test_keras_simple_mnist_convnet_shapes_and_parameter_counts(capsys):
    model = _mnist_convnet()
    shapes = [layer.output_shape for layer in model.layers]
    assert shapes == [(None, 26, 26, 32), (None, 13, 13, 32), (None, 11, 11, 64),
                      (None, 5, 5, 64), (None, 1600), (None, 1600), (None, 10)]
    # Keras prints 320, 18,496 and 16,010: 34,826 in total.
    assert [layer.count_params() for layer in model.layers] == [320, 0, 18496, 0, 0, 0, 16010]
    model.summary()
    out = capsys.readouterr().out
    assert "(None, 26, 26, 32)" in out and "18,496" in out and "34,826" in out


@pytest.mark.parametrize("layer, input_shape, output_shape, weight_shapes", [
    (lambda: Conv2D(8, 3, strides=2, padding="same"), (None, 9, 10, 3), (None, 5, 5, 8),
     [(3, 3, 3, 8), (8,)]),
    (lambda: Conv2D(6, (2, 3), dilation_rate=2, groups=3, use_bias=False), (None, 7, 8, 3),
     (None, 5, 4, 6), [(2, 3, 1, 6)]),
    (lambda: Conv1D(4, 3, padding="causal", dilation_rate=2), (None, 10, 2), (None, 10, 4),
     [(3, 2, 4), (4,)]),
    (lambda: Conv1D(4, 3, strides=2), (None, None, 2), (None, None, 4), [(3, 2, 4), (4,)]),
    (lambda: Conv2DTranspose(5, 3, strides=2, padding="same"), (None, 7, 7, 4),
     (None, 14, 14, 5), [(3, 3, 5, 4), (5,)]),
    (lambda: Conv2DTranspose(5, 3, strides=2), (None, 7, 6, 4), (None, 15, 13, 5),
     [(3, 3, 5, 4), (5,)]),
    (lambda: Conv2DTranspose(2, 2, strides=3), (None, 4, 4, 1), (None, 12, 12, 2),
     [(2, 2, 2, 1), (2,)]),
    (lambda: Conv2DTranspose(2, 3, strides=2, padding="same", output_padding=0),
     (None, 5, 5, 1), (None, 9, 9, 2), [(3, 3, 2, 1), (2,)]),
    (lambda: DepthwiseConv2D(3, depth_multiplier=2), (None, 8, 8, 3), (None, 6, 6, 6),
     [(3, 3, 3, 2), (6,)]),
    (lambda: SeparableConv2D(7, 3, padding="same", depth_multiplier=2), (None, 8, 8, 3),
     (None, 8, 8, 7), [(3, 3, 3, 2), (1, 1, 6, 7), (7,)]),
    (lambda: MaxPooling2D(3, strides=2, padding="same"), (None, 7, None, 4), (None, 4, None, 4),
     []),
    (lambda: AveragePooling2D((2, 3)), (None, 7, 7, 4), (None, 3, 2, 4), []),
    (lambda: MaxPooling1D(), (None, 9, 2), (None, 4, 2), []),
    (lambda: AveragePooling1D(3, strides=1, padding="same"), (None, 9, 2), (None, 9, 2), []),
    (lambda: GlobalMaxPooling2D(keepdims=True), (None, 5, 6, 3), (None, 1, 1, 3), []),
    (lambda: GlobalAveragePooling2D(), (None, 5, 6, 3), (None, 3), []),
    (lambda: GlobalMaxPooling1D(), (None, 5, 3), (None, 3), []),
])
def test_output_shapes_without_running_and_weight_shapes(layer, input_shape, output_shape,
                                                         weight_shapes):
    layer = layer()
    assert layer.compute_output_shape(input_shape) == output_shape
    assert not layer.built  # computed from the arguments alone
    concrete = tuple(5 if d is None else d for d in input_shape)
    out = layer(RNG.normal(size=(2,) + concrete[1:]).astype(np.float32))
    expected = tuple(2 if i == 0 else (d if d is not None else out.shape[i])
                     for i, d in enumerate(output_shape))
    assert out.shape == expected
    assert [w.shape for w in layer.weights] == weight_shapes


def test_conv2d_layer_is_tf_nn_conv2d_plus_bias_and_activation():
    layer = Conv2D(4, 3, strides=(1, 2), padding="same", activation="relu",
                   bias_initializer="ones")
    x = RNG.normal(size=(2, 6, 7, 3)).astype(np.float32)
    out = layer(x).numpy()
    ref = np.maximum(tf.nn.conv2d(x, layer.kernel, [1, 1, 2, 1], "SAME").numpy() + 1, 0)
    np.testing.assert_allclose(out, ref, rtol=1e-6, atol=1e-6)


def test_separable_is_depthwise_then_pointwise():
    layer = SeparableConv2D(3, 2, depth_multiplier=2, activation="tanh",
                            bias_initializer="ones")
    x = RNG.normal(size=(2, 5, 5, 2)).astype(np.float32)
    out = layer(x).numpy()
    depth = tf.nn.depthwise_conv2d(x, layer.depthwise_kernel, 1, "VALID")
    ref = np.tanh(tf.nn.conv2d(depth, layer.pointwise_kernel, 1, "VALID").numpy() + 1)
    np.testing.assert_allclose(out, ref, rtol=1e-5, atol=1e-6)


def test_grayscale_without_channel_axis_names_the_layer_and_the_fix():
    model = _mnist_convnet()
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    before = [w.copy() for w in model.get_weights()]
    with pytest.raises(ValueError) as error:
        model.fit(np.zeros((8, 28, 28), np.float32), np.eye(10)[np.zeros(8, int)], verbose=0)
    message = str(error.value)
    for part in ("Conv2D layer 'conv2d'", "rank 4", "(batch, height, width, channels)",
                 "(8, 28, 28)", "np.expand_dims(x, -1)"):
        assert part in message
    assert all(np.array_equal(a, b) for a, b in zip(before, model.get_weights(), strict=True))
    with pytest.raises(ValueError, match="expects inputs of rank 4"):
        Conv2D(2, 3)(np.zeros((4, 28, 28)))


def test_kernel_larger_than_input_with_valid_padding():
    layer = Conv2D(2, 5, name="big")
    with pytest.raises(ValueError, match=r"layer 'big'.*kernel \(5, 5\).*larger than the input"):
        layer(np.zeros((1, 4, 6, 1), np.float32))
    assert not layer.built and layer.weights == []
    with pytest.raises(ValueError, match="larger than the input"):
        Conv2D(2, 3, dilation_rate=3).compute_output_shape((None, 6, 6, 1))
    assert Conv2D(2, 5, padding="same")(np.zeros((1, 4, 6, 1))).shape == (1, 4, 6, 2)


def test_channel_count_changed_after_build():
    layer = Conv2D(2, 3, name="c")
    layer(np.zeros((1, 5, 5, 3), np.float32))
    kernel = layer.kernel.numpy().copy()
    with pytest.raises(ValueError, match=r"layer 'c' was built for inputs with 3 channels.*"
                                         r"\(1, 5, 5, 4\)"):
        layer(np.zeros((1, 5, 5, 4), np.float32))
    np.testing.assert_array_equal(layer.kernel.numpy(), kernel)


def test_pooling_to_zero_size():
    with pytest.raises(ValueError, match=r"MaxPooling2D layer 'pool'.*pool window.*\(1, 4\)"):
        MaxPooling2D(2, name="pool")(np.zeros((1, 1, 4, 3), np.float32))
    with pytest.raises(ValueError, match="pool window"):
        AveragePooling1D(4).compute_output_shape((None, 3, 2))


@pytest.mark.parametrize("make, message", [
    (lambda: Conv2D(0, 3), "filters"),
    (lambda: Conv2D(5, 3, groups=2), "evenly divisible"),
    (lambda: Conv2D(4, 3, strides=2, dilation_rate=2), "dilation_rate > 1"),
    (lambda: Conv2D(4, (3, 3, 3)), "kernel_size"),
    (lambda: Conv2D(4, 3, padding="causal"), "padding"),
    (lambda: Conv2D(4, 3, data_format="channels_first"), "channels_last"),
    (lambda: Conv2DTranspose(4, 3, strides=2, output_padding=2), "output_padding"),
    (lambda: DepthwiseConv2D(3, depth_multiplier=0), "depth_multiplier"),
    (lambda: MaxPooling2D(pool_size=-1), "pool_size"),
    (lambda: Conv2D(4, 3, groups=2)(np.zeros((1, 5, 5, 3))), "groups"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_aliases_and_config_round_trip():
    assert MaxPool2D is MaxPooling2D and keras.layers.Convolution2D is Conv2D
    for layer in [Conv2D(3, (2, 3), strides=2, padding="same", activation="relu", groups=1),
                  Conv1D(2, 3, padding="causal"), Conv2DTranspose(2, 3, output_padding=(0, 0)),
                  DepthwiseConv2D(3, depth_multiplier=2), SeparableConv2D(2, 3),
                  MaxPooling2D(3, 2, "same"), GlobalAveragePooling2D(keepdims=True)]:
        config = layer.get_config()
        clone = type(layer).from_config(config)
        assert clone.get_config() == config
    config = Conv2D(3, 2).get_config()
    assert config["kernel_size"] == (2, 2) and config["strides"] == (1, 1)
    assert config["padding"] == "valid" and config["dilation_rate"] == (1, 1)
    assert config["data_format"] == "channels_last" and config["activation"] == "linear"


def test_model_with_every_layer_saves_and_loads_with_identical_predictions(tmp_path):
    model = keras.Sequential([
        keras.Input(shape=(12, 12, 2)),
        Conv2D(4, 3, padding="same", activation="relu"),
        DepthwiseConv2D(3, depth_multiplier=2),
        SeparableConv2D(4, 2, activation="tanh"),
        Conv2DTranspose(3, 3, strides=2, padding="same"),
        AveragePooling2D(2),
        MaxPooling2D(2),
        GlobalMaxPooling2D(keepdims=True),
        Flatten(),
    ])
    x = RNG.normal(size=(3, 12, 12, 2)).astype(np.float32)
    path = tmp_path / "m.myelin"
    model.save(path)
    loaded = keras.models.load_model(path)
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), model.predict(x, verbose=0))
    seq = keras.Sequential([keras.Input(shape=(10, 3)), Conv1D(4, 3, padding="causal"),
                            MaxPooling1D(2), AveragePooling1D(), GlobalMaxPooling1D()])
    seq.save(tmp_path / "s.myelin")
    x1 = RNG.normal(size=(2, 10, 3)).astype(np.float32)
    np.testing.assert_array_equal(keras.models.load_model(tmp_path / "s.myelin").predict(
        x1, verbose=0), seq.predict(x1, verbose=0))


def test_a_small_convnet_learns_bar_orientation():
    # 8x8 images holding one horizontal or one vertical bar at a random place, plus noise.
    rng = np.random.default_rng(0)
    n = 256
    x = rng.normal(0, 0.3, size=(n, 8, 8, 1)).astype(np.float32)
    y = rng.integers(0, 2, n)
    for i, where in enumerate(rng.integers(0, 8, n)):
        if y[i]:
            x[i, :, where, 0] += 1
        else:
            x[i, where, :, 0] += 1
    tf.utils.set_random_seed(1)
    model = keras.Sequential([keras.Input(shape=(8, 8, 1)), Conv2D(4, 3, activation="relu"),
                              MaxPooling2D(), Flatten(), keras.layers.Dense(2)])
    model.compile(optimizer=keras.optimizers.Adam(0.02), metrics=["accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(x[:192], y[:192], epochs=15, batch_size=32, verbose=0)
    assert model.evaluate(x[192:], y[192:], verbose=0)[1] >= 0.9  # chance is 0.5
