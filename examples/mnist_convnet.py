"""Keras's "Simple MNIST convnet": two convolution + max-pooling blocks classify digits.

The program of keras.io/examples/vision/mnist_convnet with only the import changed:
Conv2D(32, 3x3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2)
-> Flatten -> Dropout(0.5) -> Dense(10, softmax); categorical cross-entropy, Adam,
batch 128, 10% of the training images held out for validation. Keras runs 15 epochs;
3 already give about 0.985 test accuracy (the default here). Prints the test accuracy.
Plots: accuracy and loss per epoch, the 32 learned first-layer filters, and the feature
maps of one test digit after each convolution and pooling.

Run: python examples/mnist_convnet.py [--epochs 3] [--limit 6000] [--out output/mnist_convnet]
"""

import numpy as np
from example_cli import parse_args, plot_or_skip

from myelin import keras, plot

num_classes = 10
input_shape = (28, 28, 1)


def load_mnist(limit=None):
    """The example's preparation: pixels in [0, 1], a channel axis, one-hot labels.

    Args:
        limit: Keep only the first ``limit`` training images (the test set stays whole).

    Returns:
        ``(x_train, y_train), (x_test, y_test)``.
    """
    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    # Scale images to the [0, 1] range
    x_train = x_train.astype("float32") / 255
    x_test = x_test.astype("float32") / 255
    # Make sure images have shape (28, 28, 1)
    x_train = np.expand_dims(x_train, -1)
    x_test = np.expand_dims(x_test, -1)
    # convert class vectors to binary class matrices
    y_train = keras.utils.to_categorical(y_train, num_classes)
    y_test = keras.utils.to_categorical(y_test, num_classes)
    return (x_train[:limit], y_train[:limit]), (x_test, y_test)


def build_model():
    """The example's network (34,826 parameters, as Keras's summary prints)."""
    return keras.Sequential([
        keras.Input(shape=input_shape),
        keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
        keras.layers.MaxPooling2D(pool_size=(2, 2)),
        keras.layers.Flatten(),
        keras.layers.Dropout(0.5),
        keras.layers.Dense(num_classes, activation="softmax"),
    ])


def main(argv=None):
    """Train and evaluate; return the test accuracy and the per-epoch history."""
    args = parse_args(argv, "mnist_convnet", __doc__, epochs=3)
    (x_train, y_train), (x_test, y_test) = load_mnist(args.limit)
    print("x_train shape:", x_train.shape)
    print(x_train.shape[0], "train samples")
    print(x_test.shape[0], "test samples")

    model = build_model()
    model.summary()
    batch_size = 128
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    history = model.fit(x_train, y_train, batch_size=batch_size, epochs=args.epochs,
                        validation_split=0.1, verbose=args.verbose)
    score = model.evaluate(x_test, y_test, verbose=0)
    print("Test loss:", score[0])
    print("Test accuracy:", score[1])

    plot_or_skip(plot.history, history, path=args.out / "history.png")
    plot_or_skip(plot.filters, model.layers[0], path=args.out / "filters.png")
    plot_or_skip(plot.feature_maps, model, x_test[0], path=args.out / "feature_maps.png")
    return {"test accuracy": score[1], "test loss": score[0], "history": history.history}


if __name__ == "__main__":
    main()
