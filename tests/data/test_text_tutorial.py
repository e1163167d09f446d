"""The TF "basic text classification" tutorial on IMDB text files, import changed only."""

import re
import shutil
import string

import numpy as np
import pytest

import myelin as tf
from myelin.keras import layers, losses

from .imdb_folders import write_acl_imdb


def run_tutorial(root, n_train, n_test, epochs):
    """The tutorial's program; returns (history, test accuracy of the export model)."""
    dataset_dir = write_acl_imdb(root, n_train, n_test)
    train_dir = dataset_dir + "/train"
    shutil.rmtree(train_dir + "/unsup")
    batch_size, seed = 32, 42
    raw_train_ds = tf.keras.utils.text_dataset_from_directory(
        train_dir, batch_size=batch_size, validation_split=0.2, subset="training", seed=seed)
    raw_val_ds = tf.keras.utils.text_dataset_from_directory(
        train_dir, batch_size=batch_size, validation_split=0.2, subset="validation",
        seed=seed)
    raw_test_ds = tf.keras.utils.text_dataset_from_directory(
        dataset_dir + "/test", batch_size=batch_size)

    def custom_standardization(input_data):
        lowercase = tf.strings.lower(input_data)
        stripped_html = tf.strings.regex_replace(lowercase, "<br />", " ")
        return tf.strings.regex_replace(stripped_html,
                                        "[%s]" % re.escape(string.punctuation), "")  # noqa: UP031

    max_features, sequence_length = 10000, 250
    vectorize_layer = layers.TextVectorization(
        standardize=custom_standardization, max_tokens=max_features,
        output_mode="int", output_sequence_length=sequence_length)
    train_text = raw_train_ds.map(lambda x, y: x)
    vectorize_layer.adapt(train_text)

    def vectorize_text(text, label):
        text = tf.expand_dims(text, -1)
        return vectorize_layer(text), label

    train_ds = raw_train_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)
    val_ds = raw_val_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)
    test_ds = raw_test_ds.map(vectorize_text).cache().prefetch(buffer_size=tf.data.AUTOTUNE)

    tf.keras.utils.set_random_seed(0)
    model = tf.keras.Sequential([
        layers.Embedding(max_features, 16),
        layers.Dropout(0.2),
        layers.GlobalAveragePooling1D(),
        layers.Dropout(0.2),
        layers.Dense(1)])
    model.compile(loss=losses.BinaryCrossentropy(from_logits=True), optimizer="adam",
                  metrics=[tf.metrics.BinaryAccuracy(threshold=0.0)])
    history = model.fit(train_ds, validation_data=val_ds, epochs=epochs, verbose=0)
    _, accuracy = model.evaluate(test_ds, verbose=0)

    export_model = tf.keras.Sequential([vectorize_layer, model, layers.Activation("sigmoid")])
    export_model.compile(loss=losses.BinaryCrossentropy(from_logits=False), optimizer="adam",
                         metrics=["accuracy"])
    _, export_accuracy = export_model.evaluate(raw_test_ds, verbose=0)
    assert export_accuracy == pytest.approx(accuracy, abs=1e-6)  # same model, raw strings in
    return vectorize_layer, export_model, history, export_accuracy


@pytest.mark.dataset("imdb/imdb.npz", "imdb/imdb_word_index.json")
def test_text_tutorial_on_a_subset(tmp_path):
    layer, export_model, history, accuracy = run_tutorial(tmp_path, 2000, 1000, epochs=15)
    vocab = layer.get_vocabulary()
    assert vocab[:2] == ["", "[UNK]"] and len(vocab) == 10000
    assert vocab[2:6] == ["the", "and", "a", "of"]  # IMDB's most frequent words
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert 0.72 <= accuracy <= 0.95
    probs = export_model.predict(np.array(["The movie was great! Wonderful, brilliant acting.",
                                           "Terrible. The worst movie, boring and awful."]),
                                 verbose=0)
    assert probs[0, 0] > 0.5 > probs[1, 0]


@pytest.mark.full_data
def test_text_tutorial_on_full_imdb(tmp_path):
    _, _, _, accuracy = run_tutorial(tmp_path, 25000, 25000, epochs=10)
    assert accuracy >= 0.85
