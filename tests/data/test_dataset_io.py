"""Dataset: the prefetch thread, from_generator's signature checks, and bad arguments."""

import threading

import numpy as np
import pytest

from myelin.data import Dataset, TensorSpec
from myelin.data.dataset.prefetch import background


def test_prefetch_runs_the_pipeline_in_another_thread_ahead_of_the_consumer():
    produced, threads = [], set()
    third = threading.Event()

    def gen():
        for i in range(5):
            threads.add(threading.get_ident())
            produced.append(i)
            if i == 2:
                third.set()
            yield i

    ds = Dataset.from_generator(gen, output_signature=TensorSpec((), "int64")).prefetch(2)
    iterator = ds.as_numpy_iterator()
    assert next(iterator) == 0
    # while the consumer holds element 0, the thread fills the buffer (elements 1, 2)
    assert third.wait(timeout=30)
    assert threading.get_ident() not in threads
    assert [int(v) for v in iterator] == [1, 2, 3, 4]


def test_prefetch_hands_errors_to_the_consumer_and_stops_when_dropped():
    def failing():
        yield np.float32(1.0)
        raise OSError("disk gone")

    ds = Dataset.from_generator(failing, output_signature=TensorSpec((), "float32"))
    with pytest.raises(OSError, match="disk gone"):
        list(ds.prefetch(1).as_numpy_iterator())
    closed = threading.Event()

    def endless():
        try:
            while True:
                yield 1
        finally:
            closed.set()

    stream = background(endless(), 2)
    assert next(stream) == 1
    stream.close()
    assert closed.wait(timeout=30)  # the producer closed its source and ended


def test_prefetch_keeps_values_and_order():
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    got = np.concatenate(list(Dataset.from_tensor_slices(x).batch(3).prefetch(1)
                              .as_numpy_iterator()))
    np.testing.assert_array_equal(got, x)


def test_from_generator_converts_and_checks_each_element():
    def gen():
        yield [1, 2], 0
        yield [3, 4], 1

    spec = (TensorSpec((2,), "float32"), TensorSpec((), "int64"))
    ds = Dataset.from_generator(gen, output_signature=spec)
    out = list(ds.as_numpy_iterator())
    assert out[1][0].dtype == np.float32 and out[1][0].tolist() == [3.0, 4.0]
    assert ds.element_spec == spec and int(ds.cardinality()) == -2

    def bad_shape():
        yield np.zeros(2), 0
        yield np.zeros(3), 1

    with pytest.raises(ValueError, match=r"element 1 of shape \(3,\).*shape \(2,\)"):
        list(Dataset.from_generator(bad_shape, output_signature=spec).as_numpy_iterator())

    def bad_dtype():
        yield np.zeros(2), 0.5

    with pytest.raises(TypeError, match="element 0 has dtype float64.*int64"):
        list(Dataset.from_generator(bad_dtype, output_signature=spec).as_numpy_iterator())

    def bad_structure():
        yield np.zeros(2)

    with pytest.raises(TypeError, match=r"element 0 has the structure x but the signature "
                                        r"is \(x, x\)"):
        list(Dataset.from_generator(bad_structure, output_signature=spec)
             .as_numpy_iterator())


def test_from_generator_older_spelling_and_args():
    ds = Dataset.from_generator(lambda n: iter(range(n)), output_types="int32",
                                output_shapes=(), args=(3,))
    assert [int(v) for v in ds.as_numpy_iterator()] == [0, 1, 2]
    pairs = Dataset.from_generator(lambda: iter([(np.ones(2), 1)]),
                                   output_types=("float32", "int64"),
                                   output_shapes=((2,), ()))
    assert pairs.element_spec[0] == TensorSpec((2,), "float32")


def test_tensor_spec():
    spec = TensorSpec((None, 3), "float32")
    assert spec.is_compatible_with(np.zeros((7, 3), np.float32))
    assert not spec.is_compatible_with(np.zeros((7, 4), np.float32))
    assert not spec.is_compatible_with(np.zeros((7, 3), np.int32))
    assert repr(spec) == "TensorSpec(shape=(None, 3), dtype=float32, name=None)"
    assert TensorSpec((), "string").is_compatible_with(np.array("text"))
    with pytest.raises(TypeError, match="dtype must be"):
        TensorSpec((2,), "complex64")
    with pytest.raises(TypeError, match="shape must be"):
        TensorSpec("abc", "float32")
    with pytest.raises(ValueError, match=">= 0"):
        TensorSpec((-3,), "float32")


@pytest.mark.parametrize(("make", "error", "message"), [
    (lambda: Dataset.from_tensor_slices((np.zeros(3), np.zeros(4))), ValueError,
     "component 0 has 3, component 1 has 4"),
    (lambda: Dataset.from_tensor_slices(np.float32(1)), ValueError, "scalar"),
    (lambda: Dataset.from_tensor_slices([[1, 2], [3]]), (TypeError, ValueError),
     "different lengths|inhomogeneous"),
    (lambda: Dataset.from_tensor_slices(Dataset.range(3)), TypeError, "received a Dataset"),
    (lambda: Dataset.from_generator([1, 2], output_signature=TensorSpec(())), TypeError,
     "must be a callable"),
    (lambda: Dataset.from_generator(lambda: iter([])), TypeError,
     "output_signature is required"),
    (lambda: Dataset.from_generator(lambda: iter([]), output_signature=(1, 2)), TypeError,
     "TensorSpec"),
    (lambda: Dataset.range(1, 5, 0), ValueError, "step must not be zero"),
    (lambda: Dataset.range(), TypeError, "1 to 3 arguments"),
    (lambda: Dataset.zip(Dataset.range(2), [1, 2]), TypeError, "expected datasets"),
    (lambda: Dataset.range(2).concatenate(Dataset.from_tensor_slices(np.zeros(2))),
     TypeError, "differ in structure or dtype"),
    (lambda: Dataset.range(2).concatenate([1]), TypeError, "expected a Dataset"),
    (lambda: Dataset.range(5).batch(0), ValueError, "batch_size must be an integer >= 1"),
    (lambda: Dataset.range(5).batch(2.5), ValueError, "batch_size"),
    (lambda: Dataset.range(5).shuffle(0), ValueError, "buffer_size must be an integer >= 1"),
    (lambda: Dataset.range(5).shuffle(10, seed=-1), ValueError, "seed"),
    (lambda: Dataset.range(5).take(-2), ValueError, "count must be an integer >= -1"),
    (lambda: Dataset.range(5).skip("2"), ValueError, "count"),
    (lambda: Dataset.range(5).repeat(-3), ValueError, "count"),
    (lambda: Dataset.range(5).prefetch(-2), ValueError, "buffer_size"),
    (lambda: Dataset.range(5).map(3), TypeError, "map_func must be callable"),
    (lambda: Dataset.range(5).map(lambda v: v, num_parallel_calls=-5), ValueError,
     "num_parallel_calls"),
    (lambda: Dataset.range(5).filter("odd"), TypeError, "predicate must be callable"),
    (lambda: Dataset.range(5).apply(lambda d: 3), TypeError, "must return a Dataset"),
    (lambda: Dataset.range(5).padded_batch(0), ValueError, "batch_size"),
])
def test_bad_arguments_are_refused_by_name(make, error, message):
    with pytest.raises(error, match=message):
        make()


def test_bad_values_met_while_iterating():
    with pytest.raises(TypeError, match="scalar boolean"):
        list(Dataset.range(3).filter(lambda v: v * 2).as_numpy_iterator())
    with pytest.raises(ValueError, match="empty dataset"):
        _ = Dataset.range(0).map(lambda v: v).element_spec
