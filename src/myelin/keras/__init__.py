"""The Keras namespace: ``from myelin import keras`` / ``tf.keras`` as in TensorFlow 2.

Each name is the same module as ``myelin.<name>``. They are also registered as
``myelin.keras.<name>`` modules so that ``from myelin.keras.layers import Dense``
works like ``from tensorflow.keras.layers import Dense``.
"""

import sys

from .. import (
    activations,
    callbacks,
    constraints,
    initializers,
    layers,
    losses,
    metrics,
    models,
    optimizers,
    preprocessing,
    regularizers,
    saving,
    utils,
)
from .._lazy import lazy_attributes
from ..layers import Input
from ..models import Model, Sequential
from . import backend

_SUBMODULES = {
    "activations": activations, "backend": backend, "callbacks": callbacks,
    "initializers": initializers, "layers": layers, "losses": losses,
    "metrics": metrics, "models": models, "optimizers": optimizers,
    "preprocessing": preprocessing, "preprocessing.sequence": preprocessing.sequence,
    "saving": saving, "utils": utils, "regularizers": regularizers,
    "constraints": constraints,
}
for _name, _module in _SUBMODULES.items():
    sys.modules[f"{__name__}.{_name}"] = _module
# keras.datasets loads on first use (myelin/keras/datasets.py and myelin/datasets.py
# register the loaders' module under those names when imported).
__getattr__, __dir__ = lazy_attributes(__name__, {"datasets": ".datasets"})

__all__ = ["Input", "Model", "Sequential", "datasets",
           *(n for n in sorted(_SUBMODULES) if "." not in n)]
