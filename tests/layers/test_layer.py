"""The Layer base class: names, lazy build, weights, trainable, config, input checks."""

import numpy as np
import pytest

from myelin import layers, ops
from myelin.autodiff import GradientTape, Tensor, Variable
from myelin.layers import Dense, Dropout, Layer, clear_session


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def test_auto_names_are_unique_snake_case_and_reset_by_clear_session():
    assert [Dense(1).name, Dense(1).name, Dense(1).name] == ["dense", "dense_1", "dense_2"]
    assert layers.GlobalAveragePooling1D().name == "global_average_pooling1d"
    clear_session()
    assert Dense(1).name == "dense"


def test_name_with_slash_and_unknown_kwarg_are_refused():
    with pytest.raises(ValueError, match="cannot contain '/'"):
        Dense(1, name="a/b")
    with pytest.raises(ValueError, match=r"Unrecognized keyword arguments passed to Dense: "
                                         r"\['kernel_regularizr'\]"):
        Dense(1, kernel_regularizr="l2")


def test_lazy_build_on_first_call_creates_named_weights():
    layer = Dense(3)
    assert not layer.built and layer.weights == []
    out = layer(np.ones((2, 4)))
    assert out.shape == (2, 3) and layer.built
    assert [w.name for w in layer.weights] == ["dense/kernel", "dense/bias"]
    assert layer.kernel.shape == (4, 3) and np.all(layer.bias.numpy() == 0)
    assert layer.input_shape == (None, 4) and layer.output_shape == (None, 3)


def test_input_shape_kwargs_are_remembered_for_sequential():
    assert Dense(1, input_shape=(784,))._input_shape_arg == (None, 784)
    assert Dense(1, input_shape=[1])._input_shape_arg == (None, 1)
    assert Dense(1, input_dim=5)._input_shape_arg == (None, 5)
    assert Dense(1, batch_input_shape=(8, 3))._input_shape_arg == (8, 3)


def test_wrong_feature_count_names_layer_and_both_shapes():
    layer = Dense(2, name="dense_2")
    layer(np.ones((1, 784)))
    with pytest.raises(ValueError) as info:
        layer(np.ones((32, 785)))
    assert str(info.value) == (
        "Dense layer 'dense_2' expects inputs with 784 features (last axis) but received "
        "shape (32, 785). Check the input_shape of the first layer.")


def test_rank_one_input_to_dense_is_refused_with_reshape_hint():
    with pytest.raises(ValueError, match=r"expects inputs of rank >= 2 but received shape "
                                         r"\(15,\).*reshape the data to \(15, 1\)"):
        Dense(1)(np.ones(15))


class Scale(Layer):
    """A custom layer: one trainable scalar times the input, plus a frozen offset."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(), initializer="ones", name="w")
        self.offset = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                      name="offset")

    def call(self, inputs):
        return ops.add(ops.multiply(inputs, self.w), self.offset)


def test_custom_layer_build_without_super_and_gradient():
    layer = Scale()
    x = Tensor(np.array([[1.0, 2.0]], dtype=np.float32))
    with GradientTape() as tape:
        y = ops.reduce_sum(layer(x))
    assert layer.built
    assert float(tape.gradient(y, layer.w)) == 3.0
    assert layer.trainable_weights == [layer.w]
    assert layer.non_trainable_weights == [layer.offset]
    assert layer.count_params() == 2


def test_trainable_false_moves_weights_and_stops_gradients():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    layer.trainable = False
    assert layer.trainable_weights == [] and len(layer.non_trainable_weights) == 2
    assert not layer.kernel.trainable
    layer.trainable = True
    assert layer.trainable_weights == [layer.kernel, layer.bias]


def test_get_weights_copies_and_set_weights_checks_everything_first():
    layer = Dense(2)
    layer(np.ones((1, 3)))
    weights = layer.get_weights()
    weights[0][...] = 7.0
    assert not np.any(layer.kernel.numpy() == 7.0)  # a copy
    before = layer.get_weights()
    with pytest.raises(ValueError) as info:
        layer.set_weights([np.zeros((3, 2)), np.zeros(3)])
    assert "weight 'dense/bias' has shape (2,), received an array of shape (3,)" in str(
        info.value)
    assert all(np.array_equal(a, b) for a, b in zip(before, layer.get_weights(), strict=True))
    with pytest.raises(ValueError, match="expected 2 arrays .* received 1"):
        layer.set_weights([np.zeros((3, 2))])
    layer.set_weights([np.full((3, 2), 0.5), np.array([1.0, 2.0])])
    np.testing.assert_array_equal(layer(np.ones((1, 3))).numpy(), [[2.5, 3.5]])


def test_count_params_before_build_raises_like_keras():
    with pytest.raises(ValueError, match="isn't built"):
        Dense(1).count_params()


def test_nested_layers_are_tracked_in_attributes_and_lists():
    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.first = Dense(4)
            self.rest = [Dense(3)]
            self.rest.append(Dense(2))  # appended later: still tracked

        def call(self, inputs):
            x = self.first(inputs)
            for layer in self.rest:
                x = layer(x)
            return x

    block = Block()
    assert block(np.ones((1, 5))).shape == (1, 2)
    assert len(block.weights) == 6
    assert block.count_params() == (5 * 4 + 4) + (4 * 3 + 3) + (3 * 2 + 2)
    block.trainable = False
    assert block.trainable_weights == [] and not block.rest[1].kernel.trainable


def test_assigning_a_layer_before_super_init_is_a_clear_error():
    class Broken(Layer):
        def __init__(self):
            self.inner = Dense(1)
            super().__init__()

    with pytest.raises(RuntimeError, match=r"call super\(\).__init__\(\) before assigning"):
        Broken()


def test_training_flag_is_passed_to_call_and_inherited_by_nested_layers():
    seen = []

    class Probe(Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    class Outer(Layer):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, inputs):  # no training argument: nested layers inherit it
            return self.probe(inputs)

    Outer()(np.ones((1, 1)), training=True)
    Probe()(np.ones((1, 1)))
    assert seen == [True, None]


def test_config_round_trip():
    layer = Dense(4, activation="relu", use_bias=False, input_shape=(3,))
    config = layer.get_config()
    assert config["units"] == 4 and config["activation"] == "relu"
    assert config["batch_input_shape"] == (None, 3)
    clone = Dense.from_config(config)
    assert clone.units == 4 and clone.use_bias is False and clone.name == layer.name
    restored = layers.deserialize(layers.serialize(Dropout(0.3)))
    assert isinstance(restored, Dropout) and restored.rate == 0.3
    with pytest.raises(ValueError, match="unknown class name 'Evil'"):
        layers.deserialize({"class_name": "Evil", "config": {}})


def test_inputs_are_cast_to_the_layer_dtype():
    layer = Dense(1, kernel_initializer="ones")
    out = layer(np.array([[1, 2]], dtype=np.int64))  # ints in, float32 out
    assert out.dtype == np.float32 and float(out.numpy()[0, 0]) == 3.0
    assert layer(np.array([[1.0, 2.0]])).dtype == np.float32  # float64 in


def test_add_weight_names_and_defaults_and_rejects_unknown_dims():
    layer = Layer()
    w = layer.add_weight(shape=(2,), initializer="ones", name="gain")
    assert w.name == "layer/gain" and isinstance(w, Variable) and w.dtype == np.float32
    count = layer.add_weight(shape=(), dtype="int", trainable=False, name="count")
    assert count.dtype == np.int64 and count.numpy() == 0  # ints default to zeros
    with pytest.raises(ValueError, match="every dimension must be known"):
        layer.add_weight(shape=(None, 2))
