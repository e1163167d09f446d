"""TF 1's functional layers: ``tf.layers.dense`` and ``tf.layers.dropout``.

``dense`` creates its ``kernel`` and ``bias`` Variables under a name scope named after
the layer (``hidden1/kernel:0``) and returns ``activation(inputs @ kernel + bias)``.
In graph mode the initial values are graph nodes, so the initializer redraws them.
"""

import numpy as np

from ... import initializers as keras_initializers
from ...activations import get as get_activation
from ...autodiff import Tensor, Variable, convert_to_tensor
from ...autodiff.static_value import call_recorder, graph_mode
from ...graph import get_default_graph
from ...graph.tensor import is_symbolic
from ...ops.elementwise import add
from ...ops.linalg import matmul
from ...ops.random import dropout as _nn_dropout
from ...ops.shape import identity


def _draw(initializer, shape, dtype):
    """The initial value ``initializer(shape, dtype)`` as a Tensor (a graph recipe)."""
    return Tensor(np.asarray(initializer(shape, dtype=dtype), dtype=dtype))


def make_variable(name, shape, dtype, initializer, trainable=True):
    """A Variable whose initial value comes from ``initializer``, redrawn by each run of
    the initializer in graph mode."""
    initializer = keras_initializers.get(initializer)
    if graph_mode[0]:
        initial = call_recorder[0](_draw, (initializer, tuple(shape), dtype), {})
    else:
        initial = _draw(initializer, tuple(shape), dtype)
    return Variable(initial, trainable=trainable, name=name, dtype=dtype)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """A fully connected layer: ``activation(inputs @ kernel + bias)`` (TF 1).

    Args:
        inputs: a tensor of shape ``(..., n_inputs)`` with ``n_inputs`` known.
        units: the number of outputs.
        activation: a function or name (None: linear).
        kernel_initializer: default Glorot uniform, as TF 1.
        name: the scope of the variables (default ``dense``, ``dense_1`` ...).

    Example:
        >>> hidden1 = tf.layers.dense(X, 300, name="hidden1", activation=tf.nn.relu)
    """
    for option, value in (("kernel_regularizer", kernel_regularizer),
                          ("bias_regularizer", bias_regularizer),
                          ("activity_regularizer", activity_regularizer),
                          ("kernel_constraint", kernel_constraint),
                          ("bias_constraint", bias_constraint), ("reuse", reuse)):
        if value is not None:
            raise NotImplementedError(f"layers.dense: {option} is not supported.")
    inputs = convert_to_tensor(inputs)
    shape = inputs.get_shape()
    n_inputs = shape[-1] if len(shape) else None
    if n_inputs is None:
        raise ValueError(f"layers.dense: the last dimension of the inputs must be known, "
                         f"received shape {shape}.")
    units = int(units)
    if units <= 0:
        raise ValueError(f"layers.dense: units must be a positive integer, received {units}.")
    dtype = inputs.dtype if inputs.dtype.kind == "f" else np.dtype("float32")
    with get_default_graph().name_scope(name or "dense"):
        kernel = make_variable("kernel", (n_inputs, units), dtype,
                               kernel_initializer or "glorot_uniform", trainable)
        out = matmul(inputs, kernel)
        if use_bias:
            bias = make_variable("bias", (units,), dtype, bias_initializer, trainable)
            out = add(out, bias)
        if activation is not None:
            out = get_activation(activation)(out)
    return out


def _dropout(inputs, rate, training, noise_shape):
    # Reads the training flag's value: recorded whole when it is a placeholder.
    keep = bool(np.asarray(training._data if isinstance(training, Tensor) else training))
    return _nn_dropout(inputs, rate, noise_shape) if keep else identity(inputs)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Drop a fraction ``rate`` of the inputs while ``training`` (a bool or a bool
    placeholder) is true, scaling the rest by ``1 / (1 - rate)`` (TF 1).

    Example:
        >>> training = tf.placeholder_with_default(False, shape=(), name="training")
        >>> X_drop = tf.layers.dropout(X, 0.5, training=training)
    """
    if not 0 <= float(rate) < 1:
        raise ValueError(f"layers.dropout: rate must be in [0, 1), received {rate}.")
    if is_symbolic(training):
        return call_recorder[0](_dropout, (inputs, float(rate), training, noise_shape), {})
    return _dropout(inputs, float(rate), training, noise_shape)


__all__ = ["dense", "dropout"]
