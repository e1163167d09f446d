"""tf1-mnist: seed 004's TensorFlow-1 graph program, per epoch, in myelin and in TF 2.21.

The graph code below is the seed's listing (placeholders, ``neuron_layer`` under name
scopes, ``GradientDescentOptimizer(0.01).minimize``, ``sess.run(training_op, feed_dict)``
per batch of 50, then the listing's batch and validation accuracy per epoch); it runs
under ``import myelin as tf`` and under TensorFlow's ``tf.compat.v1`` with
``disable_v2_behavior()``. In myelin the same network written eagerly (GradientTape and
``assign_sub``, as examples/mnist_low_level.py) trains alongside, epochs alternating, so
the graph / eager ratio compares the two on the same machine state.

    python tf1_peer.py myelin [--epochs 5] [--json]
    benchmarks/.venv-tf/bin/python tf1_peer.py tensorflow [--epochs 5] [--json]
"""

import argparse
import time

import numpy as np

import common

N_INPUTS, HIDDEN_1, HIDDEN_2, OUTPUTS, BATCH = 784, 300, 100, 10, 50


def shuffle_batch(X, y, batch_size):
    rnd_idx = np.random.permutation(len(X))
    n_batches = len(X) // batch_size
    for batch_idx in np.array_split(rnd_idx, n_batches):
        yield X[batch_idx], y[batch_idx]


def graph_program(tf, data):
    """Build the seed's graph; return a function running one epoch in one session."""
    (X_train, y_train), (X_valid, y_valid) = data
    X = tf.placeholder(tf.float32, shape=(None, N_INPUTS), name="X")
    y = tf.placeholder(tf.int32, shape=(None), name="y")

    def neuron_layer(X, n_neurons, name, activation=None):
        with tf.name_scope(name):
            n_inputs = int(X.get_shape()[1])
            std = 2 / np.sqrt(n_inputs)
            init = tf.truncated_normal((n_inputs, n_neurons), stddev=std)
            W = tf.Variable(init, name="kernel")
            b = tf.Variable(tf.zeros([n_neurons]), name="bias")
            Z = tf.matmul(X, W) + b
            if activation is not None:
                return activation(Z)
            else:
                return Z

    with tf.name_scope("dnn"):
        hidden1 = neuron_layer(X, HIDDEN_1, name="hidden1", activation=tf.nn.relu)
        hidden2 = neuron_layer(hidden1, HIDDEN_2, name="hidden2", activation=tf.nn.relu)
        logits = neuron_layer(hidden2, OUTPUTS, name="outputs")
    with tf.name_scope("loss"):
        xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits)
        loss = tf.reduce_mean(xentropy, name="loss")
    with tf.name_scope("train"):
        training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
    with tf.name_scope("eval"):
        correct = tf.nn.in_top_k(logits, y, 1)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
    sess = tf.Session()
    sess.run(tf.global_variables_initializer())

    def epoch():
        for X_batch, y_batch in shuffle_batch(X_train, y_train, BATCH):
            sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        accuracy.eval(session=sess, feed_dict={X: X_batch, y: y_batch})
        return float(accuracy.eval(session=sess, feed_dict={X: X_valid, y: y_valid}))

    return epoch


def eager_program(tf, data):
    """The same network and loop written eagerly in myelin (mnist_low_level's way)."""
    (X_train, y_train), (X_valid, y_valid) = data
    variables = []
    for n_inputs, n_neurons in ((N_INPUTS, HIDDEN_1), (HIDDEN_1, HIDDEN_2), (HIDDEN_2, OUTPUTS)):
        init = tf.random.truncated_normal((n_inputs, n_neurons), stddev=2 / np.sqrt(n_inputs))
        variables += [tf.Variable(init), tf.Variable(tf.zeros([n_neurons]))]
    W1, b1, W2, b2, W3, b3 = variables

    def dnn(X):
        hidden1 = tf.nn.relu(tf.matmul(X, W1) + b1)
        hidden2 = tf.nn.relu(tf.matmul(hidden1, W2) + b2)
        return tf.matmul(hidden2, W3) + b3

    def accuracy(X, y):
        return float(tf.reduce_mean(tf.cast(tf.nn.in_top_k(y, dnn(X), 1), tf.float32)))

    def epoch():
        for X_batch, y_batch in shuffle_batch(X_train, y_train, BATCH):
            with tf.GradientTape() as tape:
                xentropy = tf.nn.sparse_softmax_cross_entropy_with_logits(
                    labels=y_batch, logits=dnn(X_batch))
                loss = tf.reduce_mean(xentropy)
            for variable, gradient in zip(variables, tape.gradient(loss, variables),
                                          strict=True):
                variable.assign_sub(0.01 * gradient)
        accuracy(X_batch, y_batch)
        return accuracy(X_valid, y_valid)

    return epoch


def timed(epoch, times):
    start = time.perf_counter()
    accuracy = epoch()
    times.append(time.perf_counter() - start)
    return accuracy


def main():
    parser = argparse.ArgumentParser(description="seed 004's TF-1 program, timed per epoch")
    parser.add_argument("framework", choices=["myelin", "tensorflow"])
    parser.add_argument("--epochs", type=int, default=common.WORKLOADS["tf1-mnist"]["epochs"])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.epochs = common.WORKLOADS["tf1-mnist"]["quick"]
    args.workload = "tf1-mnist"
    x, y, (x_val, y_val), _ = common.load("mnist-mlp")
    data = ((x, y.astype(np.int32)), (x_val, y_val.astype(np.int32)))
    np.random.seed(0)
    result = {"epoch_times": []}
    if args.framework == "myelin":
        import myelin as tf

        tf.random.set_seed(0)
        # eager first: once the graph has a placeholder, new random values are graph nodes
        eager_epoch = eager_program(tf, data)
        graph_epoch = graph_program(tf, data)
        result.update(framework="myelin", version=f"myelin {tf.__version__}, numpy "
                      f"{np.__version__}", eager_epoch_times=[])
        for _ in range(args.epochs):  # alternate, so both see the same machine state
            result["val_accuracy"] = timed(graph_epoch, result["epoch_times"])
            result["eager_val_accuracy"] = timed(eager_epoch, result["eager_epoch_times"])
    else:
        import tensorflow as tf_root

        tf = tf_root.compat.v1
        tf.disable_v2_behavior()
        tf.set_random_seed(0)
        graph_epoch = graph_program(tf, data)
        result.update(framework="keras", version=f"tensorflow {tf_root.__version__} "
                      f"(tf.compat.v1)")
        for _ in range(args.epochs):
            result["val_accuracy"] = timed(graph_epoch, result["epoch_times"])
    common.report(args, result)


if __name__ == "__main__":
    main()
