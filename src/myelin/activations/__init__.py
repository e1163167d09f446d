"""Activation functions (Keras 3 names) and their lookup by name or function.

Example:
    >>> from myelin import activations
    >>> activations.get("relu") is activations.relu
    True
    >>> activations.serialize(myelin.nn.sigmoid)
    'sigmoid'
"""

from .. import nn, ops
from .._lookup import lookup, not_understood
from ..ops.fused import FUSED_ACTIVATIONS
from .activations import (
    elu,
    exponential,
    leaky_relu,
    linear,
    log_softmax,
    relu,
    relu6,
    selu,
    sigmoid,
    silu,
    softmax,
    softplus,
    softsign,
    step,
    tanh,
)

swish = silu

_BUILTINS = (linear, relu, leaky_relu, relu6, sigmoid, tanh, softmax, log_softmax, elu,
             selu, softplus, softsign, silu, exponential, step)
_BY_NAME = {fn.__name__: fn for fn in _BUILTINS} | {"swish": silu}
# the low-level functions (tf.nn.relu, tf.math.exp, ...) stand for the Keras activation
_FROM_NN = {nn.relu: relu, nn.leaky_relu: leaky_relu, nn.relu6: relu6,
             nn.sigmoid: sigmoid, nn.tanh: tanh, nn.softmax: softmax,
             nn.log_softmax: log_softmax, nn.elu: elu, nn.selu: selu,
             nn.softplus: softplus, nn.softsign: softsign, nn.silu: silu,
             ops.exp: exponential}
_CANONICAL = {fn: fn for fn in _BUILTINS}


def _canonical(fn):
    """The built-in activation a function stands for, or None."""
    if fn in _CANONICAL:
        return fn
    if fn in _FROM_NN:
        return _FROM_NN[fn]
    # wrappers re-exported elsewhere in myelin (e.g. myelin.nn.relu) keep the op's name
    if getattr(fn, "__module__", "").startswith("myelin.") and getattr(fn, "__name__", "") in (
            _BY_NAME):
        return _BY_NAME[fn.__name__]
    return None


def get(identifier):
    """Resolve an activation: a name, a function (``myelin.nn.relu`` counts as
    ``relu``), a ``{"class_name": "function", "config": name}`` dict, or None (linear).

    Raises:
        ValueError: for an unknown name, with the closest known name.
    """
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        return lookup(identifier, _BY_NAME, "activation")
    if isinstance(identifier, dict) and "config" in identifier:
        return get(identifier["config"])
    if callable(identifier):
        return _canonical(identifier) or identifier
    raise not_understood(identifier, "activation", "a name, a function or None")


def serialize(activation):
    """The name of a built-in activation (``myelin.nn`` functions map to theirs)."""
    fn = _canonical(get(activation))
    if fn is None:
        raise ValueError(
            f"activations.serialize: {activation!r} is not a built-in activation, so it "
            f"cannot be saved by name. Built-ins: {', '.join(sorted(_BY_NAME))}."
        )
    return fn.__name__


def deserialize(name):
    """The activation function of a serialised name (the inverse of ``serialize``).

    Args:
        name: the name, e.g. ``"relu"``.

    Returns:
        The function.
    """
    return get(name)


def fused_name(activation):
    """The activation's name when ``ops.fused.dense`` implements it, else None.

    Example:
        >>> fused_name("relu"), fused_name("elu")
        ('relu', None)
    """
    fn = _canonical(get(activation))
    return fn.__name__ if fn is not None and fn.__name__ in FUSED_ACTIVATIONS else None


__all__ = [
    "deserialize", "elu", "exponential", "fused_name", "get", "leaky_relu", "linear",
    "log_softmax", "relu", "relu6", "selu", "serialize", "sigmoid", "silu", "softmax",
    "softplus", "softsign", "step", "swish", "tanh",
]
