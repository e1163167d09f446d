"""The tf.data subset: ``Dataset``, ``TensorSpec`` and the special numbers.

``myelin.data.Dataset`` is also ``tf.data.Dataset`` under ``import myelin as tf``.
"""

from .base import Dataset
from .spec import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY, TensorSpec

__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "Dataset", "TensorSpec"]
