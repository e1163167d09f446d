"""TensorFlow's "Convolutional Neural Network (CNN)" tutorial: CIFAR-10 in 10 epochs.

The program of tensorflow.org/tutorials/images/cnn with the import changed:
Conv2D(32, 3x3, relu) -> MaxPooling2D(2) -> Conv2D(64, 3x3, relu) -> MaxPooling2D(2)
-> Conv2D(64, 3x3, relu) -> Flatten -> Dense(64, relu) -> Dense(10) (logits);
sparse categorical cross-entropy from logits, Adam, 10 epochs, the test set as
validation data (122,570 parameters; the tutorial reaches about 0.70 test accuracy).
Plots: accuracy and loss per epoch, and 25 test images with their predicted classes.

CIFAR-10 is Keras's archive cifar-10-python.tar.gz (163 MB, checked by sha256): it is
read from $MYELIN_DATASETS/cifar10/, the cache (~/.myelin/datasets/cifar10/) or
downloaded; without it and without a network the script says where to put it.

Run: python examples/cifar10_cnn.py [--epochs 10] [--limit 5000] [--out output/cifar10_cnn]
"""

import numpy as np
from example_cli import parse_args, plot_or_skip

import myelin as tf
from myelin import plot
from myelin.data.download import DownloadError
from myelin.keras import datasets, layers, models

class_names = ["airplane", "automobile", "bird", "cat", "deer",
               "dog", "frog", "horse", "ship", "truck"]


def build_model():
    """The tutorial's convolutional base and dense head (logits out)."""
    model = models.Sequential()
    model.add(layers.Conv2D(32, (3, 3), activation="relu", input_shape=(32, 32, 3)))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.MaxPooling2D((2, 2)))
    model.add(layers.Conv2D(64, (3, 3), activation="relu"))
    model.add(layers.Flatten())
    model.add(layers.Dense(64, activation="relu"))
    model.add(layers.Dense(10))
    return model


def main(argv=None):
    """Train and evaluate; return the test accuracy and history (None without the data)."""
    args = parse_args(argv, "cifar10_cnn", __doc__, epochs=10)
    try:
        (train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
    except DownloadError as error:
        print(f"CIFAR-10 is not available here: {error}\nPut Keras's archive "
              f"cifar-10-python.tar.gz (from https://www.cs.toronto.edu/~kriz/) at "
              f"$MYELIN_DATASETS/cifar10/cifar-10-python.tar.gz and run this again.")
        return None
    # Normalize pixel values to be between 0 and 1 (float32: the tutorial's / 255.0 makes
    # float64 copies, 1.2 GB, of what the float32 model reads anyway).
    train_images = train_images[:args.limit].astype("float32") / 255.0
    train_labels = train_labels[:args.limit]
    test_images = test_images.astype("float32") / 255.0

    model = build_model()
    model.summary()
    model.compile(optimizer="adam",
                  loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    history = model.fit(train_images, train_labels, epochs=args.epochs,
                        validation_data=(test_images, test_labels), verbose=args.verbose)
    test_loss, test_acc = model.evaluate(test_images, test_labels, verbose=args.verbose)
    print("Test accuracy:", test_acc)

    names = np.array(class_names)
    predicted = model.predict(test_images[:25], verbose=0).argmax(axis=1)
    plot_or_skip(plot.history, history, path=args.out / "history.png")
    plot_or_skip(plot.images, test_images[:25], names[test_labels[:25, 0]],
                 names[predicted], path=args.out / "predictions.png")
    return {"test accuracy": test_acc, "test loss": test_loss, "history": history.history}


if __name__ == "__main__":
    main()
