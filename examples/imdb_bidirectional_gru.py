"""Movie reviews -> positive or negative with two stacked bidirectional GRUs over masked words.

The 10,000 most frequent words, reviews cut to their first 200 words and padded at the
end with 0, an Embedding(mask_zero=True) so padding is masked, a Bidirectional(GRU(16,
return_sequences=True)) feeding a second Bidirectional(GRU(16)), and a Dense(1,
sigmoid); Adam and binary cross-entropy, batches of 128, 2 epochs, the last 20% of the
training reviews for validation. Because padded steps are masked, one review padded to
10 or to 30 words gets the same prediction: the script checks it. Plot: loss and
accuracy per epoch.

Data: the full IMDB set (imdb.npz); --limit N trains on the first N reviews (and tests
on as many) for smoke tests.

Run: python examples/imdb_bidirectional_gru.py [--epochs 2] [--limit N]
"""

import numpy as np
from example_cli import parse_args, plot_or_skip

from myelin import keras, plot

layers = keras.layers
max_features, maxlen, batch_size = 10000, 200, 128


def build_model():
    """The stacked bidirectional GRU; the Input's free length takes any padding."""
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(max_features, 32, mask_zero=True),
        layers.Bidirectional(layers.GRU(16, return_sequences=True)),
        layers.Bidirectional(layers.GRU(16)),
        layers.Dense(1, activation="sigmoid"),
    ])


def padding_check(model, review):
    """Predictions for ``review`` (at most 10 words) post-padded to 10 and to 30 steps."""
    short = keras.preprocessing.sequence.pad_sequences([review], maxlen=10, padding="post")
    long = keras.preprocessing.sequence.pad_sequences([review], maxlen=30, padding="post")
    return float(model.predict(short, verbose=0)[0, 0]), float(model.predict(long, verbose=0)[0, 0])


def main(argv=None):
    """Train and evaluate; return the test accuracy, the padding check and the history."""
    args = parse_args(argv, "imdb_bidirectional_gru", __doc__, epochs=2)
    (x_train, y_train), (x_test, y_test) = keras.datasets.imdb.load_data(num_words=max_features)
    x_train, y_train = x_train[:args.limit], y_train[:args.limit]
    x_test, y_test = x_test[:args.limit], y_test[:args.limit]
    pad = keras.preprocessing.sequence.pad_sequences
    x_train = pad(x_train, maxlen=maxlen, padding="post", truncating="post")
    x_test_padded = pad(x_test, maxlen=maxlen, padding="post", truncating="post")
    print(f"{len(x_train):,} training and {len(x_test):,} test reviews, padded to {maxlen}")

    model = build_model()
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=batch_size,
                        validation_split=0.2, verbose=args.verbose)
    test_loss, test_acc = model.evaluate(x_test_padded, y_test, batch_size=batch_size,
                                         verbose=0)
    print(f"Test accuracy: {test_acc:.4f} (test loss {test_loss:.4f})")

    review = list(np.asarray(x_test[0])[:8])  # the first 8 words of the first test review
    p10, p30 = padding_check(model, review)
    print(f"One review padded to 10 steps: {p10:.6f}; to 30 steps: {p30:.6f}")

    plot_or_skip(plot.history, history, path=args.out / "history.png")
    return {"test accuracy": test_acc, "test loss": test_loss, "padded to 10": p10,
            "padded to 30": p30, "history": history.history}


if __name__ == "__main__":
    main()
