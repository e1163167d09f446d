"""Regression tests: each bug the public-API fuzzers found (issue 17, item 1), pinned.

Every test failed before its fix with a NumPy/Python internal error escaping (named in
the comment) and now gets a myelin error naming the function or layer and the value,
with no state changed.
"""

import numpy as np
import pytest

import myelin as tf
from myelin import data
from myelin.keras import layers, losses, metrics, optimizers


def test_dot_on_scalars_is_refused_not_a_zero_division():
    # Was ZeroDivisionError ("integer modulo by zero") from `axis % rank` with rank 0.
    with pytest.raises(ValueError, match=r"Dot layer .* expects inputs of rank >= 2"):
        layers.Dot(axes=-1)([np.float32(1.0), np.float32(2.0)])


def test_reshape_of_a_scalar_is_refused_not_an_index_error():
    # Was IndexError ("tuple index out of range") reading the batch size of a scalar.
    layer = layers.Reshape((-1,))
    with pytest.raises(ValueError, match=r"Reshape layer .* rank >= 1 .*shape \(\)"):
        layer(np.float32(0.0))


def test_apply_gradients_with_a_string_gradient_names_the_optimizer_and_changes_nothing():
    # Was ValueError("could not convert string to float: 'a'"), naming nothing.
    kernel = tf.Variable(np.ones((2, 2), np.float32), name="kernel")
    optimizer = optimizers.Adam()
    optimizer.apply_gradients([(np.ones((2, 2), np.float32), kernel)])
    before = kernel.numpy().copy(), [v.numpy().copy() for v in optimizer.variables]
    with pytest.raises(TypeError, match=r"Adam: the gradient for variable 'kernel' has "
                                        r"dtype <U1"):
        optimizer.apply_gradients([(np.full((2, 2), "a"), kernel)])
    np.testing.assert_array_equal(kernel.numpy(), before[0])
    for old, new in zip(before[1], optimizer.variables, strict=True):
        np.testing.assert_array_equal(new.numpy(), old)


@pytest.mark.parametrize("x, axis, order, message", [
    # Were: AxisError; AxisError; NumPy's "Improper number of dimensions to norm." (an
    # axis None on 3-D) and "array type float16 is unsupported in linalg" (on 2-D);
    # a silent count of non-zeros (order 0 is no norm); "could not convert string".
    (np.float32(3.0), -1, 2, r"normalize: x must have at least one axis"),
    (np.ones((2, 3)), 2, 2, r"normalize: axis must be an int in \[-2, 2\).*axis=2"),
    (np.ones((2, 3, 2)), None, 2, r"normalize: axis must be an int .*axis=None"),
    (np.ones((2, 3), np.float16), None, 2, r"normalize: axis must be an int .*axis=None"),
    (np.ones(3), -1, 0, r"normalize: order must be an int >= 1 .*order=0"),
    (np.array(["a", "b"]), -1, 2, r"normalize: x must hold real numbers.*<U1"),
])
def test_normalize_refuses_bad_arguments_by_name(x, axis, order, message):
    with pytest.raises((ValueError, TypeError), match=message):
        data.normalize(x, axis=axis, order=order)


def test_train_test_split_of_a_scalar_names_the_argument():
    # Was TypeError("len() of unsized object"), naming nothing.
    with pytest.raises(ValueError, match=r"train_test_split: x must have a samples axis"):
        data.train_test_split(np.float32(1.0))


def test_a_loss_with_a_misshapen_sample_weight_names_the_loss():
    # Was "multiply: input shapes (3,) and (0,) are not compatible", naming no loss.
    loss = losses.BinaryCrossentropy()
    y = np.full((3, 4), 0.5, np.float32)
    with pytest.raises(ValueError, match=r"BinaryCrossentropy 'binary_crossentropy': "
                                         r"sample_weight of shape \(0,\) does not fit .*\(3,\)"):
        loss(y, y, sample_weight=np.zeros(0, np.float32))


def test_ftrl_with_a_zero_learning_rate_takes_no_step():
    # Was ZeroDivisionError ("float division by zero") from beta / (2 * lr).
    kernel = tf.Variable(np.ones(3, np.float32))
    optimizers.Ftrl(learning_rate=0.0).apply_gradients([(np.ones(3, np.float32), kernel)])
    np.testing.assert_array_equal(kernel.numpy(), np.ones(3))


@pytest.mark.parametrize("num_classes", [2.5, "3", 0, True])
def test_to_categorical_refuses_a_bad_num_classes_by_name(num_classes):
    # Were "'float' object cannot be interpreted as an integer" and a ufunc error.
    with pytest.raises(ValueError, match=r"to_categorical: num_classes must be a positive"):
        data.to_categorical([0, 1], num_classes=num_classes)


def test_a_metric_update_on_bad_inputs_names_the_metric_and_keeps_its_state():
    # Was "attempt to get argmax of an empty sequence" / NumPy broadcast errors naming
    # no metric; now named, and the accumulators are as before the failed update.
    metric = metrics.CategoricalAccuracy()
    metric.update_state([[0.0, 1.0]], [[0.2, 0.8]])
    with pytest.raises(ValueError, match=r"CategoricalAccuracy 'categorical_accuracy'"):
        metric.update_state(np.zeros((2, 0)), np.zeros((2, 0)))
    with pytest.raises(ValueError, match=r"SparseTopKCategoricalAccuracy .* must be numbers"):
        metrics.SparseTopKCategoricalAccuracy().update_state(np.array(["a"]), np.ones((1, 3)))
    assert float(metric.result()) == 1.0
