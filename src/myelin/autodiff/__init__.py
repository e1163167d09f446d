"""The autodiff core: Tensor/Variable, Function, and GradientTape; higher-order,
forward-mode and custom gradients on top (TF's ``tf.autodiff`` names are here too)."""

from .custom_gradient import custom_gradient, recompute_grad
from .forward_mode import ForwardAccumulator
from .function import Function
from .jacobian import hessians
from .tape import GradientTape, UnconnectedGradients, no_grad, stop_gradient
from .tensor import Tensor, Variable, as_array, constant, convert_to_tensor

__all__ = [
    "ForwardAccumulator", "Function", "GradientTape", "Tensor", "UnconnectedGradients",
    "Variable", "as_array", "constant", "convert_to_tensor", "custom_gradient",
    "hessians", "no_grad", "recompute_grad", "stop_gradient",
]
