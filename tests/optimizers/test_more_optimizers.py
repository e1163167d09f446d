"""AdamW, Nadam, Adamax, Adadelta, Lion, Ftrl and the base's weight_decay: trajectories
against float64 NumPy references of Keras 3's formulas, first steps computed by hand,
values printed by Keras 3.15.1 itself, slots, state and validation."""

import math

import numpy as np
import pytest

from myelin import optimizers
from myelin.autodiff import Variable

W0 = np.array([1.0, 2.0, -1.0])
GRADS = [np.array(g, dtype=np.float32) for g in
         ([0.5, -1.0, 2.0], [-0.3, 0.2, 1.0], [1.5, 0.0, -2.0], [0.1, 0.1, 0.1])]
LR = float(np.float32(0.1))  # Keras keeps the rate in a float32 variable


def run(opt, grads=GRADS, w0=W0):
    w = Variable(np.asarray(w0, dtype=np.float32))
    for g in grads:
        opt.apply_gradients([(g, w)])
    return w.numpy()


def reference(update, decay=0.0):
    """Run the float64 reference ``update(w, g, state, t)`` over GRADS, with Keras's
    decoupled decay ``w -= w * decay * lr`` before each step."""
    w, state = W0.copy(), {}
    for t, g in enumerate(GRADS, start=1):
        w = w - w * decay * LR
        w = update(w, g.astype(np.float64), state, t)
    return w


def adam(w, g, s, t, b1=0.9, b2=0.999, eps=1e-7):
    s["m"] = s.get("m", 0) + (g - s.get("m", 0)) * (1 - b1)
    s["v"] = s.get("v", 0) + (g * g - s.get("v", 0)) * (1 - b2)
    return w - LR * math.sqrt(1 - b2 ** t) / (1 - b1 ** t) * s["m"] / (np.sqrt(s["v"]) + eps)


def nadam(w, g, s, t, b1=0.9, b2=0.999, eps=1e-7):
    def u(k):
        return b1 * (1 - 0.5 * 0.96 ** k)
    s["prod"] = s.get("prod", 1.0) * u(t)
    s["m"] = s.get("m", 0) + (g - s.get("m", 0)) * (1 - b1)
    s["v"] = s.get("v", 0) + (g * g - s.get("v", 0)) * (1 - b2)
    m_hat = (u(t + 1) * s["m"] / (1 - s["prod"] * u(t + 1))
             + (1 - u(t)) * g / (1 - s["prod"]))
    return w - LR * m_hat / (np.sqrt(s["v"] / (1 - b2 ** t)) + eps)


def adamax(w, g, s, t, b1=0.9, b2=0.999, eps=1e-7):
    s["m"] = s.get("m", 0) + (g - s.get("m", 0)) * (1 - b1)
    s["u"] = np.maximum(b2 * s.get("u", 0), np.abs(g))
    return w - LR * s["m"] / ((1 - b1 ** t) * (s["u"] + eps))


def adadelta(w, g, s, t, rho=0.95, eps=1e-7):
    s["G"] = rho * s.get("G", 0) + (1 - rho) * g * g
    delta = -np.sqrt(s.get("D", 0) + eps) * g / np.sqrt(s["G"] + eps)
    s["D"] = rho * s.get("D", 0) + (1 - rho) * delta * delta
    return w + LR * delta


def lion(w, g, s, t, b1=0.9, b2=0.99):
    m = s.get("m", 0)
    w = w - LR * np.sign(b1 * m + (1 - b1) * g)
    s["m"] = b2 * m + (1 - b2) * g
    return w


def ftrl(l1=0.0, l2=0.0, shrink=0.0, beta=0.0, power=-0.5, init=0.1):
    def update(w, g, s, t):
        n = s.get("n", init)
        new_n = n + g * g
        s["z"] = (s.get("z", 0) + g + 2 * shrink * w
                  - (new_n ** -power - n ** -power) / LR * w)
        quadratic = new_n ** -power / LR + 2 * (l2 + beta / (2 * LR))
        s["n"] = new_n
        return (np.clip(s["z"], -l1, l1) - s["z"]) / quadratic
    return update


FTRL_ARGS = dict(l1_regularization_strength=0.05, l2_regularization_strength=0.1,
                 l2_shrinkage_regularization_strength=0.02, beta=0.3)


