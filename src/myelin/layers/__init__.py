"""Layers: the Layer base class and the built-in layers (Keras 3 names).

Example:
    >>> from myelin import layers
    >>> layers.Dense(10, activation="relu")
    <Dense name=dense, built=False>
"""

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
from .preprocessing import (
    RandomContrast,
    RandomCrop,
    RandomFlip,
    RandomRotation,
    RandomTranslation,
    RandomZoom,
)
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
    "AveragePooling1D", "AveragePooling2D", "AvgPool1D", "AvgPool2D", "Conv1D", "Conv2D",
    "Conv2DTranspose", "Convolution1D", "Convolution2D", "Convolution2DTranspose",
    "DepthwiseConv2D", "GlobalAvgPool2D", "GlobalAveragePooling2D", "GlobalMaxPool1D",
    "GlobalMaxPool2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D", "MaxPool1D", "MaxPool2D",
    "MaxPooling1D", "MaxPooling2D", "SeparableConv2D", "SeparableConvolution2D",
    "Activation", "Dense", "Dropout", "Embedding", "Flatten", "GlobalAvgPool1D",
    "GlobalAveragePooling1D", "Input", "InputLayer", "KerasTensor", "Layer",
    "Normalization", "Reshape", "clear_session", "deserialize", "serialize",
    # merging
    "Add", "Average", "Concatenate", "Dot", "Maximum", "Minimum", "Multiply", "Subtract",
    "add", "average", "concatenate", "dot", "maximum", "minimum", "multiply", "subtract",
    # activations, normalization, regularization, reshaping, core
    "ELU", "LeakyReLU", "PReLU", "ReLU", "Softmax", "BatchNormalization",
    "LayerNormalization", "ActivityRegularization", "GaussianNoise", "Lambda",
    "Permute", "RepeatVector", "Rescaling",
    # issue 12: image reshaping, spatial dropout and augmentation layers
    "Cropping1D", "Cropping2D", "RandomContrast", "RandomCrop", "RandomFlip",
    "RandomRotation", "RandomTranslation", "RandomZoom", "SpatialDropout1D",
    "SpatialDropout2D", "UpSampling1D", "UpSampling2D", "ZeroPadding1D", "ZeroPadding2D",
    # recurrent, masking
    "Bidirectional", "GRU", "GRUCell", "LSTM", "LSTMCell", "Masking", "RNN", "SimpleRNN",
    "SimpleRNNCell", "TimeDistributed",
]
