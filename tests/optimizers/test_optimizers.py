"""Optimizers: trajectories against NumPy references of Keras 3's formulas (and
values printed by Keras 3.15 itself), slots, clipping, state and validation."""

import warnings

import numpy as np
import pytest

from myelin import ops, optimizers
from myelin.autodiff import GradientTape, Variable, constant

W0 = np.array([1.0, 2.0, -1.0])
GRADS = [np.array(g, dtype=np.float32) for g in
         ([0.5, -1.0, 2.0], [-0.3, 0.2, 1.0], [1.5, 0.0, -2.0], [0.1, 0.1, 0.1])]


def run(opt, grads=GRADS):
    w = Variable(W0.astype(np.float32))
    for g in grads:
        opt.apply_gradients([(g, w)])
    return w.numpy()


def reference(update, state, lr, grads=GRADS):
    """Run a NumPy float64 reference ``update(w, g, state, lr, t)`` over the steps."""
    w = W0.copy()
    for t, g in enumerate(grads, start=1):
        w = update(w, g.astype(np.float64), state, lr, t)
    return w


def sgd_ref(momentum, nesterov):
    def update(w, g, s, lr, t):
        if not momentum:
            return w - lr * g
        s["m"] = momentum * s.get("m", 0) - lr * g
        return w + (momentum * s["m"] - lr * g if nesterov else s["m"])
    return update


def adam_ref(b1=0.9, b2=0.999, eps=1e-7, amsgrad=False):
    def update(w, g, s, lr, t):
        s["m"] = s.get("m", 0) + (g - s.get("m", 0)) * (1 - b1)
        s["v"] = s.get("v", 0) + (g * g - s.get("v", 0)) * (1 - b2)
        v = s["v"]
        if amsgrad:
            s["vhat"] = v = np.maximum(s.get("vhat", 0), v)
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        return w - s["m"] * alpha / (np.sqrt(v) + eps)
    return update


def adagrad_ref(init=0.1, eps=1e-7):
    def update(w, g, s, lr, t):
        s["a"] = s.get("a", init) + g * g
        return w - lr * g / np.sqrt(s["a"] + eps)
    return update


def rmsprop_ref(rho=0.9, momentum=0.0, eps=1e-7, centered=False):
    def update(w, g, s, lr, t):
        s["v"] = rho * s.get("v", 0) + (1 - rho) * g * g
        denom = s["v"] + eps
        if centered:
            s["a"] = rho * s.get("a", 0) + (1 - rho) * g
            denom = s["v"] - s["a"] ** 2 + eps
        step = lr * g / np.sqrt(denom)
        if momentum:
            s["mom"] = momentum * s.get("mom", 0) + step
            step = s["mom"]
        return w - step
    return update


@pytest.mark.parametrize("opt, update", [
    (optimizers.SGD(0.1), sgd_ref(0, False)),
    (optimizers.SGD(0.1, momentum=0.9), sgd_ref(0.9, False)),
    (optimizers.SGD(0.1, momentum=0.9, nesterov=True), sgd_ref(0.9, True)),
    (optimizers.Adam(0.1), adam_ref()),
    (optimizers.Adam(0.1, beta_1=0.5, beta_2=0.9, epsilon=1e-3), adam_ref(0.5, 0.9, 1e-3)),
    (optimizers.Adam(0.1, amsgrad=True), adam_ref(amsgrad=True)),
    (optimizers.Adagrad(0.1), adagrad_ref()),
    (optimizers.Adagrad(0.1, initial_accumulator_value=1.0), adagrad_ref(1.0)),
    (optimizers.RMSprop(0.1), rmsprop_ref()),
    (optimizers.RMSprop(0.1, momentum=0.5, centered=True), rmsprop_ref(momentum=0.5,
                                                                       centered=True)),
])
def test_trajectory_matches_numpy_reference(opt, update):
    lr = float(np.float32(0.1))  # Keras keeps the rate in a float32 variable
    np.testing.assert_allclose(run(opt), reference(update, {}, lr), rtol=2e-6, atol=1e-6)


def test_values_printed_by_keras():
    cases = [
        (optimizers.SGD(0.1, momentum=0.9, nesterov=True), [0.47291493, 2.3217301, -1.63992]),
        (optimizers.Adam(0.1), [0.7592742, 2.2171261, -1.2153018]),
        (optimizers.Adagrad(0.1), [0.8631689, 2.0672894, -1.0800676]),
        (optimizers.RMSprop(0.1), [0.5338973, 2.2149901, -1.2536695]),
    ]
    for opt, keras_value in cases:
        np.testing.assert_allclose(run(opt), keras_value, rtol=3e-6)


