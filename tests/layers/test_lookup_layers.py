"""StringLookup, IntegerLookup, CategoryEncoding and Hashing against Keras 3's outputs."""

import numpy as np
import pytest

import myelin as tf
from myelin import layers
from myelin.layers.preprocessing.hashing_fn import fingerprint64, hash_bucket, siphash24


def test_string_lookup_int_mask_invert_and_adapt():
    vocab = ["a", "b", "c", "d"]
    data = np.array([["a", "c", "d"], ["d", "z", "b"]])
    np.testing.assert_array_equal(layers.StringLookup(vocabulary=vocab)(data).numpy(),
                                  [[1, 3, 4], [4, 0, 2]])
    masked = layers.StringLookup(vocabulary=vocab, mask_token="")
    assert masked.get_vocabulary() == ["", "[UNK]", "a", "b", "c", "d"]
    np.testing.assert_array_equal(masked(np.array(["a", "", "z"])).numpy(), [2, 0, 1])
    inverse = layers.StringLookup(vocabulary=vocab, invert=True)
    np.testing.assert_array_equal(inverse(np.array([[1, 3, 4], [4, 0, 2]])).numpy(),
                                  [["a", "c", "d"], ["d", "[UNK]", "b"]])
    adapted = layers.StringLookup()
    adapted.adapt(np.array([["x", "y"], ["y", "z"], ["y", "x"]]))
    assert adapted.get_vocabulary() == ["[UNK]", "y", "x", "z"]
    tfidf = layers.StringLookup(output_mode="tf_idf")
    tfidf.adapt(np.array(["x", "y", "x"]))  # a 1-D array: three documents of one token
    idf = np.log(1 + 3 / (1 + np.array([2.0, 1.0])))
    np.testing.assert_allclose(tfidf(np.array([["x", "q"]])).numpy(),
                               [[idf.mean(), idf[0], 0]], rtol=1e-6)


def test_string_lookup_vector_modes():
    vocab = ["a", "b", "c", "d"]
    data = np.array([["a", "c", "d", "d"], ["d", "z", "b", "z"]])
    multi = layers.StringLookup(vocabulary=vocab, output_mode="multi_hot")(data).numpy()
    np.testing.assert_array_equal(multi, [[0, 1, 0, 1, 1], [1, 0, 1, 0, 1]])
    count = layers.StringLookup(vocabulary=vocab, output_mode="count")(data).numpy()
    np.testing.assert_array_equal(count, [[0, 1, 0, 1, 2], [2, 0, 1, 0, 1]])
    one_hot = layers.StringLookup(vocabulary=vocab, output_mode="one_hot")
    np.testing.assert_array_equal(one_hot(np.array(["a", "z"])).numpy(),
                                  [[0, 1, 0, 0, 0], [1, 0, 0, 0, 0]])
    idf = [0.25, 0.75, 0.6, 0.4]
    tfidf = layers.StringLookup(vocabulary=vocab, idf_weights=idf, output_mode="tf_idf")
    # the OOV weight is the mean of the given weights (Keras)
    np.testing.assert_allclose(tfidf(data).numpy(),
                               [[0, 0.25, 0, 0.6, 0.8], [1.0, 0, 0.75, 0, 0.4]], rtol=1e-6)


def test_num_oov_indices_zero_and_several():
    with pytest.raises(ValueError, match=r"out-of-vocabulary values \['z'\]"):
        layers.StringLookup(vocabulary=["a"], num_oov_indices=0)(np.array(["a", "z"]))
    two = layers.StringLookup(vocabulary=["a"], num_oov_indices=2)
    assert two.get_vocabulary() == ["[UNK]", "[UNK]", "a"]
    out = two(np.array(["a", "A", "B"])).numpy()
    # OOV strings hash into the two OOV slots as tf.strings.to_hash_bucket_fast does
    np.testing.assert_array_equal(out, [2] + hash_bucket(["A", "B"], 2))


def test_integer_lookup():
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138, 42])
    np.testing.assert_array_equal(layer(np.array([[12, 1138, 42], [42, 1000, 36]])).numpy(),
                                  [[1, 3, 4], [4, 0, 2]])
    assert layer.get_vocabulary() == [-1, 12, 36, 1138, 42]
    adapted = layers.IntegerLookup()
    adapted.adapt(np.array([[12, 1138, 42], [42, 1000, 36]]))
    assert adapted.get_vocabulary() == [-1, 42, 1138, 1000, 36, 12]
    several = layers.IntegerLookup(vocabulary=[12], num_oov_indices=3)
    np.testing.assert_array_equal(several(np.array([12, 7, 8, -4])).numpy(), [3, 1, 2, 2])
    inverse = layers.IntegerLookup(vocabulary=[12, 36], invert=True)
    np.testing.assert_array_equal(inverse(np.array([1, 0, 2])).numpy(), [12, -1, 36])
    with pytest.raises(TypeError, match="expects integer inputs"):
        layer(np.array(["12"]))


