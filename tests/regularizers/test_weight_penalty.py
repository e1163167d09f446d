"""The trainer's one-op weight penalty equals ``model.losses`` and its gradient."""

import numpy as np
import pytest

import myelin as tf
from myelin.regularizers.penalty import WeightPenalty, weight_penalty
from myelin.testing import gradcheck


def _model(regularizers):
    layers = [tf.keras.Input((4,))]
    for i, reg in enumerate(regularizers):
        layers.append(tf.keras.layers.Dense(3, kernel_regularizer=reg, bias_regularizer=reg
                                            if i == 0 else None))
    return tf.keras.Sequential(layers)


def test_the_fused_penalty_equals_the_sum_of_model_losses():
    model = _model([tf.keras.regularizers.L1(0.01), tf.keras.regularizers.L2(0.02),
                    tf.keras.regularizers.L1L2(l1=0.003, l2=0.004)])
    penalty = weight_penalty(model.trainable_weights)
    expected = sum(float(loss) for loss in model.losses)
    assert float(penalty()) == pytest.approx(expected, rel=1e-6)


def test_custom_regularizers_keep_the_general_path():
    model = _model([lambda w: tf.reduce_sum(w)])
    assert weight_penalty(model.trainable_weights) is None


def test_the_fused_penalty_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    weights = [rng.normal(size=(3, 2)), rng.normal(size=(4,))]
    factors = ((0.1, 0.2), (0.0, 0.5))
    gradcheck(lambda a, b: WeightPenalty.apply(a, b, factors=factors), *weights)


def test_training_with_the_fused_penalty_matches_the_general_path():
    x = np.random.default_rng(1).normal(size=(64, 4)).astype(np.float32)
    y = x.sum(axis=1, keepdims=True)
    results = []
    for fused in (True, False):
        tf.utils.set_random_seed(3)
        model = _model([tf.keras.regularizers.L2(0.05), tf.keras.regularizers.L1(0.01)])
        model.add(tf.keras.layers.Dense(1))
        model.compile("sgd", "mse")
        if not fused:  # force the general path: an activity regularizer of zero strength
            model.layers[0].activity_regularizer = tf.keras.regularizers.L2(0.0)
        history = model.fit(x, y, epochs=3, batch_size=16, shuffle=False, verbose=0)
        results.append((history.history["loss"], model.get_weights()))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-5)
    for a, b in zip(results[0][1], results[1][1], strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)