def test_defaults_are_keras_defaults():
    assert float(optimizers.SGD().learning_rate) == pytest.approx(0.01)
    adam = optimizers.Adam()
    assert (float(adam.learning_rate), adam.beta_1, adam.beta_2, adam.epsilon,
            adam.amsgrad) == (pytest.approx(0.001), 0.9, 0.999, 1e-7, False)
    assert optimizers.Adagrad().initial_accumulator_value == 0.1
    rms = optimizers.RMSprop()
    assert (rms.rho, rms.momentum, rms.epsilon, rms.centered) == (0.9, 0.0, 1e-7, False)


def test_slots_allocated_once_and_updated_in_place():
    opt = optimizers.Adam(0.01)
    w = Variable(W0.astype(np.float32))
    data_id = id(w._data)
    opt.apply_gradients([(GRADS[0], w)])
    slots = [id(v._data) for v in opt.variables]
    for g in GRADS[1:]:
        opt.apply_gradients(zip([g], [w], strict=True))
    assert [id(v._data) for v in opt.variables] == slots
    assert id(w._data) == data_id
    assert len(opt.variables) == 4  # iterations, learning rate, momentum, velocity
    assert int(opt.iterations) == 4


def test_clipping():
    g = np.array([3.0, 4.0], dtype=np.float32)  # norm 5
    w = Variable([0.0, 0.0])
    optimizers.SGD(1.0, clipnorm=1.0).apply_gradients([(g, w)])
    np.testing.assert_allclose(w.numpy(), [-0.6, -0.8], rtol=1e-6)
    w = Variable([0.0, 0.0])
    optimizers.SGD(1.0, clipvalue=3.5).apply_gradients([(g, w)])
    np.testing.assert_allclose(w.numpy(), [-3.0, -3.5])
    a, b = Variable([0.0, 0.0]), Variable([0.0])
    optimizers.SGD(1.0, global_clipnorm=6.5).apply_gradients(
        [(g, a), (np.array([12.0], np.float32), b)])  # global norm 13 -> scale 0.5
    np.testing.assert_allclose(a.numpy(), [-1.5, -2.0])
    np.testing.assert_allclose(b.numpy(), [-6.0])
    w = Variable([0.0, 0.0])
    optimizers.SGD(1.0, clipnorm=10.0).apply_gradients([(g, w)])  # under the limit
    np.testing.assert_allclose(w.numpy(), [-3.0, -4.0])


def test_none_gradients_are_skipped_with_a_warning():
    a, b = Variable([1.0]), Variable([2.0], name="unused")
    opt = optimizers.SGD(0.5)
    with pytest.warns(UserWarning, match="unused"):
        opt.apply_gradients([(np.array([1.0]), a), (None, b)])
    assert a.numpy()[0] == 0.5 and b.numpy()[0] == 2.0
    with pytest.raises(ValueError, match="no gradients provided"):
        opt.apply_gradients([(None, b)])


def test_bad_input_changes_nothing():
    opt = optimizers.Adam(0.1)
    a, b = Variable([1.0, 2.0]), Variable([3.0])
    with pytest.raises(ValueError, match=r"'Variable' has shape \(3,\), expected .*\(1,\)"):
        opt.apply_gradients([(np.ones(2), a), (np.ones(3), b)])
    assert a.numpy().tolist() == [1.0, 2.0] and int(opt.iterations) == 0
    assert opt.variables == [opt.iterations, opt.learning_rate]


def test_learning_rate_is_settable_and_schedulable():
    opt = optimizers.SGD(0.1)
    opt.learning_rate = 0.5
    assert float(opt.learning_rate) == 0.5 and float(opt.lr) == 0.5
    opt.learning_rate.assign(0.25)
    w = Variable([1.0])
    opt.apply_gradients([(np.array([1.0]), w)])
    assert w.numpy()[0] == 0.75
    with pytest.raises(ValueError, match="non-negative"):
        opt.learning_rate = -1.0
    schedule = optimizers.schedules.ExponentialDecay(1.0, decay_steps=2, decay_rate=0.5)
    sched_opt = optimizers.SGD(schedule)
    w = Variable([0.0])
    for _ in range(3):  # rates 1, 0.5**0.5, 0.5 at steps 0, 1, 2
        sched_opt.apply_gradients([(np.array([1.0]), w)])
    assert w.numpy()[0] == pytest.approx(-(1 + 0.5 ** 0.5 + 0.5), rel=1e-6)
    assert float(sched_opt.learning_rate) == pytest.approx(0.5 ** 1.5, rel=1e-6)
    with pytest.raises(TypeError, match="LearningRateSchedule"):
        sched_opt.learning_rate = 0.1


