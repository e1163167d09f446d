"""Sequential (building, add/pop, weights, config) and Model subclassing."""

import numpy as np
import pytest

from myelin import layers
from myelin.layers import Dense, Dropout, Flatten, Input, clear_session
from myelin.models import Model, Sequential


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def test_build_from_tuple_creates_kernel_and_zero_bias():
    model = Sequential([Dense(1)])
    assert not model.built
    model.build((None, 1))
    assert model.built and model.count_params() == 2
    kernel, bias = model.weights
    assert kernel.name == "dense/kernel" and kernel.shape == (1, 1)
    assert bias.numpy().tolist() == [0.0]
    assert repr(bias) == ("<tf.Variable 'dense/bias' shape=(1,) dtype=float32, "
                          "numpy=array([0.], dtype=float32)>")


@pytest.mark.parametrize("make", [
    lambda: Sequential([Input(shape=(784,)), Dense(300), Dense(10)]),
    lambda: Sequential([Dense(300, input_shape=(784,)), Dense(10)]),
    lambda: Sequential([Dense(300, input_dim=784), Dense(10)]),
])
def test_built_at_construction_when_the_input_shape_is_known(make):
    model = make()
    assert model.built and model.count_params() == 784 * 300 + 300 + 300 * 10 + 10
    assert [layer.name for layer in model.layers] == ["dense", "dense_1"]  # no InputLayer
    assert model.input_shape == (None, 784) and model.output_shape == (None, 10)
    clear_session()


def test_build_keyword_and_lazy_build_on_call():
    model = Sequential([Dense(2)])
    model.build(input_shape=(None, 3))
    assert model.layers[0].kernel.shape == (3, 2)
    lazy = Sequential([Flatten(), Dense(4)])
    assert lazy(np.zeros((2, 5, 5))).shape == (2, 4) and lazy.built


def test_add_and_pop():
    model = Sequential()
    model.add(Input(shape=(4,)))
    model.add(Dense(3))
    assert model.built and model.count_params() == 15
    model.add(Dense(2))
    assert model.count_params() == 15 + 8
    popped = model.pop()
    assert popped.units == 2 and len(model.layers) == 1 and model.count_params() == 15
    model.pop()
    with pytest.raises(TypeError, match="There are no layers in the model"):
        model.pop()


def test_add_rejects_non_layers_duplicate_names_and_late_inputs():
    model = Sequential([Dense(2, name="hidden")])
    with pytest.raises(TypeError, match="Only instances of Layer can be added"):
        model.add(5)
    with pytest.raises(ValueError, match="Name 'hidden' is already the name of a layer"):
        model.add(Dense(2, name="hidden"))
    with pytest.raises(ValueError, match="an Input can only be the first element"):
        model.add(Input(shape=(3,)))


def test_build_without_shape_and_wrong_shape_for_input_are_errors():
    with pytest.raises(ValueError, match="you must provide an `input_shape` argument"):
        Sequential([Dense(2)]).build()
    model = Sequential([Input(shape=(4,)), Dense(2)])
    with pytest.raises(ValueError, match=r"declares shape \(None, 4\) but build\(\) received"):
        model.build((None, 5))


def test_call_runs_layers_in_order_and_training_reaches_dropout():
    model = Sequential([Dense(3, kernel_initializer="ones", input_shape=(2,)), Dropout(0.99)])
    x = np.ones((1, 2))
    np.testing.assert_array_equal(model(x).numpy(), [[2.0, 2.0, 2.0]])
    dropped = [model(x, training=True).numpy() for _ in range(5)]
    assert any(np.any(d == 0) for d in dropped)


def test_config_round_trip_rebuilds_the_same_architecture():
    model = Sequential([Input(shape=(3,)), Dense(4, activation="relu"), Dropout(0.1),
                        Dense(1)], name="regressor")
    clone = Sequential.from_config(model.get_config())
    assert clone.name == "regressor" and clone.built
    assert [type(layer).__name__ for layer in clone.layers] == ["Dense", "Dropout", "Dense"]
    assert clone.count_params() == model.count_params()


class TwoLayers(Model):
    def __init__(self):
        super().__init__()
        self.hidden = Dense(8, activation="relu")
        self.blocks = [Dropout(0.5), Dense(1)]

    def call(self, inputs, training=None):
        x = self.hidden(inputs)
        for layer in self.blocks:
            x = layer(x, training=training)
        return x


def test_subclassed_model_tracks_attribute_layers_and_lists():
    model = TwoLayers()
    assert model.name == "two_layers"
    out = model(np.ones((2, 3)))
    assert out.shape == (2, 1)
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "Dropout", "Dense"]
    assert len(model.weights) == 4 and model.count_params() == (3 * 8 + 8) + (8 + 1)
    assert model.get_layer("dense_1") is model.blocks[1]
    assert model.get_layer(index=0) is model.hidden


def test_subclassed_model_explicit_build_creates_weights():
    model = TwoLayers()
    model.build((None, 5))
    assert model.built and model.hidden.kernel.shape == (5, 8)


def test_model_with_inputs_but_no_outputs_is_refused_clearly():
    with pytest.raises(ValueError, match="`outputs` is None"):
        Model(inputs=Input(shape=(2,)), outputs=None)


def test_layers_module_exports():
    assert layers.GlobalAvgPool1D is layers.GlobalAveragePooling1D
