"""pad_sequences, to_categorical, normalize, train_test_split and decode_review."""

from __future__ import annotations

import numpy as np
import pytest

from myelin import backend
from myelin.data.preprocessing import (
    decode_review,
    normalize,
    pad_sequences,
    to_categorical,
    train_test_split,
)

SEQS = [[1], [2, 3], [4, 5, 6]]


# --- pad_sequences (expected arrays are Keras 3's documented outputs) ----------------------


def test_pad_sequences_defaults_pad_and_truncate_at_the_front():
    out = pad_sequences(SEQS)
    assert out.dtype == np.int32
    np.testing.assert_array_equal(out, [[0, 0, 1], [0, 2, 3], [4, 5, 6]])
    np.testing.assert_array_equal(pad_sequences(SEQS, maxlen=2), [[0, 1], [2, 3], [5, 6]])


def test_pad_sequences_post_and_value():
    np.testing.assert_array_equal(
        pad_sequences(SEQS, padding="post"), [[1, 0, 0], [2, 3, 0], [4, 5, 6]]
    )
    np.testing.assert_array_equal(
        pad_sequences(SEQS, value=-1), [[-1, -1, 1], [-1, 2, 3], [4, 5, 6]]
    )
    np.testing.assert_array_equal(
        pad_sequences(SEQS, maxlen=2, truncating="post", padding="post"),
        [[1, 0], [2, 3], [4, 5]],
    )


def test_pad_sequences_imdb_tutorial_call():
    reviews = np.empty(2, dtype=object)
    reviews[:] = [list(range(1, 300)), [1, 14, 22]]
    out = pad_sequences(reviews, value=0, padding="post", maxlen=250)
    assert out.shape == (2, 250)
    np.testing.assert_array_equal(out[0], np.arange(50, 300))  # truncating="pre"
    np.testing.assert_array_equal(out[1, :4], [1, 14, 22, 0])


def test_pad_sequences_edge_cases():
    assert pad_sequences([[], [1, 2]]).tolist() == [[0, 0], [1, 2]]
    assert pad_sequences([]).shape == (0, 0)
    assert pad_sequences(SEQS, maxlen=0).shape == (3, 0)
    floats = pad_sequences([[0.5], [1.5, 2.5]], dtype="float32", value=np.nan)
    assert np.isnan(floats[0, 0]) and floats[1, 1] == np.float32(2.5)
    words = pad_sequences([["a"], ["b", "c"]], dtype=object, value="<pad>")
    assert words.tolist() == [["<pad>", "a"], ["b", "c"]]
    vectors = pad_sequences([[[1, 2]], [[3, 4], [5, 6]]])
    assert vectors.shape == (2, 2, 2) and vectors[0, 0].tolist() == [0, 0]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"padding": "middle"}, "padding must be 'pre' or 'post', received 'middle'"),
        ({"truncating": "both"}, "truncating must be 'pre' or 'post', received 'both'"),
        ({"maxlen": -1}, "maxlen must be a non-negative int, received -1"),
        ({"maxlen": 2.5}, "maxlen must be a non-negative int"),
        ({"value": "x"}, "cannot hold the string padding value"),
    ],
)
def test_pad_sequences_rejects_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=f"pad_sequences: .*{match}"):
        pad_sequences(SEQS, **kwargs)


def test_pad_sequences_rejects_non_sequences():
    with pytest.raises(ValueError, match="entry 1 is int 5"):
        pad_sequences([[1], 5])
    with pytest.raises(ValueError, match="must be a list of sequences, received int"):
        pad_sequences(7)
    with pytest.raises(ValueError, match=r"sequence 1 has elements of shape \(3,\)"):
        pad_sequences([[[1, 2]], [[1, 2, 3]]])


# --- to_categorical ---------------------------------------------------------------------------


