"""TextVectorization against hand-computed Keras 3 outputs, in models and Dataset.map."""

import numpy as np
import pytest

import myelin as tf
from myelin import layers
from myelin.layers.preprocessing.text_ops import ngrams, split_text, standardize_text


def test_adapt_orders_by_count_then_token_descending():
    layer = layers.TextVectorization()
    layer.adapt(np.array(["b a c", "a b", "a d"]))
    # a:3, b:2, then c and d tie at 1: Keras's lexsort puts the larger token first
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "d", "c"]
    assert layer.vocabulary_size() == 6
    assert layer.get_vocabulary(include_special_tokens=False) == ["a", "b", "d", "c"]


def test_int_output_pads_and_truncates_and_maps_oov_to_one():
    layer = layers.TextVectorization(max_tokens=4, output_sequence_length=3)
    layer.adapt(["x x x y y z"])  # max_tokens keeps "", "[UNK]", x, y
    assert layer.get_vocabulary() == ["", "[UNK]", "x", "y"]
    out = layer(np.array(["X y, z!", "y", "z x y x"])).numpy()
    np.testing.assert_array_equal(out, [[2, 3, 1], [3, 0, 0], [1, 2, 3]])
    assert out.dtype == np.int64
    ragged = layers.TextVectorization(vocabulary=["x", "y"])(np.array([["x"], ["y x y"]]))
    np.testing.assert_array_equal(ragged.numpy(), [[2, 0, 0], [3, 2, 3]])


def test_standardize_split_and_ngram_rules():
    # TF lowers ASCII only and strips ASCII punctuation only
    assert standardize_text(["ÀB, c'd-É!"], "lower_and_strip_punctuation") == ["Àb cdÉ"]
    assert standardize_text(["A.b"], "lower") == ["a.b"]
    assert standardize_text(["A.b"], "strip_punctuation") == ["Ab"]
    assert split_text([" a\tb\n\nc ", "xy"], "whitespace") == [["a", "b", "c"], ["xy"]]
    assert split_text(["xy"], "character") == [["x", "y"]]
    assert ngrams(["a", "b", "c"], (1, 2, 3)) == ["a", "b", "c", "a b", "b c", "a b c"]
    layer = layers.TextVectorization(ngrams=2, standardize=None, split="whitespace")
    layer.adapt(["a b a b"])
    # a:2, b:2, "a b":2, "b a":1 -> ties broken by token, descending
    assert layer.get_vocabulary() == ["", "[UNK]", "b", "a b", "a", "b a"]


def test_callable_standardize_and_split():
    layer = layers.TextVectorization(standardize=lambda x: np.char.upper(x),
                                     split=lambda s: s.split("-"))
    layer.adapt(["a-b-a"])
    assert layer.get_vocabulary() == ["", "[UNK]", "A", "B"]
    np.testing.assert_array_equal(layer(["b-a-c"]).numpy(), [[3, 2, 1]])


def test_multi_hot_count_and_tf_idf_outputs():
    docs = np.array(["a b a", "a c"])
    multi = layers.TextVectorization(output_mode="multi_hot")
    multi.adapt(docs)
    assert multi.get_vocabulary() == ["[UNK]", "a", "c", "b"]  # no "" outside int mode
    np.testing.assert_array_equal(multi(["a a z b"]).numpy(), [[1, 1, 0, 1]])
    count = layers.TextVectorization(output_mode="count", vocabulary=["a", "c", "b"])
    np.testing.assert_array_equal(count(["a a z b"]).numpy(), [[1, 2, 0, 1]])
    tfidf = layers.TextVectorization(output_mode="tf_idf")
    tfidf.adapt(docs)
    # idf = log(1 + N / (1 + df)): a in 2 docs, c and b in 1; OOV gets their mean
    idf = np.log(1 + 2 / (1 + np.array([2.0, 1.0, 1.0])))
    expected = np.array([idf.mean(), 2 * idf[0], 0, idf[2]])
    np.testing.assert_allclose(tfidf(["a a z b"]).numpy()[0], expected, rtol=1e-6)
    padded = layers.TextVectorization(max_tokens=6, output_mode="multi_hot",
                                      pad_to_max_tokens=True, vocabulary=["a"])
    assert padded(["a"]).numpy().shape == (1, 6)


def test_model_predicts_on_raw_strings_and_round_trips(tmp_path):
    layer = layers.TextVectorization(max_tokens=20, output_sequence_length=5)
    layer.adapt(["good great fine", "bad awful poor", "good movie", "bad movie"])
    tf.keras.utils.set_random_seed(1)
    model = tf.keras.Sequential([layer, layers.Embedding(20, 4),
                                 layers.GlobalAveragePooling1D(), layers.Dense(1)])
    texts = np.array(["great movie", "awful, poor movie!"])
    before = model.predict(texts, verbose=0)
    model.save(tmp_path / "m.myelin")
    loaded = tf.keras.models.load_model(tmp_path / "m.myelin")
    np.testing.assert_array_equal(loaded.predict(texts, verbose=0), before)
    assert loaded.layers[0].get_vocabulary() == layer.get_vocabulary()
    with pytest.raises(ValueError, match="Cannot adapt"):
        layers.TextVectorization(vocabulary=["a"]).adapt(["a"])


