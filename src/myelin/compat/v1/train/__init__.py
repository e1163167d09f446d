"""TF 1's ``tf.train``: optimizers, ``Saver``, checkpoints and the global step."""

from .optimizers import (
    AdagradOptimizer,
    AdamOptimizer,
    GradientDescentOptimizer,
    MomentumOptimizer,
    Optimizer,
    RMSPropOptimizer,
    get_global_step,
    get_or_create_global_step,
)
from .saver import Saver, latest_checkpoint

__all__ = ["AdagradOptimizer", "AdamOptimizer", "GradientDescentOptimizer",
           "MomentumOptimizer", "Optimizer", "RMSPropOptimizer", "Saver", "get_global_step",
           "get_or_create_global_step", "latest_checkpoint"]