def test_schedules():
    s = optimizers.schedules
    assert s.ExponentialDecay(0.1, 100, 0.5)(100) == pytest.approx(0.05)
    assert s.ExponentialDecay(0.1, 100, 0.5, staircase=True)(150) == pytest.approx(0.05)
    assert s.InverseTimeDecay(1.0, 10, 0.5)(20) == pytest.approx(0.5)
    p = s.PiecewiseConstantDecay([10, 20], [1.0, 0.5, 0.1])
    assert (p(10), p(11), p(21)) == (1.0, 0.5, 0.1)


def test_hyperparameters_validated_up_front():
    with pytest.raises(ValueError, match="learning_rate must be a non-negative"):
        optimizers.Adam(learning_rate=-0.1)
    with pytest.raises(ValueError, match=r"momentum must be a number in \[0.0, 1.0\]"):
        optimizers.SGD(momentum=1.5)
    with pytest.raises(ValueError, match="beta_1"):
        optimizers.Adam(beta_1=1.0)
    with pytest.raises(ValueError, match="only one of"):
        optimizers.SGD(clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(ValueError, match="clipnorm must be a positive"):
        optimizers.SGD(clipnorm=-1.0)
    with pytest.warns(UserWarning, match="'lr' is deprecated"):
        assert float(optimizers.SGD(lr=0.3).learning_rate) == pytest.approx(0.3)


def test_state_round_trip_resumes_bit_exactly():
    def fresh():
        return optimizers.Adam(0.05), Variable(W0.astype(np.float32))

    opt, w = fresh()
    for g in GRADS[:2]:
        opt.apply_gradients([(g, w)])
    state, weights = opt.get_state(), w.numpy()
    for g in GRADS[2:]:
        opt.apply_gradients([(g, w)])
    opt2, w2 = fresh()
    opt2.build([w2])
    opt2.set_state(state)
    w2.assign(weights)
    for g in GRADS[2:]:
        opt2.apply_gradients([(g, w2)])
    assert np.array_equal(w.numpy(), w2.numpy())
    assert int(opt2.iterations) == 4
    with pytest.raises(ValueError, match="expected 4 arrays, received 2"):
        opt2.set_state(state[:2])


def test_minimize_with_callable_and_with_tape():
    w = Variable([3.0])
    opt = optimizers.SGD(0.1)
    opt.minimize(lambda: ops.square(w), [w])  # d(w^2)/dw = 6
    assert w.numpy()[0] == pytest.approx(2.4)
    with GradientTape() as tape:
        loss = ops.square(w)
    opt.minimize(loss, [w], tape=tape)
    assert w.numpy()[0] == pytest.approx(2.4 - 0.48)
    with pytest.raises(ValueError, match="pass the GradientTape"):
        opt.minimize(constant(1.0), [w])


def test_get_config_and_lookup():
    opt = optimizers.get("adam")
    assert isinstance(opt, optimizers.Adam) and opt.name == "adam"
    assert isinstance(optimizers.get("SGD"), optimizers.SGD)
    assert isinstance(optimizers.get(optimizers.RMSprop), optimizers.RMSprop)
    assert optimizers.get(opt) is opt
    config = optimizers.SGD(0.5, momentum=0.9, clipnorm=2.0).get_config()
    assert config == {"name": "sgd", "learning_rate": 0.5, "weight_decay": None, "clipnorm": 2.0,
                      "global_clipnorm": None, "clipvalue": None, "momentum": 0.9,
                      "nesterov": False}
    back = optimizers.deserialize(optimizers.serialize(optimizers.SGD(0.5, momentum=0.9)))
    assert back.get_config()["momentum"] == 0.9
    sched = optimizers.schedules.ExponentialDecay(0.1, 10, 0.9)
    again = optimizers.Adam.from_config(optimizers.Adam(sched).get_config())
    assert isinstance(again._learning_rate, optimizers.schedules.ExponentialDecay)
    with pytest.raises(ValueError, match="Did you mean 'adam'"):
        optimizers.get("adma")


def test_variables_is_a_list_and_callable():
    opt = optimizers.SGD(0.1, momentum=0.5)
    w = Variable([1.0, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.apply_gradients([(np.ones(2), w)])
    assert opt.variables() == opt.variables and len(opt.variables) == 3
