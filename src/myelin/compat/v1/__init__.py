"""The TensorFlow 1 API (``tf.compat.v1``): graphs of placeholders, Session, feed_dict,
TF 1's optimizers and Saver, over myelin's one symbolic-graph mechanism.

``import myelin.compat.v1 as tf`` gives TF 1's namespace; ``import myelin as tf`` has
the same TF-1 names at the top level beside TF 2's. A ``placeholder`` puts the default
graph in graph mode: ops on it record nodes (``myelin.graph``), random initial values
become recipes the initializer reruns, and ``Session.run`` computes what fetches need.

Example:
    >>> X = tf.placeholder(tf.float32, shape=(None, 2), name="X")
    >>> W = tf.Variable(tf.random_normal((2, 1)), name="W")
    >>> y = tf.matmul(X, W)
    >>> with tf.Session() as sess:
    ...     tf.global_variables_initializer().run()
    ...     sess.run(y, feed_dict={X: [[1.0, 2.0]]}).shape
    (1, 1)
"""

from ... import (
    activations,
    backend,
    callbacks,
    dtypes,
    initializers,
    keras,
    losses,
    math,
    metrics,
    optimizers,
    random,
)
from ..._lazy import lazy_attributes
from ...autodiff import GradientTape, Tensor, Variable, constant, convert_to_tensor, no_grad
from ...dtypes import (
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
from ...graph import get_default_graph, name_scope, reset_default_graph
from ...graph.tensor import TensorShape
from ...ops import *  # noqa: F403  (matmul, reduce_mean, cast, ...)
from ...ops.random import random_normal, random_uniform, truncated_normal
from ...ops.random import shuffle as random_shuffle
from . import errors, layers, nn, train
from .gradients import gradients
from .mode import (
    disable_eager_execution,
    disable_v2_behavior,
    enable_eager_execution,
    enable_v2_behavior,
    executing_eagerly,
)
from .operation import Operation, group, no_op
from .ops import *  # noqa: F403  (to_float, set_random_seed, assign, *_initializer ...)
from .ops import __all__ as _ops_all
from .placeholders import placeholder, placeholder_with_default
from .session import InteractiveSession, Session, get_default_session
from .variables import (
    global_variables,
    global_variables_initializer,
    initialize_all_variables,
    local_variables,
    local_variables_initializer,
    trainable_variables,
    variables_initializer,
)

__all__ = [
    "GradientTape", "InteractiveSession", "Operation", "Session", "Tensor", "TensorShape",
    "Variable", "activations", "as_dtype", "backend", "bool", "callbacks", "constant",
    "convert_to_tensor", "datasets",  # noqa: F405  (loaded on first use, see the end)
    "disable_eager_execution", "disable_v2_behavior",
    "double", "dtypes", "enable_eager_execution", "enable_v2_behavior", "errors",
    "executing_eagerly", "float16", "float32", "float64", "get_default_graph",
    "get_default_session", "global_variables", "global_variables_initializer", "gradients",
    "group", "half", "initialize_all_variables", "initializers", "int8", "int16", "int32",
    "int64", "keras", "layers", "local_variables", "local_variables_initializer", "losses",
    "math", "metrics", "name_scope", "nn", "no_grad", "no_op", "optimizers", "placeholder",
    "placeholder_with_default", "random", "random_normal", "random_shuffle", "random_uniform",
    "reset_default_graph", "train", "trainable_variables", "truncated_normal", "uint8",
    "variables_initializer",
]
__all__ += _ops_all

# The TF-1 names ``import myelin as tf`` also has at its top level (the rest of
# ``__all__`` is there already: TF 2 kept it, or it is the TF 2 module of that name).
TF1_NAMES = [
    "InteractiveSession", "Operation", "Session", "disable_eager_execution",
    "disable_v2_behavior", "enable_eager_execution", "enable_v2_behavior", "errors",
    "executing_eagerly", "get_default_graph", "get_default_session", "global_variables",
    "global_variables_initializer", "gradients", "group", "initialize_all_variables",
    "local_variables", "local_variables_initializer", "name_scope", "no_op", "placeholder",
    "placeholder_with_default", "random_normal", "random_shuffle", "random_uniform",
    "reset_default_graph", "train", "trainable_variables", "variables_initializer",
    *_ops_all,
]

# tf.compat.v1.datasets loads on first use, as myelin.datasets does.
__getattr__, __dir__ = lazy_attributes(__name__, {"datasets": "myelin.datasets"})
