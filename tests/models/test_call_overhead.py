"""The cheap paths of fit and of an eager model call keep every guarantee of the slow ones.

``Snapshot.update`` refreshes a small model's fit-guard copies in place; a Sequential
call runs plain layers' ``call`` directly. Each test compares with the general path.
"""

import numpy as np
import pytest

import myelin
from myelin import layers
from myelin.models.snapshot import Snapshot


def test_snapshot_update_refreshes_the_copies_in_place():
    a, b = np.arange(6.0).reshape(2, 3), np.ones(4, np.float32)
    snap = Snapshot([a, b])
    copies = snap.arrays()
    a += 10.0
    assert snap.update([a, b]) is snap and snap.arrays()[0] is copies[0]  # no allocation
    np.testing.assert_array_equal(snap.arrays()[0], np.arange(6.0).reshape(2, 3) + 10.0)
    a -= 100.0  # the copy is not a view of the weights
    np.testing.assert_array_equal(snap.arrays()[0], np.arange(6.0).reshape(2, 3) + 10.0)


@pytest.mark.parametrize("change", ["shape", "dtype", "count"])
def test_snapshot_update_makes_a_new_snapshot_when_the_arrays_changed(change):
    a, b = np.zeros((2, 3)), np.zeros(4)
    snap = Snapshot([a, b])
    new = {"shape": [np.ones((3, 2)), b], "dtype": [np.ones((2, 3), np.float32), b],
           "count": [a, b, np.ones(1)]}[change]
    fresh = snap.update(new)
    assert fresh is not snap
    assert all(np.array_equal(x, y) and x.dtype == y.dtype
               for x, y in zip(fresh.arrays(), new, strict=True))


def test_a_spilled_snapshot_is_rewritten_on_update(monkeypatch):
    monkeypatch.setattr("myelin.models.snapshot.SPILL_BYTES", 0)
    a = np.arange(3.0)
    snap = Snapshot([a])
    a += 1
    fresh = snap.update([a])
    np.testing.assert_array_equal(fresh.arrays()[0], [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(snap.arrays()[0], [0.0, 1.0, 2.0])


def _chained(model, x, **kwargs):
    """The general path: every layer through its own ``__call__``."""
    out = myelin.convert_to_tensor(x)
    for layer in model.layers:
        out = layer(out, **kwargs)
    return out.numpy()


def test_a_sequential_call_equals_calling_each_layer():
    myelin.utils.set_random_seed(0)
    model = myelin.Sequential([layers.Input((5,)), layers.Dense(7, activation="relu"),
                               layers.Dense(3, activation="softmax")])
    x = np.random.default_rng(0).normal(size=(4, 5)).astype(np.float32)
    np.testing.assert_array_equal(model(x, training=False).numpy(), _chained(model, x))


def test_training_mode_reaches_a_dropout_after_the_first_layer():
    model = myelin.Sequential([layers.Input((1,)), layers.Dense(200, use_bias=False,
                                                                kernel_initializer="ones"),
                               layers.Dropout(0.5)])
    x = np.ones((1, 1), np.float32)
    np.testing.assert_array_equal(model(x, training=False).numpy(), np.ones((1, 200)))
    out = model(x, training=True).numpy()
    dropped = np.mean(out == 0.0)
    assert 0.3 < dropped < 0.7 and np.allclose(out[out != 0], 2.0)  # kept units scaled 1/0.5


def test_an_activity_regularizer_after_the_first_layer_still_adds_its_loss():
    model = myelin.Sequential([layers.Input((2,)), layers.Dense(2, kernel_initializer="ones"),
                               layers.Dense(1, kernel_initializer="ones",
                                            activity_regularizer=myelin.regularizers.L1(0.5))])
    model(np.array([[1.0, 2.0]], np.float32))
    # the output is 2 * (1 + 2) = 6; L1(0.5) of it, divided by the batch size of 1
    assert [float(loss) for loss in model.losses] == [3.0]


def test_a_layer_of_another_dtype_still_casts_its_input():
    model = myelin.Sequential([layers.Input((3,)), layers.Dense(4),
                               layers.Dense(2, dtype="float64")])
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    out = model(x)
    assert out.dtype == np.float64
    np.testing.assert_array_equal(out.numpy(), _chained(model, x))


def test_a_later_layer_still_names_itself_for_inputs_of_the_wrong_width():
    model = myelin.Sequential([layers.Input((4, 2)), layers.Flatten(),
                               layers.Dense(3, name="head")])
    with pytest.raises(ValueError, match="Dense layer 'head' expects inputs with 8 features"):
        model(np.zeros((1, 5, 2), np.float32))


def test_an_inner_call_with_its_own_training_mode_is_honoured():
    class AlwaysDrops(myelin.Model):
        def __init__(self):
            super().__init__()
            self.dense = layers.Dense(200, use_bias=False, kernel_initializer="ones")
            self.drop = layers.Dropout(0.5)

        def call(self, x, training=None):
            return self.drop(self.dense(x), training=True)  # not the entry call's mode

    model = AlwaysDrops()
    for _ in range(2):  # the first call builds the layers, the second finds them built
        out = model(np.ones((1, 1), np.float32), training=False).numpy()
        assert 0.3 < np.mean(out == 0.0) < 0.7