def test_training_on_strings_learns_the_sign_of_words():
    rng = np.random.RandomState(0)
    words = np.array(["good", "great", "bad", "awful", "the", "a"])
    texts, labels = [], []
    for _ in range(400):
        picks = rng.choice(6, 4)
        texts.append(" ".join(words[picks]))
        labels.append(float(np.sum(picks < 2) > np.sum((picks >= 2) & (picks < 4))))
    layer = layers.TextVectorization(output_mode="count")
    layer.adapt(texts)
    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([layer, layers.Dense(1, activation="sigmoid")])
    model.compile(tf.keras.optimizers.Adam(0.05), "binary_crossentropy",
                  metrics=["accuracy"])
    history = model.fit(np.array(texts), np.array(labels), epochs=30, verbose=0)
    assert history.history["accuracy"][-1] > 0.95  # the label is linear in the counts


def test_in_dataset_map_with_tf_expand_dims():
    layer = layers.TextVectorization(vocabulary=["a", "b"], output_sequence_length=2)
    ds = tf.data.Dataset.from_tensor_slices((np.array(["a b", "b", "c a"]), np.arange(3)))
    ds = ds.batch(2).map(lambda x, y: (layer(tf.expand_dims(x, -1)), y))
    batches = list(ds.as_numpy_iterator())
    np.testing.assert_array_equal(batches[0][0], [[2, 3], [3, 0]])
    np.testing.assert_array_equal(batches[1][0], [[1, 2]])
    adapted = layers.TextVectorization()
    adapted.adapt(tf.data.Dataset.from_tensor_slices(np.array(["b b", "a"])).batch(1))
    assert adapted.get_vocabulary() == ["", "[UNK]", "b", "a"]


@pytest.mark.parametrize("kwargs, match", [
    ({"standardize": "upper"}, "standardize must be one of"),
    ({"split": "comma"}, "split must be one of"),
    ({"output_mode": "bag"}, "unknown output_mode"),
    ({"ngrams": 0}, "ngrams must be"),
    ({"output_mode": "count", "output_sequence_length": 3}, "must not be set"),
    ({"output_sequence_length": -1}, "positive integer"),
    ({"max_tokens": 1}, "max_tokens must be"),
    ({"pad_to_max_tokens": True}, "needs max_tokens"),
    ({"output_mode": "tf_idf", "vocabulary": ["a"]}, "idf_weights"),
    ({"vocabulary": ["a", "a"]}, "repeats"),
    ({"vocabulary": ["a", ""]}, "mask_token"),
    ({"sparse": True}, "not supported"),
])
def test_bad_arguments_are_named(kwargs, match):
    with pytest.raises(ValueError, match=match):
        layers.TextVectorization(**kwargs)


def test_non_string_inputs_and_shapes_are_refused():
    layer = layers.TextVectorization(vocabulary=["a"])
    with pytest.raises(TypeError, match="expects string inputs.*float"):
        layer(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match="last axis of 1"):
        layer(np.array([["a", "b"]]))
    with pytest.raises(TypeError, match="expects string inputs"):
        layers.TextVectorization().adapt(np.arange(3))
    with pytest.raises(ValueError, match="yields tuples"):
        layers.TextVectorization().adapt(
            tf.data.Dataset.from_tensor_slices((np.array(["a"]), np.zeros(1))).batch(1))


def test_unregistered_standardize_cannot_be_saved(tmp_path):
    model = tf.keras.Sequential([layers.TextVectorization(standardize=lambda x: x,
                                                          vocabulary=["a"])])
    with pytest.raises(ValueError, match="register_serializable"):
        model.save(tmp_path / "m.myelin")


def test_string_input_layer_and_failed_adapt_keeps_the_vocabulary(tmp_path):
    layer = layers.TextVectorization(output_sequence_length=3)
    layer.adapt(["a b", "b"])
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,), dtype="string"), layer,
                                 layers.Embedding(4, 2), layers.GlobalAveragePooling1D()])
    assert model.layers[0].input_shape == (None, 1)
    texts = np.array([["a b"], ["b z"]])
    before = model.predict(texts, verbose=0)
    model.save(tmp_path / "m.myelin")
    np.testing.assert_array_equal(
        tf.keras.models.load_model(tmp_path / "m.myelin").predict(texts, verbose=0), before)
    with pytest.raises(TypeError, match="expects string inputs"):
        layer.adapt(iter([np.array(["c c c"]), np.array([1, 2])]))  # the 2nd batch is bad
    assert layer.get_vocabulary() == ["", "[UNK]", "b", "a"]
    with pytest.raises(TypeError, match="takes string inputs.*float64"):
        model.predict(np.array([[1.0], [2.0]]), verbose=0)
