"""Input and InputLayer: declare the shape of a model's inputs up front.

``Input(shape=(784,))`` returns a symbolic tensor (Keras's ``KerasTensor``): call
layers on it and pass it to ``Model(inputs, outputs)`` (the functional API), or put
it first in a ``Sequential`` to build the model immediately:

    model = Sequential([Input(shape=(784,)), Dense(10)])
"""

import numpy as np

from ..graph import InputNode, SymbolicTensor
from .layer import Layer
from .weights import shape_tuple


class InputLayer(Layer):
    """The layer behind ``Input``: passes its input through unchanged.

    Args:
        shape: the shape of one sample, e.g. ``(784,)`` (no batch axis).
        batch_size: optional fixed batch size.
        dtype: the input dtype (default ``floatx()``; e.g. ``"int32"`` for token ids).
        batch_shape: the full shape including the batch axis (instead of ``shape``).
        name: optional name (default ``input_layer``, ``input_layer_1`` ...).
    """

    def __init__(self, shape=None, batch_size=None, dtype=None, batch_shape=None,
                 name=None, **kwargs):
        if shape is None and batch_shape is None and "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")  # Keras 2 spelling
        super().__init__(name=name, dtype=dtype, **kwargs)
        where = f"InputLayer '{self.name}'"
        if batch_shape is not None:
            batch_shape = shape_tuple(batch_shape, where)
        elif shape is not None:
            shape = (shape,) if isinstance(shape, (int, np.integer)) else shape
            batch_shape = (batch_size,) + shape_tuple(shape, where)
        else:
            raise ValueError(f"{where}: pass `shape` (the shape of one sample, e.g. "
                             f"shape=(784,)) or `batch_shape`.")
        self.batch_shape = batch_shape
        self._record_build(batch_shape)
        self.output = InputNode(batch_shape, self._dtype, self.name, layer=self).outputs[0]

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, name=None, batch_shape=None, sparse=None):
    """A symbolic model input of ``shape`` (one sample's shape, without the batch axis).

    Args:
        shape: e.g. ``(784,)`` for flat MNIST images, ``(250,)`` for token sequences.
        batch_size: optional fixed batch size.
        dtype: default ``floatx()``; use an integer dtype for Embedding inputs.
        name: optional name of the InputLayer.
        batch_shape: the full shape including the batch axis (instead of ``shape``).
        sparse: accepted for Keras compatibility; only dense inputs exist in myelin.

    Returns:
        A symbolic ``KerasTensor``: call layers on it, or put it first in a ``Sequential``.

    Example:
        >>> Input(shape=(784,)).shape
        (None, 784)
    """
    if sparse:
        raise ValueError(f"Input {name or ''}: sparse=True is not supported; myelin inputs "
                         f"are dense arrays. Pass dense data (e.g. x.toarray()) and drop "
                         f"sparse=True.")
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name,
                       batch_shape=batch_shape)
    return layer.output


KerasTensor = SymbolicTensor  # Keras's name for a symbolic tensor
