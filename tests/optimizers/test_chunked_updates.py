"""Large variables are updated in cache-sized chunks, small ones as one flat group: the
numbers must not change."""

import numpy as np
import pytest

import myelin as my
from myelin.compat.v1 import train as v1_train

OPTIMIZERS = [
    lambda: my.optimizers.SGD(0.1),
    lambda: my.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    lambda: my.optimizers.Adam(0.01),
    lambda: my.optimizers.Adam(0.01, amsgrad=True),
    lambda: my.optimizers.AdamW(0.01, weight_decay=0.1),
    lambda: my.optimizers.Nadam(0.01),
    lambda: my.optimizers.Adamax(0.01),
    lambda: my.optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    lambda: my.optimizers.Adagrad(0.1),
    lambda: my.optimizers.Adadelta(1.0),
    lambda: my.optimizers.Ftrl(0.1, l1_regularization_strength=0.01),
    lambda: my.optimizers.Lion(0.01),
    lambda: v1_train.AdamOptimizer(0.01),
    lambda: v1_train.RMSPropOptimizer(0.01, momentum=0.5, centered=True),
]


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_chunked_update_matches_whole_variable_update(make):
    rng = np.random.default_rng(0)
    start = rng.standard_normal((37, 29)).astype(np.float32)  # 1073: not a multiple of 100
    bias = rng.standard_normal(5).astype(np.float32)
    grads = [[rng.standard_normal(start.shape).astype(np.float32),
              rng.standard_normal(5).astype(np.float32)] for _ in range(3)]
    results = []
    for chunk_size in (10**9, 100):
        opt = make()
        opt.chunk_size = chunk_size  # 100: the weight goes in 11 chunks, the bias whole
        opt.group_small = False  # else both would be updated as one group
        w, b = my.Variable(start.copy()), my.Variable(bias.copy())
        for g in grads:
            opt.apply_gradients([(my.constant(g[0]), w), (my.constant(g[1]), b)])
        results.append((w.numpy(), b.numpy(), [v.numpy() for v in opt.variables]))
    whole, chunked = results
    assert not np.array_equal(whole[0], start)  # the updates did move the weight
    np.testing.assert_array_equal(chunked[0], whole[0])
    np.testing.assert_array_equal(chunked[1], whole[1])
    for a, b in zip(chunked[2], whole[2], strict=True):
        np.testing.assert_array_equal(a, b)


def test_chunked_update_of_a_non_contiguous_gradient():
    rng = np.random.default_rng(1)
    grad = rng.standard_normal((40, 30)).astype(np.float32).T  # a transposed view
    results = []
    for chunk_size in (10**9, 64):
        opt = my.optimizers.Adam(0.1)
        opt.chunk_size = chunk_size
        w = my.Variable(np.ones((30, 40), np.float32))
        opt.apply_gradients([(my.constant(grad), w)])
        results.append(w.numpy())
    np.testing.assert_array_equal(results[1], results[0])
    g = grad.astype(np.float64)  # Keras's first Adam step, by hand
    m, v = 0.1 * g, 0.001 * g**2
    expected = 1 - 0.1 * np.sqrt(0.001) / 0.1 * m / (np.sqrt(v) + 1e-7)
    np.testing.assert_allclose(results[0], expected, rtol=1e-5)


@pytest.mark.parametrize("make", OPTIMIZERS)
def test_grouped_update_matches_variable_by_variable(make):
    rng = np.random.default_rng(2)
    shapes = [(37, 29), (5,), (), (91, 101), (3, 4)]  # (91, 101): too large to group
    starts = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(4)]
    results = []
    for group in (False, True):
        opt = make()
        opt.group_small = group
        ws = [my.Variable(s.copy()) for s in starts]
        ws.append(my.Variable(np.ones(3, np.float32)))
        ws[-1].constraint = my.constraints.NonNeg()  # as Layer.add_weight sets it
        for step, g in enumerate(grads):
            opt.apply_gradients(zip([my.constant(a) for a in g + [-np.ones(3)]], ws, strict=True))
            if step == 1:  # restoring state writes into the group's views in place
                opt.set_state(opt.get_state())
                ws[0].assign(ws[0].numpy() * 0.5)  # so does assigning a weight
        results.append(([w.numpy() for w in ws], [v.numpy() for v in opt.variables]))
    (alone, alone_state), (grouped, grouped_state) = results
    assert not np.array_equal(alone[0], starts[0])
    for a, b in zip(alone + alone_state, grouped + grouped_state, strict=True):
        np.testing.assert_array_equal(a, b)


def test_a_group_follows_slots_that_were_replaced():
    opt = my.optimizers.Adam(0.1)
    ws = [my.Variable(np.ones(4, np.float32)), my.Variable(np.ones(2, np.float32))]
    opt.apply_gradients(zip([my.constant(np.ones(4)), my.constant(np.ones(2))], ws, strict=True))
    group = opt._group_for(ws)
    assert group is not None and group.serves(ws)
    momentum = opt._slots[id(ws[0])][1]["momentum"]
    momentum._data = np.full(4, 5.0, np.float32)  # a new array, not the group's view
    opt.apply_gradients(zip([my.constant(np.zeros(4)), my.constant(np.zeros(2))], ws, strict=True))
    assert opt._group_for(ws) is not group  # rebuilt from the slot's new values
    np.testing.assert_allclose(momentum.numpy(), 4.5)  # 0.9 * 5 + 0.1 * 0
    group = opt._group_for(ws)
    assert group.serves(ws) and ws[1]._data.base is group.chunk._data


def test_a_grouped_weight_is_written_in_place_by_its_layer_and_the_user():
    model = my.Sequential([my.layers.Input((3,)), my.layers.Dense(2)])
    model.compile(optimizer="adam", loss="mse")
    x, y = np.ones((4, 3), np.float32), np.zeros((4, 2), np.float32)
    model.fit(x, y, epochs=1, verbose=0)
    group = model.optimizer._group_for(model.trainable_weights)
    model.set_weights([np.full((3, 2), 2.0, np.float32), np.zeros(2, np.float32)])
    assert group.serves(model.trainable_weights)  # set_weights wrote into the views
    np.testing.assert_array_equal(model.predict(x, verbose=0), np.full((4, 2), 6.0))


def test_two_variable_lists_sharing_an_optimizer_match_ungrouped_updates():
    rng = np.random.default_rng(4)
    starts = [rng.standard_normal(s).astype(np.float32) for s in [(3, 2), (2,), (4,), (2, 2)]]
    results = []
    for group in (False, True):
        opt = my.optimizers.RMSprop(0.01, momentum=0.5)
        opt.group_small = group
        ws = [my.Variable(s.copy()) for s in starts]
        for step in range(6):  # a GAN's two models, one optimizer, alternating
            pair = ws[:2] if step % 2 else ws[2:]
            opt.apply([np.full(w.shape, step + 1.0, np.float32) for w in pair], pair)
        results.append([w.numpy() for w in ws] + [v.numpy() for v in opt.variables])
    for a, b in zip(*results, strict=True):
        np.testing.assert_array_equal(a, b)
