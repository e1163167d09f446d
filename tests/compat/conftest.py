"""Every TF-1 test starts and ends with a fresh default graph and eager execution on, so
graph mode never leaks into other tests."""

import pytest

import myelin as tf


@pytest.fixture(autouse=True)
def _fresh_graph():
    tf.enable_eager_execution()
    tf.reset_default_graph()
    yield
    tf.enable_eager_execution()
    tf.reset_default_graph()
