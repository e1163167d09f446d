"""Input, Flatten, Reshape, Dropout, Embedding, GlobalAveragePooling1D, Normalization."""

import numpy as np
import pytest

from myelin import backend, ops
from myelin.autodiff import GradientTape, Tensor
from myelin.layers import (
    Dense,
    Dropout,
    Embedding,
    Flatten,
    GlobalAveragePooling1D,
    Input,
    InputLayer,
    Normalization,
    Reshape,
    clear_session,
)
from myelin.testing import gradcheck


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


def test_input_is_a_symbolic_placeholder_with_a_batch_axis():
    tensor = Input(shape=(784,))
    assert tensor.shape == (None, 784) and tensor.dtype == np.float32
    assert isinstance(tensor.node.layer, InputLayer)
    assert tensor.name == "input_layer" and Input(shape=(3,), dtype="int32").dtype == np.int32
    out = Dense(2)(tensor)  # the functional API: a symbolic result, nothing computed
    assert out.shape == (None, 2) and out.node.layer.units == 2
    with pytest.raises(ValueError, match="pass `shape`"):
        InputLayer()


def test_flatten_and_its_gradient():
    x = np.arange(24.0).reshape(2, 3, 4)
    assert np.array_equal(Flatten()(x).numpy(), x.reshape(2, 12))
    assert Flatten().compute_output_shape((None, 28, 28)) == (None, 784)
    channels_first = Flatten(data_format="channels_first")(x).numpy()
    assert np.array_equal(channels_first, x.transpose(0, 2, 1).reshape(2, 12))
    assert gradcheck(lambda t: Flatten(dtype="float64")(t), x[:1, :2, :2])


def test_reshape_infers_minus_one_and_reports_impossible_shapes():
    layer = Reshape((-1, 4))
    assert layer(np.zeros((2, 12))).shape == (2, 3, 4)
    assert layer.compute_output_shape((None, 12)) == (None, 3, 4)
    with pytest.raises(ValueError, match=r"cannot reshape samples of shape \(10,\)"):
        Reshape((3, 4))(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="one -1"):
        Reshape((-1, -1))


def test_dropout_is_identity_at_inference_and_inverted_in_training():
    x = np.ones((200, 50), dtype=np.float32)
    layer = Dropout(0.25)
    assert np.array_equal(layer(x).numpy(), x)
    assert np.array_equal(layer(x, training=False).numpy(), x)
    backend.set_seed(3)
    out = layer(x, training=True).numpy()
    kept = out != 0
    assert set(np.unique(out)) == {0.0, np.float32(1 / 0.75)}
    assert abs(kept.mean() - 0.75) < 0.02  # 10,000 draws


def test_dropout_gradient_uses_the_same_mask_and_seed_is_reproducible():
    x = Tensor(np.ones((4, 6), dtype=np.float32))
    layer = Dropout(0.5, seed=7)
    with GradientTape() as tape:
        tape.watch(x)
        out = layer(x, training=True)
        total = ops.reduce_sum(out)
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), out.numpy())
    again = Dropout(0.5, seed=7)(x, training=True).numpy()
    np.testing.assert_array_equal(again, out.numpy())


def test_dropout_noise_shape_broadcasts_the_mask():
    out = Dropout(0.5, noise_shape=(None, 1, 3), seed=1)(np.ones((2, 4, 3)), training=True)
    values = out.numpy()
    assert np.all(values == values[:, :1, :])  # same mask at every step


@pytest.mark.parametrize("rate", [-0.1, 1.5, "0.5"])
def test_dropout_rate_is_validated(rate):
    with pytest.raises(ValueError, match="Expected a float value between 0 and 1"):
        Dropout(rate)


def test_embedding_looks_up_rows_and_scatters_gradients():
    layer = Embedding(5, 2, embeddings_initializer="zeros")
    layer.build()
    table = np.arange(10.0, dtype=np.float32).reshape(5, 2)
    layer.set_weights([table])
    ids = np.array([[1, 3, 1]])
    np.testing.assert_array_equal(layer(ids).numpy(), table[ids])
    with GradientTape() as tape:
        total = ops.reduce_sum(layer(ids))
    grad = tape.gradient(total, layer.embeddings).numpy()
    np.testing.assert_array_equal(grad[:, 0], [0, 2, 0, 1, 0])  # id 1 used twice
    assert layer.compute_output_shape((None, 3)) == (None, 3, 2)


