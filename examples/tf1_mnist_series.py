"""The TensorFlow-1 MNIST program of the tutorial series seed 002 opens, import lines changed.

Three 500-unit ReLU layers whose weights and biases start from ``tf.random_normal``,
``tf.nn.softmax_cross_entropy_with_logits`` on one-hot labels, ``tf.train.AdamOptimizer()``
with TF 1's defaults, 10 epochs of ``mnist.train.next_batch(100)`` from
``input_data.read_data_sets(..., one_hot=True)`` and ``_, c = sess.run([optimizer, cost],
feed_dict=...)``; the test accuracy comes from ``accuracy.eval({x: ..., y: ...})``. The
original reports about 0.95.

Run: python examples/tf1_mnist_series.py [--epochs 10] [--limit 5500]
"""

from example_cli import parse_args

import myelin as tf  # was: import tensorflow as tf
from myelin.examples.tutorials.mnist import input_data  # was: from tensorflow.examples...


def main(argv=None):
    """Train the series' network; return the per-epoch losses and the test accuracy."""
    args = parse_args(argv, "tf1_mnist_series", __doc__, epochs=10)
    tf.reset_default_graph()  # main() may run more than once in a process (tests, demo)
    results = {"epoch_loss": []}

    # ---- the series' program, unchanged but for hm_epochs, the --limit slice, the
    # ---- data folder and the results kept for the caller
    mnist = input_data.read_data_sets(str(args.out / "data"), one_hot = True)
    if args.limit:  # smoke tests: the first N training images only
        pixels = (mnist.train.images[:args.limit] * 255).round().astype("uint8")
        mnist = mnist._replace(train=input_data.DataSet(pixels, mnist.train.labels[:args.limit]))

    n_nodes_hl1 = 500
    n_nodes_hl2 = 500
    n_nodes_hl3 = 500

    n_classes = 10
    batch_size = 100

    x = tf.placeholder('float', [None, 784])
    y = tf.placeholder('float')

    def neural_network_model(data):
        hidden_1_layer = {'weights':tf.Variable(tf.random_normal([784, n_nodes_hl1])),
                          'biases':tf.Variable(tf.random_normal([n_nodes_hl1]))}

        hidden_2_layer = {'weights':tf.Variable(tf.random_normal([n_nodes_hl1, n_nodes_hl2])),
                          'biases':tf.Variable(tf.random_normal([n_nodes_hl2]))}

        hidden_3_layer = {'weights':tf.Variable(tf.random_normal([n_nodes_hl2, n_nodes_hl3])),
                          'biases':tf.Variable(tf.random_normal([n_nodes_hl3]))}

        output_layer = {'weights':tf.Variable(tf.random_normal([n_nodes_hl3, n_classes])),
                        'biases':tf.Variable(tf.random_normal([n_classes])),}

        l1 = tf.add(tf.matmul(data,hidden_1_layer['weights']), hidden_1_layer['biases'])
        l1 = tf.nn.relu(l1)

        l2 = tf.add(tf.matmul(l1,hidden_2_layer['weights']), hidden_2_layer['biases'])
        l2 = tf.nn.relu(l2)

        l3 = tf.add(tf.matmul(l2,hidden_3_layer['weights']), hidden_3_layer['biases'])
        l3 = tf.nn.relu(l3)

        output = tf.matmul(l3,output_layer['weights']) + output_layer['biases']

        return output

    def train_neural_network(x):
        prediction = neural_network_model(x)
        cost = tf.reduce_mean( tf.nn.softmax_cross_entropy_with_logits(logits=prediction, labels=y) )  # noqa: E501
        optimizer = tf.train.AdamOptimizer().minimize(cost)

        hm_epochs = args.epochs
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())

            for epoch in range(hm_epochs):
                epoch_loss = 0
                for _ in range(int(mnist.train.num_examples/batch_size)):
                    epoch_x, epoch_y = mnist.train.next_batch(batch_size)
                    _, c = sess.run([optimizer, cost], feed_dict={x: epoch_x, y: epoch_y})
                    epoch_loss += c

                results["epoch_loss"].append(float(epoch_loss))
                if not args.quiet:
                    print('Epoch', epoch, 'completed out of',hm_epochs,'loss:',epoch_loss)

            correct = tf.equal(tf.argmax(prediction, 1), tf.argmax(y, 1))

            accuracy = tf.reduce_mean(tf.cast(correct, 'float'))
            results["test accuracy"] = float(
                accuracy.eval({x:mnist.test.images, y:mnist.test.labels}))
            print('Accuracy:', results["test accuracy"])

    train_neural_network(x)
    return results


if __name__ == "__main__":
    main()
