"""Pooling layers: windowed max/average (1-D, 2-D) and global pooling (Keras 3 names)."""

from .average_pooling import AveragePooling1D, AveragePooling2D
from .global_average_pooling1d import GlobalAveragePooling1D
from .global_pooling import GlobalAveragePooling2D, GlobalMaxPooling1D, GlobalMaxPooling2D
from .max_pooling import MaxPooling1D, MaxPooling2D

__all__ = ["AveragePooling1D", "AveragePooling2D", "GlobalAveragePooling1D",
           "GlobalAveragePooling2D", "GlobalMaxPooling1D", "GlobalMaxPooling2D",
           "MaxPooling1D", "MaxPooling2D"]
