"""Bad inputs to every new public layer, regularizer, constraint and kernel (issue 10):
a clear error naming the object, what was expected and what was received; a failed call
leaves the layer unbuilt and the weights unchanged."""

import numpy as np
import pytest

from myelin import constraints, layers, regularizers
from myelin.layers import clear_session
from myelin.ops import normalization
from myelin.ops.batch_dot import batch_dot

A = np.ones((4, 3), dtype=np.float32)


@pytest.fixture(autouse=True)
def fresh_names():
    clear_session()


# (description, callable raising, exception type, regex of the message)
CONSTRUCTION = [
    ("Concatenate axis not int", lambda: layers.Concatenate(axis="1"), TypeError,
     r"Concatenate layer 'concatenate': `axis` must be an int, received '1'"),
    ("Dot axes of three", lambda: layers.Dot(axes=(1, 2, 3)), ValueError,
     r"Dot layer 'dot': `axes` must be an int or a list of two ints, received axes=\(1, 2, 3\)"),
    ("Softmax axis float", lambda: layers.Softmax(axis=1.5), ValueError,
     r"Softmax layer 'softmax': `axis` must be an int or a list of ints, received axis=1.5"),
    ("ReLU negative max_value", lambda: layers.ReLU(max_value=-1), ValueError,
     r"ReLU layer 're_lu': `max_value` must be a non-negative number, received max_value=-1"),
    ("ReLU negative slope", lambda: layers.ReLU(negative_slope=-0.1), ValueError,
     r"`negative_slope` must be a non-negative number, received negative_slope=-0.1"),
    ("ReLU threshold None", lambda: layers.ReLU(threshold=None), ValueError,
     r"`threshold` must be a non-negative number, received threshold=None"),
    ("LeakyReLU negative slope", lambda: layers.LeakyReLU(-0.3), ValueError,
     r"LeakyReLU layer 'leaky_re_lu': `negative_slope` must be a non-negative number"),
    ("ELU alpha string", lambda: layers.ELU(alpha="1"), ValueError,
     r"ELU layer 'elu': `alpha` must be a number, received alpha='1'"),
    ("PReLU shared batch axis", lambda: layers.PReLU(shared_axes=[0]), ValueError,
     r"PReLU layer 'p_re_lu': `shared_axes` must be axes >= 1 .*received shared_axes=\[0\]"),
    ("BatchNormalization momentum", lambda: layers.BatchNormalization(momentum=1.5),
     ValueError, r"BatchNormalization layer 'batch_normalization': `momentum` must be a "
                 r"number in \[0.0, 1.0\], received momentum=1.5"),
    ("BatchNormalization axis list", lambda: layers.BatchNormalization(axis=[1]), ValueError,
     r"`axis` must be an int, received axis=\[1\]"),
    ("BatchNormalization epsilon", lambda: layers.BatchNormalization(epsilon=-1), ValueError,
     r"`epsilon` must be a number >= 0.0, received epsilon=-1"),
    ("LayerNormalization axis", lambda: layers.LayerNormalization(axis="last"), TypeError,
     r"LayerNormalization layer 'layer_normalization': expected an int or a list/tuple of "
     r"ints for the argument 'axis', but received: 'last'"),
    ("Lambda not callable", lambda: layers.Lambda(3), TypeError,
     r"Lambda layer 'lambda': `function` must be callable, received 3 of type int"),
    ("Lambda arguments list", lambda: layers.Lambda(abs, arguments=[1]), TypeError,
     r"`arguments` must be a dict of keyword arguments, received \[1\]"),
    ("RepeatVector n zero", lambda: layers.RepeatVector(0), ValueError,
     r"RepeatVector layer 'repeat_vector': `n` must be a positive integer, received n=0"),
    ("Permute not a permutation", lambda: layers.Permute((1, 3)), ValueError,
     r"Permute layer 'permute': `dims` must be a permutation of the axes 1 .. n .*"
     r"dims=\(1, 3\)"),
    ("Rescaling scale text", lambda: layers.Rescaling("x"), ValueError,
     r"Rescaling layer 'rescaling': `scale` must be a finite number or a list of numbers"),
    ("Rescaling offset nan", lambda: layers.Rescaling(1.0, offset=float("nan")), ValueError,
     r"`offset` must be a finite number .* received offset=nan"),
    ("GaussianNoise stddev", lambda: layers.GaussianNoise(2.0), ValueError,
     r"GaussianNoise layer 'gaussian_noise': .*between 0 and 1. Received: stddev=2.0"),
    ("ActivityRegularization l1", lambda: layers.ActivityRegularization(l1=-1), ValueError,
     r"L1L2: invalid value for argument l1: expected a non-negative float. Received: l1=-1"),
    ("Dense unknown regularizer", lambda: layers.Dense(2, kernel_regularizer="l3"),
     ValueError, r"Dense layer 'dense': invalid `kernel_regularizer`: Unknown regularizer "
                 r"'l3'. Known regularizers: l1, l1_l2, l1l2, l2"),
    ("Dense bad constraint", lambda: layers.Dense(2, bias_constraint=5), ValueError,
     r"Dense layer 'dense': invalid `bias_constraint`: Could not interpret constraint "
     r"identifier 5"),
    ("activity_regularizer", lambda: layers.Dense(2, activity_regularizer=[1]), ValueError,
     r"Dense layer 'dense': invalid activity_regularizer: Could not interpret regularizer"),
    ("L2 negative", lambda: regularizers.L2(-0.1), ValueError,
     r"L2: invalid value for argument l2: expected a non-negative float. Received: l2=-0.1"),
    ("L1 infinite", lambda: regularizers.L1(float("inf")), ValueError,
     r"L1: invalid value for argument l1: .* Received: l1=inf"),
    ("regularizers.get number", lambda: regularizers.get(3), ValueError,
     r"Could not interpret regularizer identifier 3 of type int"),
    ("MaxNorm negative", lambda: constraints.MaxNorm(-1), ValueError,
     r"MaxNorm: `max_value` must be a number >= 0.0, received -1"),
    ("MinMaxNorm max below min", lambda: constraints.MinMaxNorm(2.0, 1.0), ValueError,
     r"MinMaxNorm: `max_value` must be a number >= 2.0, received 1.0"),
    ("MinMaxNorm rate", lambda: constraints.MinMaxNorm(rate=2), ValueError,
     r"MinMaxNorm: `rate` must be a number in \[0.0, 1.0\], received 2"),
    ("UnitNorm axis", lambda: constraints.UnitNorm(axis="rows"), ValueError,
     r"UnitNorm: `axis` must be an int or a list of ints, received 'rows'"),
    ("constraints.get name", lambda: constraints.get("maxnorm"), ValueError,
     r"Unknown constraint 'maxnorm'. Did you mean 'MaxNorm'"),
    ("add on one tensor", lambda: layers.add(A), ValueError,
     r"Add layer 'add' should be called on a list of inputs"),
    ("subtract on three", lambda: layers.subtract([A, A, A]), ValueError,
     r"Subtract layer 'subtract' should be called on exactly 2 inputs, received 3"),
    ("multiply shapes", lambda: layers.multiply([A, np.ones((4, 2))]), ValueError,
     r"Multiply layer 'multiply': inputs have incompatible shapes \(3,\) and \(2,\)"),
    ("average shapes", lambda: layers.average([A, np.ones((4, 2))]), ValueError,
     r"Average layer 'average': inputs have incompatible shapes"),
    ("maximum shapes", lambda: layers.maximum([A, np.ones((4, 2))]), ValueError,
     r"Maximum layer 'maximum': inputs have incompatible shapes"),
    ("minimum shapes", lambda: layers.minimum([A, np.ones((4, 2))]), ValueError,
     r"Minimum layer 'minimum': inputs have incompatible shapes"),
    ("concatenate function shapes", lambda: layers.concatenate([A, np.ones((5, 2))], axis=1),
     ValueError, r"Concatenate layer 'concatenate': cannot merge tensors with different "
                 r"batch sizes|requires inputs with matching shapes"),
    ("dot function axes", lambda: layers.dot([A, A], axes=5), ValueError,
     r"Dot layer 'dot': axes 5 do not fit inputs of shapes \(None, 3\) and \(None, 3\)"),
    ("regularizers.deserialize unknown", lambda: regularizers.deserialize(
        {"class_name": "L7", "config": {}}), ValueError, r"unknown class name 'L7'"),
    ("constraints.serialize unregistered", lambda: constraints.serialize(lambda w: w),
     ValueError, r"is not registered, so a saved file could not name it"),
    ("batch_dot batch axis", lambda: batch_dot(A, A, (0, 1)), ValueError,
     r"batch_dot: cannot contract the batch axis 0, received axes=\(0, 1\)"),
    ("batch_dot sizes", lambda: batch_dot(A, np.ones((4, 5)), (1, 1)), ValueError,
     r"batch_dot: x.shape\[1\] != y.shape\[1\] \(3 != 5\)"),
    ("batch_normalization axis", lambda: normalization.batch_normalization_train(
        A, None, None, 2, 1e-3), ValueError,
     r"batch_normalization: axis 2 is out of range for inputs of rank 2"),
    ("layer_normalization duplicate", lambda: normalization.layer_normalization(
        A, None, None, [1, -1], 1e-3), ValueError,
     r"layer_normalization: duplicate axes are not allowed, received \[1, -1\]"),
]


