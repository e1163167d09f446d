"""The same MNIST network built by hand from Variables, GradientTape and nn ops (seed 004).

The tutorial's TF 1 program in TF 2 style: ``neuron_layer`` creates a weight matrix drawn
from a truncated normal (stddev 2/sqrt(n_inputs)) and a zero bias; the loss is the mean
of ``tf.nn.sparse_softmax_cross_entropy_with_logits``; each batch of 50 takes one
gradient-descent step (learning rate 0.01) computed by ``tf.GradientTape``; accuracy is
the mean of ``tf.nn.in_top_k``. Prints the batch and validation accuracy per epoch like
the tutorial, then the test accuracy.

Run: python examples/mnist_low_level.py [--epochs 40] [--limit 5000]
"""

import time

import numpy as np
from example_cli import parse_args, plot_or_skip
from mnist_dnn import hidden_1, hidden_2, input_dim, load_mnist, output

import myelin as tf
from myelin import plot

learning_rate = 0.01
batch_size = 50


def neuron_layer(n_inputs, n_neurons, name):
    """A layer's variables: weights ``(n_inputs, n_neurons)`` and biases ``(n_neurons,)``."""
    std = 2 / np.sqrt(n_inputs)  # this helps to converge much faster
    init = tf.random.truncated_normal((n_inputs, n_neurons), stddev=std)
    W = tf.Variable(init, name=name + "/kernel")
    b = tf.Variable(tf.zeros([n_neurons]), name=name + "/bias")  # bias set to 0
    return W, b


def build_dnn():
    """Create the variables; return the forward function (input -> logits) and them."""
    W1, b1 = neuron_layer(input_dim, hidden_1, "hidden1")
    W2, b2 = neuron_layer(hidden_1, hidden_2, "hidden2")
    W3, b3 = neuron_layer(hidden_2, output, "outputs")

    def dnn(X):
        hidden1 = tf.nn.relu(tf.matmul(X, W1) + b1)
        hidden2 = tf.nn.relu(tf.matmul(hidden1, W2) + b2)
        return tf.matmul(hidden2, W3) + b3  # logits

    return dnn, [W1, b1, W2, b2, W3, b3]


def accuracy(dnn, X, y):
    correct = tf.nn.in_top_k(y, dnn(X), 1)
    return tf.reduce_mean(tf.cast(correct, tf.float32)).numpy()


def shuffle_batch(X, y, batch_size, rng):
    """Shuffle (common practice), then yield ``len(X) // batch_size`` batches."""
    rnd_idx = rng.permutation(len(X))
    n_batches = len(X) // batch_size
    for batch_idx in np.array_split(rnd_idx, n_batches):
        yield X[batch_idx], y[batch_idx]


def training_step(dnn, variables, X_batch, y_batch):
    """One gradient-descent step on a batch; returns the batch's mean loss."""
    with tf.GradientTape() as tape:
        logits = dnn(X_batch)
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_batch, logits=logits)
        loss = tf.reduce_mean(xentropy)
    gradients = tape.gradient(loss, variables)
    for variable, gradient in zip(variables, gradients, strict=True):
        variable.assign_sub(learning_rate * gradient)
    return float(loss)


def main(argv=None):
    """Train with the hand-written loop; return per-epoch losses and accuracies."""
    args = parse_args(argv, "mnist_low_level", __doc__, epochs=40)
    (X_train, y_train), (X_valid, y_valid), (X_test, y_test) = load_mnist(args.limit)
    dnn, variables = build_dnn()
    rng = np.random.default_rng(args.seed)

    logs = {"loss": [], "batch_accuracy": [], "val_accuracy": []}
    for epoch in range(args.epochs):
        start = time.perf_counter()
        losses = []
        for X_batch, y_batch in shuffle_batch(X_train, y_train, batch_size, rng):
            losses.append(training_step(dnn, variables, X_batch, y_batch))
        acc_batch = accuracy(dnn, X_batch, y_batch)  # the last batch, as in the tutorial
        acc_val = accuracy(dnn, X_valid, y_valid)
        logs["loss"].append(float(np.mean(losses)))
        logs["batch_accuracy"].append(float(acc_batch))
        logs["val_accuracy"].append(float(acc_val))
        if not args.quiet:
            print(epoch, "Batch accuracy:", acc_batch, "Val accuracy:", acc_val,
                  f"- mean loss {logs['loss'][-1]:.4f} ({time.perf_counter() - start:.1f}s)")
    test_accuracy = accuracy(dnn, X_test, y_test)
    print(f"Test accuracy: {test_accuracy:.4f}")

    plot_or_skip(plot.history, {"loss": logs["loss"], "accuracy": logs["batch_accuracy"],
                                "val_accuracy": logs["val_accuracy"]},
                 path=args.out / "history.png")
    return {"test accuracy": float(test_accuracy), **logs}


if __name__ == "__main__":
    main()
