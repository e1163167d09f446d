"""``placeholder`` and ``placeholder_with_default``: the graph inputs fed by ``Session.run``."""

import numpy as np

from ...autodiff import Tensor, as_array
from ...dtypes import as_dtype
from ...graph import InputNode, get_default_graph
from ...graph.graph import sync_graph_mode


def _static_shape(shape, where):
    if shape is None:
        return None  # any rank
    if isinstance(shape, int):
        shape = (shape,)
    try:
        dims = tuple(None if d is None or d == -1 else int(d) for d in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{where}: shape must be None or a list of ints and None, received "
                        f"{shape!r}.") from None
    if any(d is not None and d < 0 for d in dims):
        raise ValueError(f"{where}: dimensions must be >= 0 or None, received {shape!r}.")
    return dims


def _input(dtype, shape, name, default=None):
    graph = get_default_graph()
    node = InputNode(shape, dtype, graph.unique_name(name or "Placeholder"), default=default)
    node.placeholder = True
    graph.tf1 = True  # a TF-1 program: graph mode while this graph is the default
    sync_graph_mode()
    return node.outputs[0]


def placeholder(dtype, shape=None, name=None):
    """A graph input whose value is given at run time: ``sess.run(t, feed_dict={x: ...})``.

    Args:
        dtype: the element type (``tf.float32``, ``"float"``, ``tf.int32`` ...).
        shape: the static shape, ``None`` for an unknown dimension; ``shape=None`` (the
            default) accepts any shape.
        name: the node name (made unique in the graph); the tensor is ``name:0``.

    Returns:
        A symbolic tensor; creating it puts the default graph in TF-1 graph mode.

    Example:
        >>> X = tf.placeholder(tf.float32, shape=(None, 784), name="X")
        >>> X.name, int(X.get_shape()[1])
        ('X:0', 784)
    """
    return _input(as_dtype(dtype), _static_shape(shape, "placeholder"), name)


def placeholder_with_default(input, shape, name=None):
    """A placeholder that takes ``input``'s value when nothing is fed.

    Example:
        >>> training = tf.placeholder_with_default(False, shape=(), name="training")
    """
    value = np.array(as_array(input, where="placeholder_with_default"), copy=True)
    dims = _static_shape(shape, "placeholder_with_default")
    if dims is not None and (len(dims) != value.ndim or any(
            d is not None and d != n for d, n in zip(dims, value.shape, strict=True))):
        raise ValueError(f"placeholder_with_default: the default value has shape "
                         f"{value.shape}, which does not fit the shape {dims}.")
    return _input(value.dtype, dims, name or "PlaceholderWithDefault", default=Tensor(value))