@pytest.mark.parametrize("case", CONSTRUCTION, ids=[c[0] for c in CONSTRUCTION])
def test_bad_arguments_raise_clear_errors(case):
    _, call, error, message = case
    with pytest.raises(error, match=message):
        call()


# (description, layer factory, inputs, regex): the call fails and the layer stays unbuilt
CALLS = [
    ("merge on one tensor", layers.Add, A, r"Add layer 'add' should be called on a list of "
                                           r"inputs, received input_shape=\(None, 3\)"),
    ("merge shapes", layers.Multiply, [A, np.ones((4, 4))],
     r"Multiply layer 'multiply': inputs have incompatible shapes \(3,\) and \(4,\)"),
    ("subtract three", layers.Subtract, [A, A, A],
     r"Subtract layer 'subtract' should be called on exactly 2 inputs, received 3"),
    ("concatenate shapes", layers.Concatenate, [A, np.ones((4, 2, 2))],
     r"Concatenate layer 'concatenate': inputs must have one rank"),
    ("dot sizes", lambda: layers.Dot(axes=1), [A, np.ones((4, 5))],
     r"Dot layer 'dot': incompatible input shapes: axis values 3 \(at axis 1\) != 5"),
    ("dense on a list", lambda: layers.Dense(2), [A, A],
     r"Dense layer 'dense' expects one input tensor but received a list of 2 inputs"),
    ("softmax axis range", lambda: layers.Softmax(axis=3), A,
     r"Softmax layer 'softmax': axis 3 is out of range for inputs of rank 2"),
    ("batchnorm axis range", lambda: layers.BatchNormalization(axis=2), A,
     r"BatchNormalization layer 'batch_normalization': axis 2 is out of range for inputs "
     r"of shape \(None, 3\)"),
    ("layernorm duplicate axes", lambda: layers.LayerNormalization(axis=[1, -1]), A,
     r"LayerNormalization layer 'layer_normalization': duplicate axes are not allowed"),
    ("repeat vector rank", lambda: layers.RepeatVector(2), np.ones((2, 3, 4)),
     r"RepeatVector layer 'repeat_vector' expects inputs of rank 2 but received shape "
     r"\(2, 3, 4\)"),
    ("permute rank", lambda: layers.Permute((2, 1)), A,
     r"Permute layer 'permute' expects inputs of rank 3 but received shape \(4, 3\)"),
    ("prelu shared axis range", lambda: layers.PReLU(shared_axes=[3]), A,
     r"PReLU layer 'p_re_lu': shared axis 3 is out of range for inputs of shape \(None, 3\)"),
]