@pytest.mark.parametrize("opt, update, decay", [
    (optimizers.AdamW(0.1), adam, 0.004),
    (optimizers.AdamW(0.1, weight_decay=0.05), adam, 0.05),
    (optimizers.Adam(0.1, weight_decay=0.05), adam, 0.05),
    (optimizers.Nadam(0.1), nadam, 0.0),
    (optimizers.Adamax(0.1), adamax, 0.0),
    (optimizers.Adadelta(0.1), adadelta, 0.0),
    (optimizers.Lion(0.1), lion, 0.0),
    (optimizers.Lion(0.1, weight_decay=0.5), lion, 0.5),
    (optimizers.Ftrl(0.1), ftrl(), 0.0),
    (optimizers.Ftrl(0.1, **FTRL_ARGS), ftrl(0.05, 0.1, 0.02, 0.3), 0.0),
    (optimizers.Ftrl(0.1, learning_rate_power=-0.7, initial_accumulator_value=0.5),
     ftrl(power=-0.7, init=0.5), 0.0),
    (optimizers.SGD(0.1, weight_decay=0.05), lambda w, g, s, t: w - LR * g, 0.05),
], ids=["adamw", "adamw_wd", "adam_wd", "nadam", "adamax", "adadelta", "lion", "lion_wd",
        "ftrl", "ftrl_reg", "ftrl_power", "sgd_wd"])
def test_trajectory_matches_numpy_reference(opt, update, decay):
    np.testing.assert_allclose(run(opt), reference(update, decay), rtol=3e-6, atol=1e-6)


def test_values_printed_by_keras():
    # keras 3.15.1: w = keras.Variable([1, 2, -1]); opt.apply_gradients over GRADS
    cases = [
        (optimizers.AdamW(0.1), [0.7578364, 2.2137516, -1.2135036]),
        (optimizers.Nadam(0.1), [0.82263404, 2.0942056, -1.1006688]),
        (optimizers.Adamax(0.1), [0.81347865, 2.1737931, -1.1916186]),
        (optimizers.Adadelta(0.1), [0.9997344, 2.0000801, -1.0000931]),
        (optimizers.Lion(0.1), [0.79999995, 1.9999999, -1.2000000]),
        (optimizers.Ftrl(0.1), [0.32864645, 1.4642668, -0.92389375]),
        (optimizers.Ftrl(0.1, **FTRL_ARGS), [0.18435314, 1.1026731, -0.78874892]),
        (optimizers.SGD(0.1, weight_decay=0.05), [0.80134648, 2.0290060, -1.0871669]),
        (optimizers.Adam(0.1, weight_decay=0.05), [0.74143177, 2.1752255, -1.1929735]),
    ]
    for opt, keras_value in cases:
        np.testing.assert_allclose(run(opt), keras_value, rtol=3e-6, err_msg=opt.name)


def test_first_steps_by_hand():
    # w0 = 1, g = 0.5, lr = 0.1, every optimizer at its defaults
    g = [np.array([0.5], np.float32)]

    def one(opt):
        return float(run(opt, g, [1.0])[0])

    # Lion: the sign of 0.1 * g moves w by exactly lr
    assert one(optimizers.Lion(0.1)) == pytest.approx(0.9, abs=1e-7)
    # Adamax: m = 0.05, u = 0.5: w -= 0.1 * 0.05 / (0.1 * (0.5 + 1e-7))
    assert one(optimizers.Adamax(0.1)) == pytest.approx(1 - 0.1 * 0.05 / (0.1 * 0.5000001),
                                                        rel=1e-7)
    # AdamW: decay 1 * 0.004 * 0.1, then Adam's first step of almost exactly lr
    assert one(optimizers.AdamW(0.1)) == pytest.approx(0.9996 - 0.1, abs=1e-6)
    # Adadelta: G = 0.05 * 0.25; d = -sqrt(1e-7) * 0.5 / sqrt(G + 1e-7)
    assert one(optimizers.Adadelta(0.1)) == pytest.approx(
        1 - 0.1 * math.sqrt(1e-7) * 0.5 / math.sqrt(0.0125 + 1e-7), rel=1e-7)
    # Ftrl: n' = 0.35, z = 0.5 - (sqrt(.35) - sqrt(.1)) / 0.1, w = -z / (sqrt(.35) / 0.1)
    z = 0.5 - (math.sqrt(0.35) - math.sqrt(0.1)) / 0.1
    assert one(optimizers.Ftrl(0.1)) == pytest.approx(-z / (math.sqrt(0.35) / 0.1), rel=1e-6)
    # Nadam: u1 = 0.9 * 0.52, u2 = 0.9 * (1 - 0.5 * 0.9216), v_hat = 0.25
    u1, u2 = 0.9 * 0.52, 0.9 * (1 - 0.5 * 0.9216)
    m_hat = u2 * 0.05 / (1 - u1 * u2) + (1 - u1) * 0.5 / (1 - u1)
    assert one(optimizers.Nadam(0.1)) == pytest.approx(1 - 0.1 * m_hat / 0.5000001, rel=1e-6)


