"""Movie reviews -> positive or negative with an LSTM (the classic first LSTM program).

The 10,000 most frequent words, reviews cut or padded (at the front, Keras's default) to
200 words, an Embedding of 32 numbers per word, an LSTM(32) that reads the review word
by word, and a Dense(1, sigmoid); RMSprop and binary cross-entropy, batches of 128,
3 epochs, the last 20% of the training reviews held out for validation. Keras 3.15 on
this machine: 0.842 test accuracy. Plot: loss and accuracy per epoch.

Data: the full IMDB set (imdb.npz); --limit N trains on the first N reviews (and tests
on as many) for smoke tests.

Run: python examples/imdb_lstm.py [--epochs 3] [--limit N]
"""

from example_cli import parse_args, plot_or_skip
from myelin.keras.layers import LSTM, Dense, Embedding
from myelin.keras.models import Sequential
from myelin.keras.preprocessing import sequence

from myelin import plot
from myelin.keras.datasets import imdb

max_features = 10000  # number of words to consider as features
maxlen = 200  # cut texts after this number of words (among top max_features most common)
batch_size = 128


def main(argv=None):
    """Train and evaluate; return the test accuracy and the per-epoch history."""
    args = parse_args(argv, "imdb_lstm", __doc__, epochs=3)
    (x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=max_features)
    x_train, y_train = x_train[:args.limit], y_train[:args.limit]
    x_test, y_test = x_test[:args.limit], y_test[:args.limit]
    print(len(x_train), "train sequences")
    print(len(x_test), "test sequences")
    x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
    x_test = sequence.pad_sequences(x_test, maxlen=maxlen)
    print("x_train shape:", x_train.shape)

    model = Sequential()
    model.add(Embedding(max_features, 32))
    model.add(LSTM(32))
    model.add(Dense(1, activation="sigmoid"))
    model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["acc"])
    history = model.fit(x_train, y_train, epochs=args.epochs, batch_size=batch_size,
                        validation_split=0.2, verbose=args.verbose)
    test_loss, test_acc = model.evaluate(x_test, y_test, batch_size=batch_size, verbose=0)
    print(f"Test accuracy: {test_acc:.4f} (test loss {test_loss:.4f})")

    plot_or_skip(plot.history, history, path=args.out / "history.png")
    return {"test accuracy": test_acc, "test loss": test_loss, "history": history.history}


if __name__ == "__main__":
    main()
