"""Dense (a fully connected layer: ``activation(inputs @ kernel + bias)``) and Activation."""

import numpy as np

from .. import activations, constraints, initializers, regularizers
from ..ops import fused
from .layer import Layer


def activation_name(fn):
    """The name an activation function serializes to (``None`` -> ``"linear"``)."""
    return "linear" if fn is None else getattr(fn, "__name__", type(fn).__name__)


def serialize_initializer(init):
    """A config value for an initializer argument: its name or its serialized dict."""
    if init is None or isinstance(init, str):
        return init
    if isinstance(init, initializers.Initializer):
        return initializers.serialize(init)
    return getattr(init, "__name__", repr(init))


def weight_options(layer, module, **identifiers):
    """``module.get`` of each regularizer/constraint argument, naming the layer and the
    argument in the error (for every weighted layer's constructor)."""
    out = []
    for arg, identifier in identifiers.items():
        try:
            out.append(module.get(identifier))
        except ValueError as error:
            raise ValueError(f"{type(layer).__name__} layer '{layer.name}': invalid "
                             f"`{arg}`: {error}") from None
    return out


class Dense(Layer):
    """A densely connected layer: ``output = activation(dot(inputs, kernel) + bias)``.

    Runs as one fused op (matrix product, bias and activation) when the activation
    is one of ``linear``, ``relu``, ``sigmoid``, ``tanh``, ``softmax``.

    Args:
        units: positive int, the number of outputs (neurons).
        activation: name or function (default: none, i.e. linear).
        use_bias: whether to add a bias vector.
        kernel_initializer: initializer of the ``(input_dim, units)`` kernel.
        bias_initializer: initializer of the ``(units,)`` bias.
        kernel_regularizer, bias_regularizer: penalties on the weights (e.g.
            ``regularizers.l2(0.001)``), added to the training loss.
        activity_regularizer: a penalty on the output, divided by the batch size.
        kernel_constraint, bias_constraint: projections applied after each update
            (e.g. ``constraints.MaxNorm(3)``).

    Input shape:
        ``(batch, ..., input_dim)``.

    Output shape:
        ``(batch, ..., units)``.

    Example:
        >>> layer = Dense(4, activation="relu")
        >>> layer(np.ones((2, 3))).shape
        (2, 4)
    """

    _min_ndim = 2
    _checks_features = True
    supports_masking = True  # a mask on (batch, steps, features) passes through, as Keras

    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"Dense layer '{self.name}': received an invalid value for "
                             f"`units`, expected a positive integer. Received: units={units!r}")
        self.units = int(units)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self._init_args = (kernel_initializer, bias_initializer)
        self.kernel_regularizer, self.bias_regularizer = weight_options(
            self, regularizers, kernel_regularizer=kernel_regularizer,
            bias_regularizer=bias_regularizer)
        self.kernel_constraint, self.bias_constraint = weight_options(
            self, constraints, kernel_constraint=kernel_constraint,
            bias_constraint=bias_constraint)
        fused_name = activations.fused_name(self.activation)
        # A fused activation runs inside the Dense kernel; any other one after it.
        self._fused = fused_name or "linear"
        self._after = None if fused_name else self.activation
        self.kernel = self.bias = None

    def build(self, input_shape):
        input_dim = input_shape[-1]
        if input_dim is None:
            raise ValueError(f"Dense layer '{self.name}': the last axis of the input shape "
                             f"must be known, received {tuple(input_shape)}.")
        self.kernel = self.add_weight(shape=(input_dim, self.units), name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        if self.use_bias:
            self.bias = self.add_weight(shape=(self.units,), name="bias",
                                        initializer=self.bias_initializer,
                                        regularizer=self.bias_regularizer,
                                        constraint=self.bias_constraint)

    def call(self, inputs):
        if self.bias is None:
            out = fused.dense(inputs, self.kernel, activation=self._fused)
        else:
            out = fused.dense(inputs, self.kernel, self.bias, self._fused)
        return out if self._after is None else self._after(out)

    def logits_activation(self):
        """``"softmax"``/``"sigmoid"`` when ``call`` is that function of ``call_logits``."""
        return self._fused if self._fused in ("softmax", "sigmoid") else None

    def call_logits(self, inputs):
        """The output before a fused softmax/sigmoid (for from-logits losses)."""
        if self.bias is None:
            return fused.dense(inputs, self.kernel)
        return fused.dense(inputs, self.kernel, self.bias)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activation_name(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": serialize_initializer(self._init_args[0]),
                "bias_initializer": serialize_initializer(self._init_args[1]),
                "kernel_regularizer": regularizers.serialize(self.kernel_regularizer),
                "bias_regularizer": regularizers.serialize(self.bias_regularizer),
                "kernel_constraint": constraints.serialize(self.kernel_constraint),
                "bias_constraint": constraints.serialize(self.bias_constraint)}


class Activation(Layer):
    """Applies an activation function to its input.

    Args:
        activation: a name (``"relu"``) or a function.

    Example:
        >>> Activation("relu")(np.array([[-1.0, 2.0]])).numpy()
        array([[0., 2.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)
        fused_name = activations.fused_name(self.activation)
        self._logits = fused_name if fused_name in ("softmax", "sigmoid") else None

    def call(self, inputs):
        return self.activation(inputs)

    def logits_activation(self):
        """``"softmax"``/``"sigmoid"`` when the activation is that function, else None
        (the trainer then fuses it into a from-logits cross-entropy)."""
        return self._logits

    def call_logits(self, inputs):
        """The output before the activation: ``inputs`` themselves.

        Args:
            inputs: the layer's input Tensor.

        Returns:
            ``inputs``.
        """
        return inputs

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": activation_name(self.activation)}
