"""TensorFlow's ``tf.compat`` namespace: ``myelin.compat.v1`` holds the TF-1 API."""

from . import v1

__all__ = ["v1"]
