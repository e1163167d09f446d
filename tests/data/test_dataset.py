"""myelin.data.Dataset: values of every source and transformation, against hand results."""

import itertools
from collections import Counter

import numpy as np
import pytest

import myelin as tf
from myelin.autodiff import Tensor
from myelin.data import AUTOTUNE, Dataset, TensorSpec
from myelin.data.dataset.rows import Rows
from myelin.data.dataset.transforms import _shuffled_runs


def values(ds):
    return [np.asarray(v).tolist() for v in ds.as_numpy_iterator()]


def test_reachable_as_tf_data():
    assert tf.data.Dataset is Dataset
    assert tf.TensorSpec is TensorSpec
    assert tf.data.AUTOTUNE == tf.data.experimental.AUTOTUNE == -1
    assert tf.keras.utils.Sequence is tf.keras.utils.PyDataset


def test_from_tensor_slices_tuples_dicts_and_spec():
    x = np.arange(12, dtype=np.float32).reshape(4, 3)
    y = np.array([0, 1, 0, 1])
    ds = Dataset.from_tensor_slices(({"a": x, "b": y}, y))
    assert len(ds) == 4
    features, label = ds.element_spec
    assert features["a"] == TensorSpec((3,), "float32")
    assert features["b"].dtype == np.int64 and label.shape == ()
    first = next(iter(ds))
    assert isinstance(first[0]["a"], Tensor)
    np.testing.assert_array_equal(first[0]["a"].numpy(), x[0])
    assert values(Dataset.from_tensor_slices([1.5, 2.5])) == [1.5, 2.5]
    assert Dataset.from_tensor_slices([1.5]).element_spec.dtype == np.float32  # TF's rule


def test_from_tensors_range_zip_concatenate_enumerate():
    assert len(Dataset.from_tensors(np.zeros((3, 2)))) == 1
    assert values(Dataset.range(5)) == [0, 1, 2, 3, 4]
    assert values(Dataset.range(2, 9, 3)) == [2, 5, 8]
    huge = Dataset.range(10**12).batch(4).as_numpy_iterator()  # never materialised
    assert next(huge).tolist() == [0, 1, 2, 3] and len(Dataset.range(10**12)) == 10**12
    zipped = Dataset.zip(Dataset.range(3), Dataset.range(10, 14))
    assert len(zipped) == 3
    assert [(int(a), int(b)) for a, b in zipped.as_numpy_iterator()] == [(0, 10), (1, 11),
                                                                         (2, 12)]
    assert values(Dataset.range(2).concatenate(Dataset.range(5, 7))) == [0, 1, 5, 6]
    assert [(int(i), int(v)) for i, v in Dataset.range(3, 5).enumerate(
        start=1).as_numpy_iterator()] == [(1, 3), (2, 4)]


def test_map_filter_take_skip_repeat_apply():
    ds = Dataset.range(10)
    assert values(ds.map(lambda v: v * 2).take(3)) == [0, 2, 4]
    assert values(ds.filter(lambda v: (v > 2) & (v < 6))) == [3, 4, 5]
    assert values(ds.skip(7)) == [7, 8, 9]
    assert values(ds.take(2).repeat(3)) == [0, 1] * 3
    assert values(ds.apply(lambda d: d.skip(8))) == [8, 9]
    pairs = Dataset.from_tensor_slices((np.arange(3.0), np.arange(3)))
    assert [(float(a), int(b)) for a, b in pairs.map(lambda a, b: (a + 1.0, b * 10))
            .as_numpy_iterator()] == [(1.0, 0), (2.0, 10), (3.0, 20)]


def test_cardinality_and_len():
    ds = Dataset.range(10)
    assert int(ds.batch(3).cardinality()) == 4
    assert int(ds.batch(3, drop_remainder=True).cardinality()) == 3
    assert int(ds.repeat().cardinality()) == tf.data.INFINITE_CARDINALITY
    assert int(ds.filter(lambda v: v > 2).cardinality()) == tf.data.UNKNOWN_CARDINALITY
    assert len(ds.skip(4).take(3)) == 3
    with pytest.raises(TypeError, match="infinite"):
        len(ds.repeat())
    with pytest.raises(TypeError, match="unknown"):
        len(ds.filter(lambda v: v > 2))


def test_batch_shapes_remainder_and_spec():
    x = np.arange(10 * 2, dtype=np.float32).reshape(10, 2)
    batches = list(Dataset.from_tensor_slices(x).batch(4).as_numpy_iterator())
    assert [b.shape for b in batches] == [(4, 2), (4, 2), (2, 2)]
    np.testing.assert_array_equal(np.concatenate(batches), x)
    assert Dataset.from_tensor_slices(x).batch(4).element_spec.shape == (None, 2)
    assert Dataset.from_tensor_slices(x).batch(4, True).element_spec.shape == (4, 2)
    assert values(Dataset.range(5).batch(2).unbatch()) == [0, 1, 2, 3, 4]


