"""Convolution layers: one shared ``BaseConv`` and a short file per variant (as Keras)."""

from .base_conv import BaseConv
from .conv1d import Conv1D
from .conv2d import Conv2D
from .conv2d_transpose import Conv2DTranspose
from .depthwise_conv2d import DepthwiseConv2D
from .separable_conv2d import SeparableConv2D

__all__ = ["BaseConv", "Conv1D", "Conv2D", "Conv2DTranspose", "DepthwiseConv2D",
           "SeparableConv2D"]
