"""myelin: neural networks on NumPy with the Keras 3 / TensorFlow 2 API.

Tutorial code runs with its import changed::

    import myelin as tf          # instead of: import tensorflow as tf
    from myelin import keras     # instead of: from tensorflow import keras

Everything Keras exposes as ``keras.X`` is also ``myelin.X`` (``myelin.Sequential``,
``myelin.layers.Dense``, ...), and the TensorFlow 2 low-level names are here too
(``myelin.Variable``, ``myelin.GradientTape``, ``myelin.matmul``, ``myelin.nn.relu``).
"""

__version__ = "0.1.0"

from . import (
    activations,
    backend,
    callbacks,
    constraints,
    dtypes,
    graph,
    initializers,
    keras,
    layers,
    losses,
    math,
    metrics,
    models,
    nn,
    optimizers,
    preprocessing,
    random,
    regularizers,
    saving,
    testing,
    utils,
)
from .autodiff import (
    GradientTape,
    Tensor,
    Variable,
    constant,
    convert_to_tensor,
    no_grad,
    stop_gradient,
)
from .data import datasets
from .dtypes import (
    as_dtype,
    bool,
    double,
    float16,
    float32,
    float64,
    half,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from .layers import Input
from .models import Model, Sequential
from .ops import *  # noqa: F403  (TensorFlow 2's top-level ops: add, matmul, reduce_mean, ...)
from .ops import __all__ as _ops_all
from .printing import print  # tf.print (shadows the builtin only as myelin.print)
from .random import truncated_normal  # TF 1's top-level spelling, used by seed 004
from .tf_function import function  # tf.function: accepted, runs the Python as it is

__all__ = [
    "GradientTape", "Input", "Model", "Sequential", "Tensor", "Variable", "activations",
    "as_dtype", "backend", "bool", "callbacks", "constant", "convert_to_tensor", "datasets",
    "double", "dtypes", "float16", "float32", "float64", "function", "graph", "half",
    "initializers", "int8",
    "int16", "int32", "int64", "keras", "layers", "losses", "math", "metrics", "models",
    "nn", "no_grad", "optimizers", "preprocessing", "print", "random", "saving", "stop_gradient",
    "testing", "truncated_normal", "uint8", "utils", *_ops_all,
    "constraints", "plot", "regularizers",  # noqa: F405  (plot: module __getattr__ below)
]


def __getattr__(name):
    # ``myelin.plot`` without ``import myelin.plot``: imported on first use only, so
    # ``import myelin`` stays fast (plot itself imports matplotlib inside each function).
    if name == "plot":
        import importlib

        return importlib.import_module(".plot", __name__)
    raise AttributeError(f"module 'myelin' has no attribute {name!r}")
