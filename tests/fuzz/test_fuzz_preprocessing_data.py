"""Issue 17, item 1: preprocessing functions and dataset helpers on fuzzed inputs.

``pad_sequences``, ``to_categorical``, ``normalize``, ``train_test_split`` and the
``Dataset`` constructors and transforms return NumPy's answer or raise a myelin error
naming the function.
"""

import sys
from pathlib import Path

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).parent))
import _strategies as fz  # noqa: E402

from myelin import data  # noqa: E402

SEQUENCES = st.one_of(
    st.lists(st.lists(st.integers(-3, 9), max_size=5), max_size=4),
    st.lists(st.sampled_from([[1, 2], [], "ab", None, [1.5, np.nan], [[1]], 3]), max_size=4),
    fz.arrays(max_dims=3))


def _pad_reference(seqs, maxlen, padding, truncating, value):
    maxlen = max((len(s) for s in seqs), default=0) if maxlen is None else maxlen
    out = np.full((len(seqs), maxlen), value, dtype=np.int32)
    for i, s in enumerate(seqs):
        s = (s[-maxlen:] if truncating == "pre" else s[:maxlen]) if maxlen else []
        if len(s):
            if padding == "post":
                out[i, :len(s)] = s
            else:
                out[i, -len(s):] = s
    return out


@fz.FUZZ
@given(seqs=SEQUENCES, maxlen=st.sampled_from([None, 0, 1, 3, -1, 2.5, "3"]),
       padding=st.sampled_from(["pre", "post", "middle", None]),
       truncating=st.sampled_from(["pre", "post", 1]), value=st.sampled_from([0, -1, 0.5, "x"]))
def test_pad_sequences(seqs, maxlen, padding, truncating, value):
    out, error = fz.call(lambda: data.pad_sequences(seqs, maxlen=maxlen, padding=padding,
                                                    truncating=truncating, value=value),
                         "pad_sequences", "maxlen", "padding", "truncating", "value")
    plain = isinstance(seqs, list) and all(
        isinstance(s, list) and all(isinstance(v, int) for v in s) for s in seqs)
    if error is None and plain and (maxlen is None or (type(maxlen) is int and maxlen >= 0)) \
            and value in (0, -1):
        expected = _pad_reference(seqs, maxlen, padding, truncating, value)
        np.testing.assert_array_equal(out, expected)


@fz.FUZZ
@given(x=st.one_of(fz.arrays(max_dims=3), st.lists(st.integers(-2, 6), max_size=6)),
       num_classes=st.sampled_from([None, 0, 1, 3, 7, -1, 2.5, "3"]))
def test_to_categorical(x, num_classes):
    out, error = fz.call(lambda: data.to_categorical(x, num_classes=num_classes),
                         "to_categorical", "num_classes")
    labels = np.asarray(x)
    if error is None and labels.dtype.kind in "iu" and labels.size:
        n = labels.max() + 1 if num_classes is None else num_classes
        expected = np.eye(n, dtype=np.float32)[labels]
        if labels.ndim >= 1 and labels.shape[-1] == 1 and labels.ndim > 1:
            expected = expected.reshape(labels.shape[:-1] + (n,))  # Keras drops a last 1
        np.testing.assert_array_equal(out, expected)


@fz.FUZZ
@given(x=fz.arrays(max_dims=4), axis=st.sampled_from([-1, 0, 1, 5, -6, None, 1.5]),
       order=st.sampled_from([2, 1, 0, -1, np.inf, "fro", 3]))
def test_normalize(x, axis, order):
    out, error = fz.call(lambda: data.normalize(x, axis=axis, order=order),
                         "normalize", "axis", "order")
    if error is None and x.dtype.kind == "f" and x.ndim and order == 2 and axis == -1 \
            and np.isfinite(x).all() and np.abs(x).max(initial=0) < 1e30:
        norm = np.linalg.norm(x.astype(np.float64), axis=-1, keepdims=True)
        expected = x / np.where(norm == 0, 1, norm)
        np.testing.assert_allclose(out, expected, rtol=1e-5, atol=1e-30)


@fz.FUZZ
@given(x=fz.arrays(max_dims=3), y=st.one_of(st.none(), fz.arrays(max_dims=2)),
       test_size=st.sampled_from([0.25, 0.0, 1.0, 0.5, 2, -0.1, 3, "x", np.nan]))
def test_train_test_split(x, y, test_size):
    out, error = fz.call(lambda: data.train_test_split(x, y, test_size=test_size, seed=0),
                         "train_test_split", "test_size")
    if error is None and y is None:
        train, test = out
        assert len(train) + len(test) == len(x)


TRANSFORMS = st.lists(st.sampled_from([
    ("batch", 2), ("batch", 0), ("batch", -1), ("batch", 1.5), ("shuffle", 4), ("shuffle", 0),
    ("take", 2), ("take", -1), ("skip", 1), ("skip", "x"), ("repeat", 2), ("repeat", -2),
    ("map", lambda *v: v[0]), ("filter", lambda *v: True), ("unbatch", None),
    ("padded_batch", 2), ("enumerate", None), ("cache", None), ("prefetch", 1),
    ("apply", None)]), max_size=4)


def _apply(ds, op, arg):
    if op in ("unbatch", "enumerate", "cache"):
        return getattr(ds, op)()
    if op == "apply":
        return ds.apply(lambda d: d)
    return getattr(ds, op)(arg)


@fz.FUZZ
@given(x=fz.arrays(max_dims=3), y=st.one_of(st.none(), fz.arrays(max_dims=2)),
       transforms=TRANSFORMS)
def test_dataset_constructors_and_transforms(x, y, transforms):
    names = ("Dataset", "from_tensor_slices", "from_tensors") + tuple(
        op for op, _ in transforms)
    source = x if y is None else (x, y)
    ds, error = fz.call(lambda: data.Dataset.from_tensor_slices(source), *names)
    if error is not None:
        return
    if y is None and x.ndim:
        assert ds.cardinality() == len(x)
    for op, arg in transforms:
        ds, error = fz.call(lambda ds=ds, op=op, arg=arg: _apply(ds, op, arg), *names)
        if error is not None:
            return
    # Iterating a finite dataset (repeat(-1) is infinite: take a bounded prefix).
    fz.call(lambda: list(ds.take(20).as_numpy_iterator()), *names)
