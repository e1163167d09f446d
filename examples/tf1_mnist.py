"""Seed 004's TensorFlow-1 program, as printed, with only its import line changed.

The listing builds the 784-300-100-10 ReLU network from ``tf.placeholder``s and
``tf.Variable``s under ``tf.name_scope``s, trains it with
``tf.train.GradientDescentOptimizer(0.01).minimize(loss)`` through
``sess.run(training_op, feed_dict=...)``, saves it with ``tf.train.Saver`` and restores
it in a new ``tf.Session``. Two lines its copy lost are back, as in the book it quotes:
``else: return Z`` in ``neuron_layer`` and ``init.run()``. Beyond the listing, the
program measures the test accuracy after restoring and after re-running the initializer
(an untrained network again: about 0.1).

Run: python examples/tf1_mnist.py [--epochs 40] [--limit 5000]
"""

import time

import numpy as np
from example_cli import parse_args

import myelin as tf  # the listing's `import tensorflow as tf`

input_dim = 28*28  # MNIST data is 28x28 pixels
hidden_1 = 300
hidden_2 = 100
output = 10 # there are 10 possible output -> 0,1,2,3,4,5,6,7,8,9


def main(argv=None):
    """Build, train, save and restore seed 004's graph; return its accuracies."""
    args = parse_args(argv, "tf1_mnist", __doc__, epochs=40)
    args.out.mkdir(parents=True, exist_ok=True)
    tf.reset_default_graph()  # main() may run more than once in a process (tests, demo)
    np.random.seed(args.seed)  # the listing shuffles with np.random

    # ---- the listing, from here on unchanged but for n_epochs, the --limit slice, the
    # ---- checkpoint folder and the results kept for the caller
    X = tf.placeholder(tf.float32, shape=(None, input_dim), name="X")
    y = tf.placeholder(tf.int32, shape=(None), name="y")

    def neuron_layer(X, n_neurons, name, activation=None):
        with tf.name_scope(name):
            # creating weight matrix W
            n_inputs = int(X.get_shape()[1])
            std = 2 / np.sqrt(n_inputs) # this helps to converge much faster
            init = tf.truncated_normal((n_inputs, n_neurons),
                                        stddev=std) # truncated avoids large weights
            W = tf.Variable(init, name="kernel")
            # bias set to 0
            b = tf.Variable(tf.zeros([n_neurons]), name="bias")
            # Z (the output) = X (0 or 1) * W (weight) + b (bias)
            Z = tf.matmul(X, W) + b

            # activation default on ReLU
            if activation is not None:
                return activation(Z)
            else:
                return Z

    with tf.name_scope("dnn"):
        hidden1 = neuron_layer(X, hidden_1, name="hidden1", activation=tf.nn.relu)
        hidden2 = neuron_layer(hidden1, hidden_2, name="hidden2", activation=tf.nn.relu)
        logits = neuron_layer(hidden2, output, name="outputs")

    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")

    with tf.name_scope("train"):
        optimizer = tf.train.GradientDescentOptimizer(0.01) # learning rate
        training_op = optimizer.minimize(loss)

    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))

    init = tf.global_variables_initializer()
    saver = tf.train.Saver()

    n_epochs = args.epochs # this is the number of steps it will take
    batch_size = 50

    # getting MNIST data and splitting train and test
    (X_train, y_train), (X_test, y_test) = tf.keras.datasets.mnist.load_data()
    X_train = X_train.astype(np.float32).reshape(-1, 28*28) / 255.0
    X_test = X_test.astype(np.float32).reshape(-1, 28*28) / 255.0
    y_train = y_train.astype(np.int32)
    y_test = y_test.astype(np.int32)

    X_valid, X_train = X_train[:10000], X_train[10000:]
    y_valid, y_train = y_train[:10000], y_train[10000:]
    X_train, y_train = X_train[:args.limit], y_train[:args.limit]

    # shuffling (common practice)
    def shuffle_batch(X, y, batch_size):
        rnd_idx = np.random.permutation(len(X))
        n_batches = len(X) // batch_size
        for batch_idx in np.array_split(rnd_idx, n_batches):
            X_batch, y_batch = X[batch_idx], y[batch_idx]
            yield X_batch, y_batch

    val_accuracies, epoch_seconds = [], []
    with tf.Session() as sess:
        init.run()
        for epoch in range(n_epochs):
            start = time.perf_counter()
            for X_batch, y_batch in shuffle_batch(X_train, y_train, batch_size):
                sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
            epoch_seconds.append(time.perf_counter() - start)
            acc_batch = accuracy.eval(feed_dict={X: X_batch, y: y_batch})
            acc_val = accuracy.eval(feed_dict={X: X_valid, y: y_valid})
            val_accuracies.append(float(acc_val))
            if not args.quiet:
                print(epoch, "Batch accuracy:", acc_batch, "Val accuracy:", acc_val)
        trained_accuracy = accuracy.eval(feed_dict={X: X_test, y: y_test})
        save_path = saver.save(sess, str(args.out / "my_model_final.ckpt"))

    # to look at the accuracy (saves accuracy into accuracy_val)
    with tf.Session() as sess:
        saver.restore(sess, save_path)
        accuracy_val = accuracy.eval(feed_dict={X: X_test, y: y_test})
        init.run()  # not in the listing: a fresh draw of every initial value
        untrained_accuracy = accuracy.eval(feed_dict={X: X_test, y: y_test})

    print(f"Test accuracy: {trained_accuracy:.4f}; restored from {save_path}: "
          f"{accuracy_val:.4f}; after re-running the initializer: {untrained_accuracy:.4f}")
    return {"test accuracy": float(trained_accuracy), "restored accuracy": float(accuracy_val),
            "reinitialized accuracy": float(untrained_accuracy), "val_accuracy": val_accuracies,
            "epoch_seconds": epoch_seconds, "checkpoint": save_path}


if __name__ == "__main__":
    main()
