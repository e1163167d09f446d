"""Lambda: wraps a Python function as a layer (runs in models, never saved)."""

import inspect

import numpy as np

from ..autodiff import Tensor, no_grad
from .layer import Layer, is_shape_list


class Lambda(Layer):
    """Runs ``function(inputs, **arguments)`` as a layer.

    A Lambda works in models (``fit``, ``predict``, nested calls) but cannot be saved:
    a myelin model file holds configuration and weights, never code, so that loading
    a file can never run code from it. To save a model with custom computation,
    write a ``Layer`` subclass with ``call`` and ``get_config`` and decorate it with
    ``@myelin.saving.register_serializable()``.

    Args:
        function: a callable of the input Tensor (or list of Tensors); it may take
            ``mask=`` and ``training=`` arguments.
        output_shape: the output shape without the batch axis, or a function of the
            input shape; when omitted, it is found by running ``function`` on zeros.
        mask: a fixed mask, or a function ``f(inputs, mask)`` computing it.
        arguments: optional dict of keyword arguments passed to ``function``.

    Example:
        >>> Lambda(lambda x: x * 2)(np.ones((1, 2))).numpy()
        array([[2., 2.]], dtype=float32)
    """

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        super().__init__(**kwargs)
        if not callable(function):
            raise TypeError(f"Lambda layer '{self.name}': `function` must be callable, "
                            f"received {function!r} of type {type(function).__name__}.")
        if arguments is not None and not isinstance(arguments, dict):
            raise TypeError(f"Lambda layer '{self.name}': `arguments` must be a dict of "
                            f"keyword arguments, received {arguments!r}.")
        self.function = function
        self.arguments = dict(arguments or {})
        self.mask = mask
        self.supports_masking = mask is not None
        self._output_shape = output_shape
        try:
            params = inspect.signature(function).parameters
        except (TypeError, ValueError):  # some builtins have no signature
            params = {}
        self._fn_training = "training" in params
        self._fn_mask = "mask" in params

    def call(self, inputs, mask=None, training=None):
        kwargs = dict(self.arguments)
        if self._fn_mask:
            kwargs["mask"] = mask
        if self._fn_training:
            kwargs["training"] = training
        return self.function(inputs, **kwargs)

    def compute_output_shape(self, input_shape):
        batch = input_shape[0][0] if is_shape_list(input_shape) else input_shape[0]
        if callable(self._output_shape):
            return tuple(self._output_shape(input_shape))
        if self._output_shape is not None:
            return (batch,) + tuple(self._output_shape)
        shapes = input_shape if is_shape_list(input_shape) else [input_shape]
        zeros = [Tensor(np.zeros(tuple(1 if d is None else d for d in s), dtype=self._dtype))
                 for s in shapes]
        with no_grad():
            out = self.call(zeros if is_shape_list(input_shape) else zeros[0])
        return (batch,) + tuple(np.shape(out)[1:])

    def compute_mask(self, inputs, mask=None):
        return self.mask(inputs, mask) if callable(self.mask) else self.mask

    def get_config(self):
        raise ValueError(
            f"Lambda layer '{self.name}' cannot be saved: a myelin model file holds "
            f"configuration and weights, never Python code, so that loading a file cannot "
            f"run code from it. Replace the Lambda with a Layer subclass that implements "
            f"call() and get_config(), decorated with "
            f"@myelin.saving.register_serializable(), and save again.")
