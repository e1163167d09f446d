"""TensorFlow's ``tf.random`` namespace, drawing from the one library Generator.

Example:
    >>> set_seed(0); a = normal([2])
    >>> set_seed(0); bool((normal([2]) == a).numpy().all())
    True
"""

from .backend import set_seed
from .ops.random import random_normal as normal
from .ops.random import random_uniform as uniform
from .ops.random import shuffle, truncated_normal

__all__ = ["normal", "set_seed", "shuffle", "truncated_normal", "uniform"]