def test_category_encoding():
    one_hot = layers.CategoryEncoding(num_tokens=4, output_mode="one_hot")
    np.testing.assert_array_equal(one_hot([3, 2, 0, 1]).numpy(), np.eye(4)[[3, 2, 0, 1]])
    multi = layers.CategoryEncoding(num_tokens=4, output_mode="multi_hot")
    np.testing.assert_array_equal(multi([[0, 1], [0, 0], [1, 2], [3, 1]]).numpy(),
                                  [[1, 1, 0, 0], [1, 0, 0, 0], [0, 1, 1, 0], [0, 1, 0, 1]])
    np.testing.assert_array_equal(multi([3, 2, 0, 1]).numpy(), [1, 1, 1, 1])
    count = layers.CategoryEncoding(num_tokens=4, output_mode="count")
    weights = np.array([[0.1, 0.2], [0.1, 0.1], [0.2, 0.3], [0.4, 0.2]])
    np.testing.assert_allclose(
        count([[0, 1], [0, 0], [1, 2], [3, 1]], count_weights=weights).numpy(),
        [[0.1, 0.2, 0, 0], [0.2, 0, 0, 0], [0, 0.2, 0.3, 0], [0, 0.2, 0, 0.4]], rtol=1e-6)
    assert count.compute_output_shape((None, 2)) == (None, 4)
    with pytest.raises(ValueError, match="id 4 but num_tokens is 4"):
        multi([[4]])
    with pytest.raises(ValueError, match="negative id -1"):
        multi([[-1]])
    with pytest.raises(TypeError, match="expects integer ids"):
        multi(np.array(["a"]))
    with pytest.raises(ValueError, match="num_tokens must be"):
        layers.CategoryEncoding()
    with pytest.raises(ValueError, match="unknown output_mode"):
        layers.CategoryEncoding(3, output_mode="int")


def test_hashes_match_tensorflow():
    # reference values of tf.strings.to_hash_bucket_fast's FarmHash Fingerprint64
    assert fingerprint64(b"") == 0x9AE16A3B2F90404F
    assert fingerprint64(b"a") == 12917804110809363939
    assert fingerprint64(b"hello world") == 6381520714923946011
    assert fingerprint64(b"y" * 100) == 17121492607157028355
    # SipHash-2-4 reference vectors (key 00..0f): empty and 15-byte messages
    key = (int.from_bytes(bytes(range(8)), "little"),
           int.from_bytes(bytes(range(8, 16)), "little"))
    assert siphash24(b"", key) == 0x726FDB47DD0E0E31
    assert siphash24(bytes(range(15)), key) == 0xA129CA6149BE45E5


def test_hashing_layer_matches_keras_examples():
    data = np.array([["A"], ["B"], ["C"], ["D"], ["E"]])
    np.testing.assert_array_equal(layers.Hashing(num_bins=3)(data).numpy()[:, 0],
                                  [1, 0, 1, 1, 2])
    np.testing.assert_array_equal(layers.Hashing(num_bins=3, salt=133)(data).numpy()[:, 0],
                                  [0, 0, 2, 1, 0])
    masked = layers.Hashing(num_bins=3, mask_value="")
    out = masked(np.array([["A"], ["B"], [""], ["C"], ["D"]])).numpy()[:, 0]
    np.testing.assert_array_equal(out, [1 + b for b in hash_bucket(["A", "B"], 2)] + [0] +
                                  [1 + b for b in hash_bucket(["C", "D"], 2)])
    ints = layers.Hashing(num_bins=5)(np.array([[7], [42]])).numpy()[:, 0]
    np.testing.assert_array_equal(ints, hash_bucket(["7", "42"], 5))  # as decimal strings
    hot = layers.Hashing(num_bins=3, output_mode="one_hot")(data).numpy()
    np.testing.assert_array_equal(hot, np.eye(3)[[1, 0, 1, 1, 2]])
    with pytest.raises(TypeError, match="strings or integers"):
        layers.Hashing(num_bins=3)(np.array([1.5]))
    with pytest.raises(ValueError, match="num_bins must be"):
        layers.Hashing(num_bins=0)
    with pytest.raises(ValueError, match="salt must be"):
        layers.Hashing(num_bins=2, salt="x")


def test_lookup_layers_round_trip_in_a_model(tmp_path):
    lookup = layers.StringLookup(output_mode="multi_hot")
    lookup.adapt(np.array([["red"], ["green"], ["red"], ["blue"]]))
    model = tf.keras.Sequential([lookup, layers.Dense(2)])
    x = np.array([["red"], ["blue"], ["pink"]])
    before = model.predict(x, verbose=0)
    model.save(tmp_path / "m.myelin")
    loaded = tf.keras.models.load_model(tmp_path / "m.myelin")
    np.testing.assert_array_equal(loaded.predict(x, verbose=0), before)
    assert loaded.layers[0].get_vocabulary() == ["[UNK]", "red", "green", "blue"]
    hashing = tf.keras.Sequential([layers.Hashing(8, salt=[1, 2], output_mode="count"),
                                   layers.Dense(1)])
    before = hashing.predict(x, verbose=0)
    hashing.save(tmp_path / "h.myelin")
    again = tf.keras.models.load_model(tmp_path / "h.myelin")
    np.testing.assert_array_equal(again.predict(x, verbose=0), before)


@pytest.mark.parametrize("kwargs, match", [
    ({"output_mode": "dense"}, "unknown output_mode"),
    ({"num_oov_indices": -1}, "num_oov_indices"),
    ({"invert": True, "output_mode": "count"}, "invert=True needs"),
    ({"idf_weights": [1.0], "vocabulary": ["a"]}, "only used with output_mode='tf_idf'"),
    ({"vocabulary": ["a"], "idf_weights": [1.0, 2.0], "output_mode": "tf_idf"},
     "one weight per"),
    ({"vocabulary": ["a", "b", "c"], "max_tokens": 3}, "more than max_tokens"),
    ({"encoding": "latin-1"}, "utf-8"),
])
def test_string_lookup_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.StringLookup(**kwargs)
