"""Optimizer behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import numpy as np
import pytest

import myelin as tf


@pytest.mark.parametrize("bad", [True, "1.0", 0.0, -1.0])
def test_clipnorm_must_be_a_positive_real_number(bad):
    # A bool is a Real in Python, but clipnorm=True is a mistake, not a norm of 1.
    with pytest.raises(ValueError, match=f"SGD: clipnorm must be a positive number, "
                                         f"received {bad!r}"):
        tf.keras.optimizers.SGD(clipnorm=bad)


def test_a_callable_learning_rate_is_called_at_each_step():
    # TF 2 optimizers accept a zero-argument callable as the rate.
    rate = [0.5]
    opt = tf.keras.optimizers.SGD(learning_rate=lambda: rate[0])
    v = tf.Variable(1.0)
    opt.apply_gradients([(tf.constant(2.0), v)])  # 1 - 0.5 * 2
    assert float(v.numpy()) == 0.0
    rate[0] = 0.25
    opt.apply_gradients([(tf.constant(2.0), v)])  # 0 - 0.25 * 2
    assert float(v.numpy()) == -0.5


def test_ftrl_learning_rate_power_may_be_zero_but_not_positive():
    assert tf.keras.optimizers.Ftrl(learning_rate_power=0.0).learning_rate_power == 0.0
    with pytest.raises(ValueError, match=r"Ftrl: learning_rate_power must be a number <= 0, "
                                         r"received 0.5"):
        tf.keras.optimizers.Ftrl(learning_rate_power=0.5)


def test_nadam_default_learning_rate_is_keras_0_001():
    np.testing.assert_allclose(float(tf.keras.optimizers.Nadam().learning_rate), 0.001,
                               rtol=1e-6)