def test_batching_slices_is_one_gather_per_batch(monkeypatch):
    # No per-element work: reading one row at a time would call Rows.row.
    def per_element(self, i):
        raise AssertionError("a row was read one element at a time")

    monkeypatch.setattr(Rows, "row", per_element)
    x = np.arange(1000, dtype=np.float32).reshape(500, 2)
    ds = Dataset.from_tensor_slices((x, np.arange(500))).shuffle(100, seed=3).repeat(2)
    rows = np.concatenate([b[1] for b in ds.batch(64).as_numpy_iterator()])
    assert sorted(rows.tolist()) == sorted(list(range(500)) * 2)


def test_batch_of_different_shapes_names_the_component():
    ds = Dataset.from_generator(lambda: (np.zeros(n) for n in (2, 3)),
                                output_signature=TensorSpec((None,), "float64"))
    with pytest.raises(ValueError, match=r"component 0.*\(2,\).*element 1.*\(3,\)"):
        list(ds.batch(2).as_numpy_iterator())


def test_padded_batch():
    def gen():
        for n in (1, 3, 2):
            yield np.arange(1, n + 1, dtype=np.int32)

    ds = Dataset.from_generator(gen, output_signature=TensorSpec((None,), "int32"))
    first, second = values(ds.padded_batch(2))
    assert first == [[1, 0, 0], [1, 2, 3]] and second == [[1, 2]]
    fixed = values(ds.padded_batch(3, padded_shapes=(5,), padding_values=-1))
    assert fixed == [[[1, -1, -1, -1, -1], [1, 2, 3, -1, -1], [1, 2, -1, -1, -1]]]
    with pytest.raises(ValueError, match="larger than its padded shape"):
        values(ds.padded_batch(3, padded_shapes=(2,)))


def test_shuffle_buffer_of_one_keeps_the_order_and_a_full_buffer_permutes():
    ds = Dataset.range(20)
    assert values(ds.shuffle(1)) == list(range(20))
    order = values(ds.shuffle(20, seed=0))
    assert sorted(order) == list(range(20)) and order != list(range(20))


def test_shuffle_output_k_comes_from_the_first_k_plus_buffer_elements():
    # tf.data's buffer semantics: with a buffer of 3, output k is one of inputs 0..k+2.
    for seed in range(20):
        order = values(Dataset.range(50).shuffle(3, seed=seed))
        assert sorted(order) == list(range(50))
        assert all(v <= k + 2 for k, v in enumerate(order))


def test_shuffle_buffer_draws_uniformly():
    # buffer 2 over [0, 1, 2]: the first output is 0 or 1 with probability 1/2 each
    firsts = [values(Dataset.range(3).shuffle(2, seed=s))[0] for s in range(2000)]
    assert set(firsts) == {0, 1}
    assert abs(firsts.count(0) / 2000 - 0.5) < 0.04
    # a full buffer over 4 elements: each first element has probability 1/4
    firsts = [values(Dataset.range(4).shuffle(4, seed=s))[0] for s in range(2000)]
    assert all(abs(firsts.count(v) / 2000 - 0.25) < 0.04 for v in range(4))


def _buffer_process_distribution(n, size):
    """Exact probability of every output order of tf.data's buffer over range(n):
    each step outputs a uniformly drawn slot and refills it; the rest drains randomly."""
    outcomes = Counter()
    for draws in itertools.product(range(size), repeat=n - size):
        buffer, out = list(range(size)), []
        for step, slot in enumerate(draws):
            out.append(buffer[slot])
            buffer[slot] = size + step
        for drain in itertools.permutations(buffer):
            outcomes[tuple(out) + drain] += 1
    total = sum(outcomes.values())
    return {order: count / total for order, count in outcomes.items()}


def _vectorised_in_small_chunks(seed):
    runs = [range(0, 2), np.array([2, 3]), range(4, 5)]
    rng = np.random.default_rng(seed)
    return np.concatenate(list(_shuffled_runs(iter(runs), 2, rng, chunk=1))).tolist()


@pytest.mark.parametrize("order_of", [
    lambda seed: values(Dataset.range(5).shuffle(2, seed=seed)),  # vectorised
    _vectorised_in_small_chunks,
    lambda seed: values(Dataset.range(5).map(lambda v: v).shuffle(2, seed=seed)),
], ids=["vectorised", "chunked", "elementwise"])
def test_shuffle_orders_follow_the_buffer_process_exactly(order_of):
    exact = _buffer_process_distribution(5, 2)
    seen = Counter()
    for seed in range(3000):
        seen[tuple(order_of(seed))] += 1
    assert set(seen) <= set(exact)
    for order, probability in exact.items():
        assert abs(seen[order] / 3000 - probability) < 0.025, order


