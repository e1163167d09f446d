"""Layers: the Layer base class and the built-in layers (Keras 3 names).

Example:
    >>> from myelin import layers
    >>> layers.Dense(10, activation="relu")
    <Dense name=dense, built=False>
"""

from .core import Activation, Dense
from .embedding import Embedding
from .input_layer import Input, InputLayer, KerasTensor
from .layer import Layer
from .masking import Masking
from .naming import clear_session
from .normalization import Normalization
from .pooling import GlobalAveragePooling1D
from .recurrent import (
    GRU,
    LSTM,
    RNN,
    Bidirectional,
    GRUCell,
    LSTMCell,
    SimpleRNN,
    SimpleRNNCell,
    TimeDistributed,
)
from .regularization import Dropout
from .reshaping import Flatten, Reshape

GlobalAvgPool1D = GlobalAveragePooling1D

def serialize(layer):
    """``{"class_name": "Dense.v1", "config": ...}``: the versioned, allow-listed name."""
    from ..saving import registry  # the registry sits above layers; import on use

    return registry.serialize(layer)


def deserialize(config, custom_objects=None):
    """Rebuild a layer from ``serialize``'s output.

    Only registered classes (the built-in layers and those decorated with
    ``myelin.saving.register_serializable``) and those in ``custom_objects`` are
    accepted: a config never makes myelin import or run arbitrary code.

    Raises:
        ValueError: for an unknown class name.
    """
    from ..saving import registry

    return registry.deserialize(config, custom_objects=custom_objects, expected_type=Layer)


__all__ = [
    "Activation", "Bidirectional", "Dense", "Dropout", "Embedding", "Flatten", "GRU",
    "GRUCell", "GlobalAvgPool1D", "GlobalAveragePooling1D", "Input", "InputLayer",
    "KerasTensor", "LSTM", "LSTMCell", "Layer", "Masking", "Normalization", "RNN", "Reshape",
    "SimpleRNN", "SimpleRNNCell", "TimeDistributed", "clear_session", "deserialize",
    "serialize",
]
