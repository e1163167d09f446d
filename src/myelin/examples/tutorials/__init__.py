"""``tensorflow.examples.tutorials``: the MNIST reader of TF 1's tutorials."""
