"""sin, cos, norm, clip_by_norm and linspace: values, gradients, bad inputs."""

import numpy as np
import pytest

import myelin as tf
from myelin.testing import gradcheck

X = np.array([[0.3, -1.2, 2.0], [0.7, 0.1, -0.4]])


def test_values_match_numpy():
    np.testing.assert_allclose(tf.sin(tf.constant(X)).numpy(), np.sin(X))
    np.testing.assert_allclose(tf.math.cos(tf.constant(X)).numpy(), np.cos(X))
    np.testing.assert_allclose(tf.norm(tf.constant(X)).numpy(), np.linalg.norm(X))
    np.testing.assert_allclose(tf.norm(X, axis=1, keepdims=True).numpy(),
                               np.linalg.norm(X, axis=1, keepdims=True))
    clipped = tf.clip_by_norm(tf.constant(X), 1.0, axes=[1]).numpy()
    np.testing.assert_allclose(np.linalg.norm(clipped, axis=1), [1.0, np.linalg.norm(X[1])])
    np.testing.assert_allclose(tf.linspace(-10.0, 10.0, 201).numpy(), np.linspace(-10, 10, 201),
                               rtol=1e-6)
    assert tf.linspace(0.0, 1.0, 3).dtype == np.float32


@pytest.mark.parametrize("fn", [tf.sin, tf.cos, lambda a: tf.norm(a, axis=0),
                                lambda a: tf.clip_by_norm(a, 1.0)])
def test_gradients(fn):
    assert gradcheck(fn, X) and gradcheck(fn, X, order=2)


def test_bad_inputs():
    with pytest.raises(TypeError, match="sin: expected a float tensor, received dtype int32"):
        tf.sin(tf.constant([1, 2]))
    with pytest.raises(ValueError, match="norm: ord=1 is not supported"):
        tf.norm(tf.constant(X), ord=1)
    with pytest.raises(ValueError, match="clip_by_norm: clip_norm must be > 0, received -1"):
        tf.clip_by_norm(tf.constant(X), -1.0)
    with pytest.raises(ValueError, match="linspace: num must be >= 0, received -2"):
        tf.linspace(0.0, 1.0, -2)
