"""GradientTape behaves as TensorFlow 2's."""

import numpy as np
import pytest

import myelin.ops as ops
from myelin.autodiff import GradientTape, Variable, constant, no_grad, stop_gradient


def test_gradient_of_a_product():
    w = Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = ops.reduce_sum(w * w * 3.0)
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), [6.0, 12.0])


def test_non_persistent_tape_allows_one_call():
    w = Variable(2.0)
    with GradientTape() as tape:
        y = w * w
    assert float(tape.gradient(y, w)) == 4.0
    with pytest.raises(RuntimeError, match="only be called once.*persistent=True"):
        tape.gradient(y, w)


def test_persistent_tape_allows_several_calls():
    w = Variable(2.0)
    with GradientTape(persistent=True) as tape:
        y = w * w
        z = y * w
    assert float(tape.gradient(y, w)) == 4.0
    assert float(tape.gradient(z, w)) == 12.0
    assert float(tape.gradient(z, y)) == 2.0


def test_unconnected_source_gives_none_or_zero():
    w, v = Variable([1.0, 2.0]), Variable([[3.0]])
    with GradientTape(persistent=True) as tape:
        y = w * 2.0
    assert tape.gradient(y, [w, v])[1] is None
    zero = tape.gradient(y, v, unconnected_gradients="zero")
    assert zero.shape == (1, 1) and zero.dtype == np.float32 and float(zero) == 0.0
    with pytest.raises(ValueError, match="unconnected_gradients must be"):
        tape.gradient(y, w, unconnected_gradients="nan")


def test_constants_need_watch():
    x, c = constant(3.0), constant(4.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x * c
    gx, gc = tape.gradient(y, [x, c])
    assert float(gx) == 24.0 and gc is None


def test_watch_refuses_non_tensors():
    with GradientTape() as tape, pytest.raises(TypeError, match="expected a Tensor or Variable"):
        tape.watch(np.ones(2))


def test_sources_must_be_tensors():
    w = Variable(1.0)
    with GradientTape() as tape:
        y = w * 2.0
    with pytest.raises(TypeError, match="sources must be Tensors"):
        tape.gradient(y, [np.ones(1)])


def test_non_trainable_variable_is_not_watched_automatically():
    v = Variable(2.0, trainable=False)
    with GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None


def test_watch_accessed_variables_false_watches_nothing_by_itself():
    w = Variable(2.0)
    with GradientTape(watch_accessed_variables=False) as tape:
        y = w * w
    assert tape.gradient(y, w) is None


# Core bug (reported to the lead): recording.tracked() returns early for Variables,
# so an explicit tape.watch() of a non-trainable Variable, or of any Variable under
# watch_accessed_variables=False, is ignored. TF 2 returns the gradient in both cases.
def test_explicitly_watched_non_trainable_variable_gets_gradient():
    v = Variable(2.0, trainable=False)
    with GradientTape() as tape:
        tape.watch(v)
        y = v * v
    assert float(tape.gradient(y, v)) == 4.0


def test_explicit_watch_with_watch_accessed_variables_false():
    w, u = Variable(2.0), Variable(5.0)
    with GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(w)
        y = w * w * u
    gw, gu = tape.gradient(y, [w, u])
    assert float(gw) == 20.0 and gu is None


def test_stop_gradient_blocks_the_path():
    x = Variable(3.0)
    with GradientTape() as tape:
        y = x * stop_gradient(x * x)
    assert float(tape.gradient(y, x)) == 9.0


def test_stop_recording_block_is_not_differentiated():
    x = Variable(3.0)
    with GradientTape() as tape:
        y = x * 2.0
        with tape.stop_recording():
            z = x * x
        total = y + z
    assert z._node is None
    assert float(tape.gradient(total, x)) == 2.0


def test_no_grad_records_nothing():
    x = Variable(3.0)
    with GradientTape(), no_grad():
        y = x * x
    assert y._node is None


def test_ops_outside_a_tape_are_not_recorded():
    x = Variable(3.0)
    assert (x * x)._node is None


def test_gradient_with_respect_to_an_intermediate():
    x = Variable([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        h = x * 3.0
        y = ops.reduce_sum(h * h)
    np.testing.assert_allclose(tape.gradient(y, h).numpy(), [6.0, 12.0])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [18.0, 36.0])


def test_list_tuple_and_dict_sources_keep_their_structure():
    a, b = Variable(1.0), Variable(2.0)
    with GradientTape(persistent=True) as tape:
        y = a * b
    as_list = tape.gradient(y, [a, b])
    as_tuple = tape.gradient(y, (a, b))
    as_dict = tape.gradient(y, {"a": a, "b": b})
    assert isinstance(as_list, list) and isinstance(as_tuple, tuple)
    assert [float(g) for g in as_list] == [2.0, 1.0] == [float(g) for g in as_tuple]
    assert float(as_dict["a"]) == 2.0 and float(as_dict["b"]) == 1.0


def test_non_scalar_target_is_summed():
    x = Variable([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        y = x * x  # shape (3,)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])


def test_output_gradients_seed_the_target():
    x = Variable([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        y = x * x
    g = tape.gradient(y, x, output_gradients=constant([10.0, -1.0]))
    np.testing.assert_allclose(g.numpy(), [20.0, -4.0])
    with pytest.raises(ValueError, match=r"output_gradients has shape \(3,\).*\(2,\)"):
        tape.gradient(y, x, output_gradients=np.ones(3))


def test_gradient_of_a_source_with_respect_to_itself_is_one():
    x = Variable([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
    np.testing.assert_array_equal(tape.gradient(x, x).numpy(), [1.0, 1.0])


def test_gradient_keeps_the_source_dtype():
    x = Variable(np.array([1.0, 2.0], dtype=np.float64))
    w = Variable([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        y = x * 2.0
        z = w * 2.0
    assert tape.gradient(y, x).dtype == np.float64
    assert tape.gradient(z, w).dtype == np.float32