def test_weight_decay_exclusions():
    kernel, bias = Variable([1.0, 2.0], name="kernel"), Variable([1.0], name="bias")
    opt = optimizers.SGD(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_names=["bias"])
    zero = np.zeros(2, np.float32)
    opt.apply_gradients([(zero, kernel), (np.zeros(1, np.float32), bias)])
    np.testing.assert_allclose(kernel.numpy(), [0.95, 1.9])  # w -= w * 0.5 * 0.1
    assert bias.numpy()[0] == 1.0
    other = Variable([2.0], name="other")
    opt = optimizers.AdamW(0.1, weight_decay=0.5)
    opt.exclude_from_weight_decay(var_list=[other])
    opt.apply_gradients([(np.zeros(1, np.float32), other)])
    assert other.numpy()[0] == 2.0  # zero gradient, no decay: Adam's step is 0
    with pytest.raises(ValueError, match="already built"):
        opt.exclude_from_weight_decay(var_names=["x"])


@pytest.mark.parametrize("cls, slots", [
    (optimizers.AdamW, 2), (optimizers.Nadam, 3), (optimizers.Adamax, 2),
    (optimizers.Adadelta, 2), (optimizers.Lion, 1), (optimizers.Ftrl, 2)])
def test_slots_allocated_once_and_updated_in_place(cls, slots):
    opt = cls(0.01)
    w = Variable(W0.astype(np.float32))
    data_id = id(w._data)
    opt.apply_gradients([(GRADS[0], w)])
    ids = [id(v._data) for v in opt.variables]
    for g in GRADS[1:]:
        opt.apply_gradients([(g, w)])
    assert [id(v._data) for v in opt.variables] == ids and id(w._data) == data_id
    assert len(opt.variables) == 2 + slots  # iterations, learning rate, slots (+ u_product)


@pytest.mark.parametrize("make", [
    lambda: optimizers.Nadam(0.05), lambda: optimizers.Ftrl(0.05, **FTRL_ARGS),
    lambda: optimizers.Adadelta(1.0), lambda: optimizers.AdamW(0.05, weight_decay=0.1)])
def test_state_round_trip_resumes_bit_exactly(make):
    opt, w = make(), Variable(W0.astype(np.float32))
    for g in GRADS[:2]:
        opt.apply_gradients([(g, w)])
    state, weights = opt.get_state(), w.numpy()
    for g in GRADS[2:]:
        opt.apply_gradients([(g, w)])
    opt2, w2 = make(), Variable(weights)
    opt2.build([w2])
    opt2.set_state(state)
    for g in GRADS[2:]:
        opt2.apply_gradients([(g, w2)])
    assert np.array_equal(w.numpy(), w2.numpy())


def test_defaults_and_config_round_trip():
    assert optimizers.AdamW().weight_decay == 0.004
    lion = optimizers.Lion()
    assert (float(lion.learning_rate), lion.beta_1, lion.beta_2) == (
        pytest.approx(0.001), 0.9, 0.99)
    assert optimizers.Adadelta().rho == 0.95
    ftrl = optimizers.Ftrl()
    assert (ftrl.learning_rate_power, ftrl.initial_accumulator_value) == (-0.5, 0.1)
    for name in ("adamw", "nadam", "adamax", "adadelta", "lion", "ftrl", "AdamW", "Ftrl"):
        opt = optimizers.get(name)
        back = optimizers.deserialize(optimizers.serialize(opt))
        assert type(back) is type(opt) and back.get_config() == opt.get_config()
    assert optimizers.Ftrl.from_config(optimizers.Ftrl(**FTRL_ARGS).get_config()).beta == 0.3