def test_embedding_default_initializer_is_uniform_005():
    layer = Embedding(1000, 8)
    layer.build()
    values = layer.embeddings.numpy()
    assert values.min() >= -0.05 and values.max() <= 0.05 and values.std() > 0.02


def test_embedding_index_out_of_range_names_the_layer():
    layer = Embedding(10, 2, embeddings_initializer="zeros", name="words")
    with pytest.raises(ValueError, match=r"Embedding layer 'words': index 10 is outside "
                                         r"\[0, 10\)"):
        layer(np.array([[1, 10]]))


def test_global_average_pooling_1d_plain_and_masked():
    x = np.arange(12.0, dtype=np.float32).reshape(1, 4, 3)
    layer = GlobalAveragePooling1D()
    np.testing.assert_allclose(layer(x).numpy(), x.mean(axis=1))
    mask = np.array([[True, True, False, False]])
    np.testing.assert_allclose(layer(x, mask=mask).numpy(), x[:, :2].mean(axis=1))
    assert GlobalAveragePooling1D(keepdims=True)(x).shape == (1, 1, 3)
    first = GlobalAveragePooling1D(data_format="channels_first")(x)
    np.testing.assert_allclose(first.numpy(), x.mean(axis=2))
    with pytest.raises(ValueError, match="expects inputs of rank 3"):
        GlobalAveragePooling1D()(np.zeros((2, 3)))


def test_global_average_pooling_gradients():
    x = np.random.default_rng(0).normal(size=(2, 3, 2))
    weights = np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    assert gradcheck(lambda t: GlobalAveragePooling1D(dtype="float64")(t), x)
    assert gradcheck(lambda t: GlobalAveragePooling1D(dtype="float64")(t, mask=weights), x)


def test_embedding_mask_zero_flows_into_pooling():
    embed = Embedding(5, 1, embeddings_initializer="ones", mask_zero=True)
    ids = np.array([[2, 3, 0, 0]])
    mask = embed.compute_mask(Tensor(ids))
    assert mask.tolist() == [[True, True, False, False]]
    pooled = GlobalAveragePooling1D()(embed(ids), mask=mask)
    assert float(pooled.numpy()[0, 0]) == 1.0


def test_normalization_adapt_matches_keras_docstring_examples():
    layer = Normalization(axis=None)
    layer.adapt(np.array([1.0, 2.0, 3.0, 4.0, 5.0], dtype=np.float32))
    np.testing.assert_allclose(layer(np.array([1.0, 2.0, 3.0])).numpy(),
                               [-1.4142135, -0.70710677, 0.0], rtol=1e-6)
    data = np.array([[0.0, 7.0, 4.0], [2.0, 9.0, 6.0], [0.0, 7.0, 4.0], [2.0, 9.0, 6.0]])
    layer = Normalization(axis=-1)
    layer.adapt(data)
    np.testing.assert_array_equal(layer(np.array([[0.0, 7.0, 4.0]])).numpy(), [[-1, -1, -1]])
    assert [w.name for w in layer.weights] == [
        "normalization_1/mean", "normalization_1/variance", "normalization_1/count"]
    assert layer.trainable_weights == [] and layer.count_params() == 7
    inverse = Normalization(axis=-1, invert=True)
    inverse.adapt(data)
    np.testing.assert_array_equal(inverse(np.array([[1.0, 2.0, 3.0]])).numpy(), [[2, 10, 8]])


def test_normalization_fixed_statistics_gradient_and_errors():
    layer = Normalization(mean=3.0, variance=2.0)
    np.testing.assert_allclose(layer(np.array([[1.0], [2.0], [3.0]])).numpy(),
                               [[-1.4142135], [-0.70710677], [0.0]], rtol=1e-6)
    assert gradcheck(lambda t: Normalization(mean=1.0, variance=4.0, dtype="float64")(t),
                     np.ones((2, 2)))
    with pytest.raises(ValueError, match="both `mean` and `variance` must be set"):
        Normalization(mean=1.0)
    adapted = Normalization()
    adapted.adapt(np.ones((4, 3)))
    with pytest.raises(ValueError, match="but adapt\\(\\) received data of shape"):
        adapted.adapt(np.ones((4, 2)))
    with pytest.raises(ValueError, match="contains NaN or inf at index \\(1, 0\\)"):
        Normalization().adapt(np.array([[1.0], [np.nan]]))
    with pytest.raises(ValueError, match="expects inputs with 3 features"):
        adapted(np.ones((1, 2)))
