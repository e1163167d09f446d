"""Models: Sequential, Model (for subclassing) and the classic Perceptron.

Example:
    >>> from myelin.models import Sequential
    >>> from myelin.layers import Dense
    >>> model = Sequential([Dense(1, input_shape=(1,))])
"""

from ..saving import load_model
from .functional import Functional
from .model import Model
from .perceptron import Perceptron
from .sequential import Sequential

__all__ = ["Functional", "Model", "Perceptron", "Sequential", "load_model"]
