"""The autodiff core: Tensor/Variable, Function, and GradientTape."""

from .function import Function
from .tape import GradientTape, no_grad, stop_gradient
from .tensor import Tensor, Variable, as_array, constant, convert_to_tensor

__all__ = [
    "Function", "GradientTape", "Tensor", "Variable", "as_array", "constant",
    "convert_to_tensor", "no_grad", "stop_gradient",
]