def test_shuffle_reshuffles_each_iteration_unless_told_and_is_seeded():
    ds = Dataset.range(30).shuffle(30, seed=7)
    assert values(ds) != values(ds)
    fixed = Dataset.range(30).shuffle(30, seed=7, reshuffle_each_iteration=False)
    assert values(fixed) == values(fixed)
    assert values(Dataset.range(30).shuffle(30, seed=7)) == values(
        Dataset.range(30).shuffle(30, seed=7))
    tf.utils.set_random_seed(5)
    a = values(Dataset.range(30).shuffle(30))
    tf.utils.set_random_seed(5)
    assert values(Dataset.range(30).shuffle(30)) == a


def test_elementwise_shuffle_after_map_keeps_every_element():
    order = values(Dataset.range(40).map(lambda v: v + 100).shuffle(8, seed=1))
    assert sorted(order) == list(range(100, 140))
    assert all(v - 100 <= k + 7 for k, v in enumerate(order))


def test_map_num_parallel_calls_keeps_order():
    ds = Dataset.range(200).map(lambda v: v * v, num_parallel_calls=AUTOTUNE)
    assert values(ds) == [v * v for v in range(200)]


def test_map_spec_keeps_the_unknown_batch_axis():
    x = np.zeros((10, 28, 28), np.uint8)
    ds = Dataset.from_tensor_slices((x, np.zeros(10))).batch(4).map(
        lambda a, b: (tf.reshape(tf.cast(a, "float32"), (-1, 784)), b))
    image, label = ds.element_spec
    assert image == TensorSpec((None, 784), "float32") and label.shape == (None,)


def test_cache_in_memory_skips_upstream_work_and_becomes_vectorised(monkeypatch):
    calls = []

    def double(v):
        calls.append(1)
        return v * 2

    ds = Dataset.range(6).map(double).cache()
    assert values(ds) == [0, 2, 4, 6, 8, 10] and len(calls) == 6
    assert values(ds.batch(4)) == [[0, 2, 4, 6], [8, 10]] and len(calls) == 6
    assert ds._plan() is not None  # later passes gather batches from stacked rows


def test_cache_discards_a_partial_pass():
    calls = []
    ds = Dataset.range(5).map(lambda v: calls.append(1) or v).cache()
    assert values(ds.take(2)) == [0, 1]
    assert values(ds) == [0, 1, 2, 3, 4]
    assert len(calls) == 7  # the partial pass was not kept


def test_cache_to_file_is_reused_and_never_left_truncated(tmp_path):
    calls = []
    path = tmp_path / "cache"

    def pipeline():
        return Dataset.range(600).map(lambda v: (calls.append(1), v)[1] * 3).cache(path)

    assert values(pipeline().take(10)) == [3 * v for v in range(10)]
    assert not list(tmp_path.iterdir())  # the interrupted pass left nothing
    assert values(pipeline()) == [3 * v for v in range(600)]
    assert len(calls) == 610
    assert values(pipeline()) == [3 * v for v in range(600)]
    # a new dataset read the completed file; its map ran once, for the element
    # structure (TensorFlow likewise calls map_func once to trace it)
    assert len(calls) == 611


def test_cache_file_of_varying_shapes_and_strings(tmp_path):
    def gen():
        for n in (1, 1, 3, 2):
            yield np.arange(n), "w" * n

    spec = (TensorSpec((None,), "int64"), TensorSpec((), "string"))
    ds = Dataset.from_generator(gen, output_signature=spec).cache(tmp_path / "c")
    first = [(a.tolist(), str(s)) for a, s in ds.as_numpy_iterator()]
    again = [(a.tolist(), str(s)) for a, s in ds.as_numpy_iterator()]
    assert first == again == [([0], "w"), ([0], "w"), ([0, 1, 2], "www"), ([0, 1], "ww")]


def test_slices_of_a_memmap_are_not_copied_and_strings_stay_numpy(tmp_path):
    x = np.lib.format.open_memmap(tmp_path / "x.npy", mode="w+", dtype=np.float32,
                                  shape=(6, 2))
    x[:] = np.arange(12).reshape(6, 2)
    x.flush()
    mapped = np.load(tmp_path / "x.npy", mmap_mode="r")
    ds = Dataset.from_tensor_slices(mapped)
    assert np.shares_memory(ds._rows.arrays[0], mapped)
    assert values(ds.batch(4))[1] == [[8.0, 9.0], [10.0, 11.0]]
    words = np.array(["a", "bb", "ccc"], dtype=object)  # how pandas stores strings
    texts = [s.tolist() for s in Dataset.from_tensor_slices(words).batch(2)]
    assert texts == [["a", "bb"], ["ccc"]]
    with pytest.raises(TypeError, match="Python objects"):
        Dataset.from_tensor_slices(np.array([{}, {}], dtype=object))