def test_to_categorical_basic_and_num_classes():
    out = to_categorical([0, 1, 2, 3], num_classes=4)
    np.testing.assert_array_equal(out, np.eye(4))
    assert out.dtype == np.float32
    assert to_categorical([1, 0]).shape == (2, 2)
    assert to_categorical([1, 0], num_classes=5).shape == (2, 5)


def test_to_categorical_squeezes_a_trailing_unit_axis():
    assert to_categorical(np.array([[0], [2], [1]])).shape == (3, 3)
    assert to_categorical(np.array([[0, 1], [1, 0]])).shape == (2, 2, 2)
    assert to_categorical(2, num_classes=3).tolist() == [0, 0, 1]
    assert to_categorical(np.array([1.0, 0.0])).tolist() == [[0, 1], [1, 0]]


@pytest.mark.parametrize(
    ("labels", "num_classes", "match"),
    [
        ([0, 3], 3, r"labels must lie in \[0, 3\).*from 0 to 3"),
        ([-1, 1], None, "from -1 to 1"),
        ([0.5, 1.0], None, "expected integer class labels, received dtype float64"),
        ([], None, "cannot infer num_classes from empty labels"),
    ],
)
def test_to_categorical_errors(labels, num_classes, match):
    with pytest.raises(ValueError, match=f"to_categorical: .*{match}"):
        to_categorical(labels, num_classes)


# --- normalize ----------------------------------------------------------------------------


def test_normalize_rows_to_unit_l2_norm():
    x = np.array([[3.0, 4.0], [0.0, 0.0]], dtype=np.float32)
    out = normalize(x)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.6, 0.8], [0.0, 0.0]])  # a zero row stays zero
    np.testing.assert_allclose(normalize(x, axis=0), [[1.0, 1.0], [0.0, 0.0]])
    np.testing.assert_allclose(normalize(np.array([1, 3]), order=1), [0.25, 0.75])
    assert normalize([1, 2]).dtype == np.float32


# --- train_test_split ------------------------------------------------------------------------


def test_train_test_split_sizes_and_alignment():
    x = np.arange(20).reshape(10, 2)
    y = np.arange(10)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=0.25, seed=0)
    assert (len(x_train), len(x_test)) == (7, 3)  # the test share is rounded up
    np.testing.assert_array_equal(x_train[:, 0] // 2, y_train)
    assert sorted(np.concatenate([y_train, y_test]).tolist()) == list(range(10))
    again = train_test_split(x, y, test_size=0.25, seed=0)
    np.testing.assert_array_equal(again[3], y_test)


def test_train_test_split_without_shuffle_takes_the_tail():
    x_train, x_test = train_test_split(list(range(5)), test_size=2, shuffle=False)
    assert x_train == [0, 1, 2] and x_test == [3, 4]


def test_train_test_split_uses_the_library_generator():
    backend.set_seed(5)
    first = train_test_split(np.arange(50))[1]
    backend.set_seed(5)
    np.testing.assert_array_equal(train_test_split(np.arange(50))[1], first)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"y": [1, 2]}, "x has 4 samples but y has 2"),
        ({"test_size": 1.5}, "test_size must be a float in \\(0, 1\\) or an int, received 1.5"),
        ({"test_size": 4}, "leaves 4 of 4 samples for testing"),
        ({"test_size": True}, "received True"),
    ],
)
def test_train_test_split_errors(kwargs, match):
    with pytest.raises(ValueError, match=f"train_test_split: .*{match}"):
        train_test_split(np.zeros((4, 1)), **kwargs)


# --- decode_review --------------------------------------------------------------------------


def test_decode_review_with_a_word_index():
    word_index = {"the": 1, "film": 2, "was": 3}
    tokens = np.array([1, 4, 5, 2, 6, 99, 0, 3])
    assert decode_review(tokens, word_index) == "<START> the film <UNK> was ? <PAD> <UNUSED>"


def test_decode_review_loads_the_real_word_index(real_data):
    assert decode_review([1, 14, 22, 16, 43, 530]) == "<START> this film was just brilliant"
