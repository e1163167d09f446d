"""A 300-100-10 ReLU network classifies MNIST digits (seed 004, with the Keras API).

The tutorial's deep network (two hidden ReLU layers of 300 and 100 units, 10 output
logits, softmax cross-entropy, gradient descent with learning rate 0.01, batches of 50,
40 epochs, the first 10,000 training images held out for validation), written with
``Sequential``/``compile``/``fit`` instead of TF 1 sessions. Prints the test accuracy.
Plots: accuracy and loss per epoch, and a grid of test digits with the predictions.

Run: python examples/mnist_dnn.py [--epochs 40] [--limit 5000] [--out output/mnist_dnn]
"""

import numpy as np
from example_cli import fit_callbacks, parse_args, plot_or_skip

import myelin as tf
from myelin import plot

input_dim = 28 * 28  # MNIST data is 28x28 pixels
hidden_1 = 300
hidden_2 = 100
output = 10  # there are 10 possible outputs -> 0,1,2,3,4,5,6,7,8,9


def load_mnist(limit=None):
    """The tutorial's split: pixels in [0, 1], 50,000 train / 10,000 validation / test.

    Args:
        limit: Keep only the first ``limit`` training images (validation and test stay).

    Returns:
        ``(X_train, y_train), (X_valid, y_valid), (X_test, y_test)``.
    """
    (X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data()
    X_train = X_train.astype(np.float32).reshape(-1, 28 * 28) / 255.0
    X_test = X_test.astype(np.float32).reshape(-1, 28 * 28) / 255.0
    y_train = y_train.astype(np.int32)
    y_test = y_test.astype(np.int32)
    X_valid, X_train = X_train[:10000], X_train[10000:]
    y_valid, y_train = y_train[:10000], y_train[10000:]
    return (X_train[:limit], y_train[:limit]), (X_valid, y_valid), (X_test, y_test)


def main(argv=None):
    """Train and evaluate; return the test accuracy and the per-epoch history."""
    args = parse_args(argv, "mnist_dnn", __doc__, epochs=40)
    (X_train, y_train), (X_valid, y_valid), (X_test, y_test) = load_mnist(args.limit)

    model = tf.keras.Sequential([
        tf.keras.Input(shape=(input_dim,)),
        tf.keras.layers.Dense(hidden_1, activation=tf.nn.relu, name="hidden1"),
        tf.keras.layers.Dense(hidden_2, activation=tf.nn.relu, name="hidden2"),
        tf.keras.layers.Dense(output, name="outputs"),  # logits
    ])
    model.compile(
        loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        optimizer=tf.keras.optimizers.SGD(learning_rate=0.01),
        metrics=["accuracy"],
    )
    model.summary()
    history = model.fit(X_train, y_train, epochs=args.epochs, batch_size=50,
                        validation_data=(X_valid, y_valid), verbose=args.verbose,
                        callbacks=fit_callbacks(args))
    test_loss, test_accuracy = model.evaluate(X_test, y_test, verbose=0)
    print(f"\nTrained on {len(X_train):,} images for {args.epochs} epochs.")
    print(f"Validation accuracy: {history.history['val_accuracy'][-1]:.4f}")
    print(f"Test accuracy: {test_accuracy:.4f} (test loss {test_loss:.4f})")

    logits = model.predict(X_test[:25], verbose=0)
    plot_or_skip(plot.history, history, path=args.out / "history.png")
    plot_or_skip(plot.images, X_test[:25], y_test[:25], logits, path=args.out / "digits.png")
    return {"test accuracy": test_accuracy, "test loss": test_loss,
            "history": history.history}


if __name__ == "__main__":
    main()
