"""Layers: the Layer base class and the built-in layers (Keras 3 names).

Example:
    >>> from myelin import layers
    >>> layers.Dense(10, activation="relu")
    <Dense name=dense, built=False>
"""

from .._lazy import lazy_attributes
from .activation_layers import ELU, LeakyReLU, PReLU, ReLU, Softmax
from .batch_normalization import BatchNormalization, LayerNormalization
from .convolutional import (
    Conv1D,
    Conv2D,
    Conv2DTranspose,
    DepthwiseConv2D,
    SeparableConv2D,
)
from .core import Activation, Dense
from .cropping import Cropping1D, Cropping2D
from .embedding import Embedding
from .input_layer import Input, InputLayer, KerasTensor
from .lambda_layer import Lambda
from .layer import Layer
from .masking import Masking
from .merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from .naming import clear_session
from .normalization import Normalization
from .pooling import (
    AveragePooling1D,
    AveragePooling2D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    MaxPooling1D,
    MaxPooling2D,
)
from .regularization import ActivityRegularization, Dropout, GaussianNoise
from .rescaling import Rescaling
from .reshaping import Flatten, Permute, RepeatVector, Reshape
from .spatial_dropout import SpatialDropout1D, SpatialDropout2D
from .upsampling import UpSampling1D, UpSampling2D
from .zero_padding import ZeroPadding1D, ZeroPadding2D

GlobalAvgPool1D = GlobalAveragePooling1D
# Keras's short aliases of the convolution and pooling layers
Convolution1D, Convolution2D, Convolution2DTranspose = Conv1D, Conv2D, Conv2DTranspose
SeparableConvolution2D = SeparableConv2D
MaxPool1D, MaxPool2D, AvgPool1D, AvgPool2D = (MaxPooling1D, MaxPooling2D, AveragePooling1D,
                                              AveragePooling2D)
GlobalMaxPool1D, GlobalMaxPool2D, GlobalAvgPool2D = (GlobalMaxPooling1D, GlobalMaxPooling2D,
                                                     GlobalAveragePooling2D)

# Loaded on first use (PEP 562), so that `import myelin` stays fast: the preprocessing
# layers (text, lookups, augmentation) and the recurrent layers. They are in __all__
# and dir(), and the saving registry finds them through dir().
__getattr__, __dir__ = lazy_attributes(__name__, {
    "CategoryEncoding": ".preprocessing:CategoryEncoding",
    "Hashing": ".preprocessing:Hashing",
    "IntegerLookup": ".preprocessing:IntegerLookup",
    "RandomContrast": ".preprocessing:RandomContrast",
    "RandomCrop": ".preprocessing:RandomCrop",
    "RandomFlip": ".preprocessing:RandomFlip",
    "RandomRotation": ".preprocessing:RandomRotation",
    "RandomTranslation": ".preprocessing:RandomTranslation",
    "RandomZoom": ".preprocessing:RandomZoom",
    "StringLookup": ".preprocessing:StringLookup",
    "TextVectorization": ".preprocessing:TextVectorization",
    "GRU": ".recurrent:GRU",
    "LSTM": ".recurrent:LSTM",
    "RNN": ".recurrent:RNN",
    "Bidirectional": ".recurrent:Bidirectional",
    "GRUCell": ".recurrent:GRUCell",
    "LSTMCell": ".recurrent:LSTMCell",
    "SimpleRNN": ".recurrent:SimpleRNN",
    "SimpleRNNCell": ".recurrent:SimpleRNNCell",
    "TimeDistributed": ".recurrent:TimeDistributed",
})


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
    "Activation",
    "ActivityRegularization",
    "Add",
    "add",
    "Average",
    "average",
    "AveragePooling1D",
    "AveragePooling2D",
    "AvgPool1D",
    "AvgPool2D",
    "BatchNormalization",
    "Bidirectional",
    "CategoryEncoding",
    "clear_session",
    "Concatenate",
    "concatenate",
    "Conv1D",
    "Conv2D",
    "Conv2DTranspose",
    "Convolution1D",
    "Convolution2D",
    "Convolution2DTranspose",
    "Cropping1D",
    "Cropping2D",
    "Dense",
    "DepthwiseConv2D",
    "deserialize",
    "Dot",
    "dot",
    "Dropout",
    "ELU",
    "Embedding",
    "Flatten",
    "GaussianNoise",
    "GlobalAveragePooling1D",
    "GlobalAveragePooling2D",
    "GlobalAvgPool1D",
    "GlobalAvgPool2D",
    "GlobalMaxPool1D",
    "GlobalMaxPool2D",
    "GlobalMaxPooling1D",
    "GlobalMaxPooling2D",
    "GRU",
    "GRUCell",
    "Hashing",
    "Input",
    "InputLayer",
    "IntegerLookup",
    "KerasTensor",
    "Lambda",
    "Layer",
    "LayerNormalization",
    "LeakyReLU",
    "LSTM",
    "LSTMCell",
    "Masking",
    "Maximum",
    "maximum",
    "MaxPool1D",
    "MaxPool2D",
    "MaxPooling1D",
    "MaxPooling2D",
    "Minimum",
    "minimum",
    "Multiply",
    "multiply",
    "Normalization",
    "Permute",
    "PReLU",
    "RandomContrast",
    "RandomCrop",
    "RandomFlip",
    "RandomRotation",
    "RandomTranslation",
    "RandomZoom",
    "ReLU",
    "RepeatVector",
    "Rescaling",
    "Reshape",
    "RNN",
    "SeparableConv2D",
    "SeparableConvolution2D",
    "serialize",
    "SimpleRNN",
    "SimpleRNNCell",
    "Softmax",
    "SpatialDropout1D",
    "SpatialDropout2D",
    "StringLookup",
    "Subtract",
    "subtract",
    "TextVectorization",
    "TimeDistributed",
    "UpSampling1D",
    "UpSampling2D",
    "ZeroPadding1D",
    "ZeroPadding2D",
]
