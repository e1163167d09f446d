"""TF 1's top-level helpers that TF 2 moved or removed: casts, seeds, assignments,
``stop_gradient`` on graph tensors, and the ``*_initializer`` classes with TF 1's defaults.
"""

import numpy as np

from ... import backend
from ... import initializers as _init
from ...autodiff import Variable
from ...autodiff import stop_gradient as _stop_gradient
from ...autodiff.static_value import call_recorder
from ...graph.tensor import SymbolicTensor
from ...ops.elementwise import cast
from .operation import Operation


def stop_gradient(input, name=None):
    """The same value with no gradient flowing back through it (also in graphs).

    Example:
        >>> target = tf.stop_gradient(q_next)
    """
    if isinstance(input, SymbolicTensor):
        return call_recorder[0](_stop_gradient, (input,), {})
    return _stop_gradient(input)


def to_float(x, name="ToFloat"):
    """``cast(x, float32)`` (TF 1)."""
    return cast(x, np.float32)


def to_double(x, name="ToDouble"):
    """``cast(x, float64)`` (TF 1)."""
    return cast(x, np.float64)


def to_int32(x, name="ToInt32"):
    """``cast(x, int32)`` (TF 1)."""
    return cast(x, np.int32)


def to_int64(x, name="ToInt64"):
    """``cast(x, int64)`` (TF 1)."""
    return cast(x, np.int64)


def set_random_seed(seed):
    """Seed every random draw (TF 1's graph-level seed; ``tf.random.set_seed`` in TF 2).

    Example:
        >>> tf.set_random_seed(42)
    """
    backend.set_seed(seed)


def _assigning(ref, value, method, name):
    if not isinstance(ref, Variable):
        raise TypeError(f"{method}: ref must be a Variable, received {type(ref).__name__}.")
    if not isinstance(value, SymbolicTensor):  # eager: change it now (TF 2 behaviour)
        return getattr(ref, method)(value)

    def effect(values, context):
        context.pending.append(lambda: getattr(Variable, method)(ref, values[0]))

    return Operation([value], name or method.capitalize(), effect, [ref])


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """Set ``ref`` to ``value``: at once for an eager value; for a graph value, an
    operation applied when the run succeeds.

    Example:
        >>> update = tf.assign(W, W - 0.1 * dW)
    """
    return _assigning(ref, value, "assign", name)


def assign_add(ref, value, use_locking=None, name=None):
    """``ref += value`` (see ``assign``)."""
    return _assigning(ref, value, "assign_add", name)


def assign_sub(ref, value, use_locking=None, name=None):
    """``ref -= value`` (see ``assign``)."""
    return _assigning(ref, value, "assign_sub", name)


def truncated_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=None):
    """TF 1's truncated normal initializer (stddev 1.0 by default, unlike Keras's 0.05)."""
    return _init.TruncatedNormal(mean=mean, stddev=stddev, seed=seed)


def random_normal_initializer(mean=0.0, stddev=1.0, seed=None, dtype=None):
    """TF 1's normal initializer (stddev 1.0 by default)."""
    return _init.RandomNormal(mean=mean, stddev=stddev, seed=seed)


def random_uniform_initializer(minval=0.0, maxval=None, seed=None, dtype=None):
    """TF 1's uniform initializer on ``[minval, maxval)`` (maxval 1.0 by default)."""
    return _init.RandomUniform(minval=minval, maxval=1.0 if maxval is None else maxval,
                               seed=seed)


def zeros_initializer(dtype=None):
    """Zeros."""
    return _init.Zeros()


def ones_initializer(dtype=None):
    """Ones."""
    return _init.Ones()


def constant_initializer(value=0, dtype=None, verify_shape=False):
    """A constant value."""
    return _init.Constant(value)


def glorot_uniform_initializer(seed=None, dtype=None):
    """Glorot (Xavier) uniform, TF 1.x's default for ``layers.dense``."""
    return _init.GlorotUniform(seed=seed)


def glorot_normal_initializer(seed=None, dtype=None):
    """Glorot (Xavier) truncated normal."""
    return _init.GlorotNormal(seed=seed)


def variance_scaling_initializer(scale=1.0, mode="fan_in", distribution="truncated_normal",
                                 seed=None, dtype=None):
    """Variance scaling with TF 1's defaults (``scale=1``, fan in, truncated normal);
    ``distribution="normal"`` means truncated normal, as in TF 1.

    Example:
        >>> he_init = tf.variance_scaling_initializer()  # He initialization
    """
    return _init.VarianceScaling(scale=scale, mode=mode, distribution=distribution, seed=seed)


__all__ = [
    "assign", "assign_add", "assign_sub", "constant_initializer", "glorot_normal_initializer",
    "glorot_uniform_initializer", "ones_initializer", "random_normal_initializer",
    "random_uniform_initializer", "set_random_seed", "stop_gradient", "to_double",
    "to_float", "to_int32", "to_int64", "truncated_normal_initializer",
    "variance_scaling_initializer", "zeros_initializer",
]
