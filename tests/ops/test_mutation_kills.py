"""Op behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np

import myelin as tf
from myelin.ops.affine_grid import sampling_grid


def test_softmax_forward_mode_tangent_is_the_jacobian_times_the_tangent():
    x = tf.constant([0.3, -1.2, 2.0], dtype="float64")
    t = tf.constant([1.0, 0.5, -2.0], dtype="float64")
    with tf.autodiff.ForwardAccumulator(x, t) as acc:
        y = tf.nn.softmax(x)
    s = y.numpy()
    jacobian = np.diag(s) - np.outer(s, s)  # d softmax_i / d x_j
    np.testing.assert_allclose(acc.jvp(y).numpy(), jacobian @ t.numpy(), atol=1e-12)


def test_bilinear_sampling_weights_are_the_products_of_the_fractional_distances():
    # x = ox + 0.25, y = oy + 0.5: each output pixel reads four neighbours with weights
    # (1 - dy)(1 - dx), (1 - dy) dx, dy (1 - dx), dy dx for dx = 0.25, dy = 0.5.
    shift = np.array([[1, 0, 0.25, 0, 1, 0.5, 0, 0]], np.float32)
    index, weights, const = sampling_grid(shift, (4, 4), (4, 4), "bilinear", "constant", 0.0)
    expected = [0.5 * 0.75, 0.5 * 0.25, 0.5 * 0.75, 0.5 * 0.25]
    np.testing.assert_allclose(weights[0, 0], expected, rtol=1e-6)  # pixel (0, 0)
    np.testing.assert_array_equal(index[0, 0], [0, 1, 4, 5])  # rows 0-1, cols 0-1 of a 4x4
    np.testing.assert_array_equal(const, 0.0)
