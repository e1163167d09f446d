"""Merge layers: values against NumPy, exact shapes with None dims, gradients, configs."""

import numpy as np
import pytest

from myelin import layers
from myelin.layers import clear_session
from myelin.testing import gradcheck

RNG = np.random.default_rng(0)
A = RNG.normal(size=(4, 3)).astype(np.float32)
B = RNG.normal(size=(4, 3)).astype(np.float32)
C = RNG.normal(size=(4, 3)).astype(np.float32)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


@pytest.mark.parametrize("layer, function, expected", [
    (layers.Add, layers.add, A + B + C),
    (layers.Multiply, layers.multiply, A * B * C),
    (layers.Average, layers.average, (A + B + C) / 3),
    (layers.Maximum, layers.maximum, np.maximum(np.maximum(A, B), C)),
    (layers.Minimum, layers.minimum, np.minimum(np.minimum(A, B), C)),
])
def test_elementwise_merges_match_numpy(layer, function, expected):
    np.testing.assert_allclose(layer()([A, B, C]).numpy(), expected, rtol=1e-6)
    np.testing.assert_allclose(function([A, B, C]).numpy(), expected, rtol=1e-6)


def test_subtract_takes_exactly_two_inputs():
    np.testing.assert_allclose(layers.subtract([A, B]).numpy(), A - B)
    with pytest.raises(ValueError, match=r"Subtract layer 'subtract_1' should be called on "
                                         r"exactly 2 inputs, received 3"):
        layers.Subtract()([A, B, C])


def test_lower_rank_inputs_get_axes_after_the_batch_axis_as_keras():
    x3 = RNG.normal(size=(4, 2, 3)).astype(np.float32)
    v = RNG.normal(size=(4, 2)).astype(np.float32)  # expanded to (4, 1, 2)
    out = layers.Add()([x3[:, :, :2], v])
    np.testing.assert_allclose(out.numpy(), x3[:, :, :2] + v[:, None, :])


def test_elementwise_output_shapes_broadcast_and_keep_none():
    add = layers.Add()
    assert add.compute_output_shape([(None, 3), (None, 3)]) == (None, 3)
    assert add.compute_output_shape([(None, 1, 5), (None, 4, 1)]) == (None, 4, 5)
    assert add.compute_output_shape([(None, None, 5), (None, 4, 5)]) == (None, None, 5)
    assert add.compute_output_shape([(8, 3), (None, 3)]) == (8, 3)
    with pytest.raises(ValueError, match=r"incompatible shapes \(3,\) and \(4,\)"):
        add.compute_output_shape([(None, 3), (None, 4)])
    with pytest.raises(ValueError, match="different batch sizes"):
        add.compute_output_shape([(8, 3), (9, 3)])


def test_merge_gradients_by_gradcheck():
    a, b = A.astype(np.float64), B.astype(np.float64)
    for cls in (layers.Add, layers.Subtract, layers.Multiply, layers.Average,
                layers.Maximum, layers.Minimum):
        assert gradcheck(lambda x, y, cls=cls: cls(dtype="float64")([x, y]), a, b)


def test_concatenate_values_shapes_and_gradient():
    out = layers.Concatenate()([A, B])
    np.testing.assert_array_equal(out.numpy(), np.concatenate([A, B], axis=-1))
    np.testing.assert_array_equal(layers.concatenate([A, B], axis=0).numpy(),
                                  np.concatenate([A, B], axis=0))
    concat = layers.Concatenate(axis=1)
    assert concat.compute_output_shape([(None, 3, 5), (None, 4, 5)]) == (None, 7, 5)
    assert concat.compute_output_shape([(None, None, 5), (None, 4, 5)]) == (None, None, 5)
    with pytest.raises(ValueError, match="matching shapes except for the concatenation axis"):
        concat.compute_output_shape([(None, 3, 5), (None, 4, 6)])
    assert gradcheck(lambda x, y: layers.Concatenate(dtype="float64")([x, y]),
                     A.astype(np.float64), B[:, :2].astype(np.float64))


def test_concatenate_mask_follows_keras():
    masks = [np.array([[True, False]]), None]
    inputs = [np.zeros((1, 2, 3)), np.zeros((1, 2, 3))]
    mask = layers.Concatenate(axis=1).compute_mask(inputs, masks)
    np.testing.assert_array_equal(mask, [[True, False, True, True]])


def test_dot_matches_einsum_and_keras_shapes():
    np.testing.assert_allclose(layers.Dot(axes=1)([A, B]).numpy(),
                               (A * B).sum(1, keepdims=True), rtol=1e-6)
    x = RNG.normal(size=(2, 3, 5))
    y = RNG.normal(size=(2, 10, 3))
    out = layers.Dot(axes=(1, 2), dtype="float64")([x, y]).numpy()
    np.testing.assert_allclose(out, np.einsum("bij,bki->bjk", x, y), rtol=1e-12)
    dot = layers.Dot(axes=(1, 2))
    assert dot.compute_output_shape([(None, 3, 5), (None, 10, 3)]) == (None, 5, 10)
    assert layers.Dot(axes=-1).compute_output_shape([(None, 4), (None, 4)]) == (None, 1)
    assert layers.Dot(axes=1).compute_output_shape([(None, 4), (None, 4, 7)]) == (None, 7)
    with pytest.raises(ValueError, match=r"axis values 3 \(at axis 1\) != 4"):
        dot.compute_output_shape([(None, 3, 5), (None, 10, 4)])


def test_dot_normalize_is_cosine_similarity_and_gradients_check():
    cosine = (A * B).sum(1) / np.linalg.norm(A, axis=1) / np.linalg.norm(B, axis=1)
    out = layers.dot([A, B], axes=1, normalize=True).numpy().ravel()
    np.testing.assert_allclose(out, cosine, rtol=1e-5)
    x, y = RNG.normal(size=(2, 3, 4)), RNG.normal(size=(2, 4, 3))
    assert gradcheck(lambda p, q: layers.Dot(axes=(2, 1), dtype="float64")([p, q]), x, y)
    assert gradcheck(lambda p, q: layers.Dot(axes=1, normalize=True, dtype="float64")([p, q]),
                     A.astype(np.float64), B.astype(np.float64))


@pytest.mark.parametrize("layer", [
    layers.Add(), layers.Subtract(), layers.Multiply(), layers.Average(), layers.Maximum(),
    layers.Minimum(), layers.Concatenate(axis=1), layers.Dot(axes=[1, 1], normalize=True),
])
def test_config_round_trip_through_the_registry(layer):
    rebuilt = layers.deserialize(layers.serialize(layer))
    assert type(rebuilt) is type(layer) and rebuilt.get_config() == layer.get_config()
    np.testing.assert_allclose(rebuilt([A, B]).numpy(), layer([A, B]).numpy())


def test_build_records_a_list_of_input_shapes():
    layer = layers.Add()
    layer([A, B])
    assert layer.input_shape == [(None, 3), (None, 3)]
    assert layer.output_shape == (None, 3)
