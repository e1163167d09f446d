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
    autodiff,
    backend,
    callbacks,
    constraints,
    data,
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
    strings,
    testing,
    utils,
)
from .autodiff import (
    GradientTape,
    Tensor,
    UnconnectedGradients,
    Variable,
    constant,
    convert_to_tensor,
    custom_gradient,
    hessians,
    no_grad,
    recompute_grad,
    stop_gradient,
)
from .data import TensorSpec
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
    "activations",
    "as_dtype",
    "autodiff",
    "backend",
    "bool",
    "callbacks",
    "constant",
    "constraints",
    "convert_to_tensor",
    "custom_gradient",
    "datasets",  # noqa: F405  (loaded on first use: see _LAZY below)
    "double",
    "dtypes",
    "float16",
    "float32",
    "float64",
    "function",
    "GradientTape",
    "graph",
    "half",
    "hessians",
    "initializers",
    "Input",
    "int16",
    "int32",
    "int64",
    "int8",
    "keras",
    "layers",
    "losses",
    "math",
    "metrics",
    "Model",
    "models",
    "nn",
    "no_grad",
    "optimizers",
    "preprocessing",
    "print",
    "random",
    "recompute_grad",
    "regularizers",
    "saving",
    "Sequential",
    "stop_gradient",
    "Tensor",
    "testing",
    "truncated_normal",
    "uint8",
    "UnconnectedGradients",
    "utils",
    "Variable",
    "plot",  # noqa: F405  (loaded on first use: see _LAZY below)
    *_ops_all,
]
__all__ += ["TensorSpec", "data"]  # tf.TensorSpec and tf.data (the input pipelines)
__all__ += ["strings"]  # tf.strings on NumPy text batches

# TensorFlow 1's API (graphs, placeholders, Session, tf.train ...): ``myelin.compat.v1``,
# its names also here so TF-1 programs run under ``import myelin as tf``.
from . import compat  # noqa: E402
from ._lazy import lazy_attributes  # noqa: E402

# Loaded on first use: rarely needed, and slow to import (plot itself imports
# matplotlib inside each function).
_LAZY = {"plot": ".plot", "datasets": ".datasets"}
__getattr__, __dir__ = lazy_attributes(__name__, _LAZY)
globals().update({_name: getattr(compat.v1, _name) for _name in compat.v1.TF1_NAMES})
layers.dense, layers.dropout = compat.v1.layers.dense, compat.v1.layers.dropout  # tf.layers
__all__ += ["compat", *compat.v1.TF1_NAMES]

