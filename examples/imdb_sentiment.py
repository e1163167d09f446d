"""Movie reviews -> positive or negative (seed 000, "The Basics of Neural Networks").

Reviews are lists of word indices, padded to 250 words; an Embedding of 16 numbers per
word, averaged over the review (GlobalAveragePooling1D, as in the TensorFlow tutorial the
seed follows), a Dense(16, relu) and a Dense(1, sigmoid) are trained with Adam and binary
cross-entropy, 40 epochs of batches of 512, holding out the first 10,000 training reviews
for validation. Prints a decoded review and the test accuracy. Plot: loss and accuracy
per epoch; training accuracy keeps rising while validation accuracy levels off.

Data: the full set (imdb.npz, 10,000-word vocabulary) when it can be loaded, otherwise
(or with --subset) the real slice imdb_subset_500words.npz from $MYELIN_DATASETS (not
shipped with the package): 5,000 training and
1,000 test reviews over the 500 most frequent words, with 1,000 held out for validation.

Run: python examples/imdb_sentiment.py [--subset | --full] [--epochs 40] [--limit N]
"""

import numpy as np
from example_cli import fit_callbacks, parse_args, plot_or_skip

import myelin as tf
from myelin import keras, plot
from myelin.data.download import DatasetError


def _options(parser):
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--subset", action="store_true",
                       help="use the 500-word subset even when the full set is available")
    which.add_argument("--full", action="store_true",
                       help="use the full set (imdb.npz), failing when it is missing")


def load_reviews(subset, full):
    """The reviews, labels, vocabulary size and validation size for the chosen data."""
    imdb = keras.datasets.imdb
    if not subset:
        try:
            return (*imdb.load_data(num_words=10000), 10000, 10000)
        except DatasetError as error:
            if full:
                raise
            print(f"Full IMDB not available ({type(error).__name__}); using the 500-word "
                  "subset. Set MYELIN_DATASETS to a folder holding imdb/imdb.npz for the full "
                  "set.")
    return (*imdb.load_subset(), 500, 1000)


def main(argv=None):
    """Train and evaluate; return the test accuracy and the per-epoch history."""
    args = parse_args(argv, "imdb_sentiment", __doc__, epochs=40, add_arguments=_options)
    imdb = keras.datasets.imdb
    (train_data, train_labels), (test_data, test_labels), vocab_size, n_val = load_reviews(
        args.subset, args.full)
    print(f"{len(train_data):,} training and {len(test_data):,} test reviews, "
          f"{vocab_size:,}-word vocabulary")

    # A dictionary mapping words to an integer index, shifted by 3 for the special tokens.
    word_index = imdb.get_word_index()
    word_index = {k: (v + 3) for k, v in word_index.items()}
    word_index["<PAD>"] = 0
    word_index["<START>"] = 1
    word_index["<UNK>"] = 2  # unknown
    word_index["<UNUSED>"] = 3
    reverse_word_index = dict([(value, key) for (key, value) in word_index.items()])

    def decode_review(text):
        return " ".join([reverse_word_index.get(i, "?") for i in text])

    print("First review:", decode_review(train_data[0])[:300], "...")

    train_data = keras.preprocessing.sequence.pad_sequences(
        train_data, value=word_index["<PAD>"], padding="post", maxlen=250)
    test_data = keras.preprocessing.sequence.pad_sequences(
        test_data, value=word_index["<PAD>"], padding="post", maxlen=250)

    model = keras.Sequential()
    model.add(keras.layers.Embedding(vocab_size, 16))
    model.add(keras.layers.GlobalAveragePooling1D())
    model.add(keras.layers.Dense(16, activation=tf.nn.relu))
    model.add(keras.layers.Dense(1, activation=tf.nn.sigmoid))
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])

    x_val = train_data[:n_val]
    partial_x_train = train_data[n_val:][: args.limit]
    y_val = train_labels[:n_val]
    partial_y_train = train_labels[n_val:][: args.limit]

    history = model.fit(partial_x_train, partial_y_train, epochs=args.epochs, batch_size=512,
                        validation_data=(x_val, y_val), verbose=args.verbose,
                        callbacks=fit_callbacks(args))
    model.summary()
    test_loss, test_accuracy = model.evaluate(test_data, test_labels, verbose=0)
    h = history.history
    best = int(np.argmax(h["val_accuracy"]))
    print(f"\nTraining accuracy: epoch 1 {h['accuracy'][0]:.3f} -> epoch {args.epochs} "
          f"{h['accuracy'][-1]:.3f}; validation accuracy peaked at {h['val_accuracy'][best]:.3f} "
          f"(epoch {best + 1}), final {h['val_accuracy'][-1]:.3f}")
    print(f"Test accuracy: {test_accuracy:.4f} (test loss {test_loss:.4f})")

    plot_or_skip(plot.history, history, path=args.out / "history.png")
    return {"test accuracy": test_accuracy, "test loss": test_loss, "vocabulary": vocab_size,
            "history": h}


if __name__ == "__main__":
    main()