@pytest.mark.parametrize("case", CALLS, ids=[c[0] for c in CALLS])
def test_bad_calls_raise_and_leave_the_layer_unbuilt(case):
    _, factory, inputs, message = case
    layer = factory()
    with pytest.raises(ValueError, match=message):
        layer(inputs)
    assert not layer.built and layer.weights == []


def test_merging_different_batch_sizes_is_refused():
    # The sample shapes are valid (the layer builds); the batches cannot be merged.
    with pytest.raises(ValueError, match=r"Maximum layer 'maximum': cannot merge tensors "
                                         r"with different batch sizes, received shapes "
                                         r"\[\(4, 3\), \(5, 3\)\]"):
        layers.Maximum()([A, np.ones((5, 3))])


def test_bad_input_after_build_changes_no_weight():
    layer = layers.BatchNormalization()
    layer(A, training=True)
    before = layer.get_weights()
    with pytest.raises(ValueError, match=r"expects inputs with 3 features \(last axis\) but "
                                         r"received shape \(4, 5\)"):
        layer(np.ones((4, 5)), training=True)
    for old, new in zip(before, layer.get_weights(), strict=True):
        np.testing.assert_array_equal(old, new)


def test_prelu_refuses_other_feature_sizes_after_build():
    layer = layers.PReLU()
    layer(A)
    with pytest.raises(ValueError, match=r"PReLU layer 'p_re_lu' expects inputs with 3 "
                                         r"features \(last axis\) but received shape \(4, 5\)"):
        layer(np.ones((4, 5)))


def test_add_weight_names_the_layer_for_a_bad_regularizer():
    layer = layers.Layer(name="custom")
    with pytest.raises(ValueError, match=r"Layer 'custom'.add_weight: invalid regularizer: "
                                         r"Unknown regularizer 'l5'"):
        layer.add_weight(shape=(2,), regularizer="l5")
    assert layer.weights == []
