"""Activation layers with parameters (Keras 3): Softmax, ReLU, LeakyReLU, ELU, PReLU.

Each is an activation function held as a layer, so it can sit in a Sequential after
a linear layer (``Sequential([model, Softmax()])``) and keep its parameters in the
saved config; PReLU learns its negative slope.
"""

from numbers import Real

from .. import activations, constraints, initializers, ops, regularizers
from ..ops.activation import Softmax as _SoftmaxOp
from .core import serialize_initializer, weight_options
from .layer import Layer


def _non_negative(layer, value, name, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, Real) or not value >= 0:
        raise ValueError(f"{type(layer).__name__} layer '{layer.name}': `{name}` must be a "
                         f"non-negative number, received {name}={value!r}.")
    return float(value)


class _Elementwise(Layer):
    """An activation layer: same shape out, masks pass through."""

    supports_masking = True

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)


class Softmax(_Elementwise):
    """Softmax over ``axis``: ``exp(x) / sum(exp(x))``.

    Args:
        axis: an int or a list of ints (default -1): the axes the probabilities sum
            to 1 over.

    Example:
        >>> Softmax()(np.array([[0.0, 0.0]])).numpy()
        array([[0.5, 0.5]], dtype=float32)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        axes = axis if isinstance(axis, (list, tuple)) else [axis]
        if not axes or any(isinstance(a, bool) or not isinstance(a, int) for a in axes):
            raise ValueError(f"Softmax layer '{self.name}': `axis` must be an int or a list "
                             f"of ints, received axis={axis!r}.")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis

    def _axes(self, ndim):
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        if any(not -ndim <= a < ndim for a in axes):
            raise ValueError(f"Softmax layer '{self.name}': axis {self.axis} is out of range "
                             f"for inputs of rank {ndim}.")
        return tuple(sorted(a % ndim for a in axes))

    def build(self, input_shape):
        self._axes(len(input_shape))

    def call(self, inputs):
        return _SoftmaxOp.apply(inputs, axis=self._axes(inputs.ndim))

    def logits_activation(self):
        """The trainer may fuse a last-axis softmax into a cross-entropy loss."""
        return "softmax" if self.axis in (-1, [-1]) else None

    def call_logits(self, inputs):
        """The output before the softmax: ``inputs`` themselves.

        Args:
            inputs: the layer's input Tensor.

        Returns:
            ``inputs``.
        """
        return inputs

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


class ReLU(_Elementwise):
    """Rectified linear unit with Keras's variations:
    ``max_value`` for ``x >= max_value``, ``x`` for ``threshold < x < max_value``,
    ``negative_slope * (x - threshold)`` otherwise.

    Args:
        max_value: non-negative float, the saturation value (default None: none).
        negative_slope: non-negative float, the slope below the threshold (default 0).
        threshold: non-negative float, the value below which the slope applies.

    Example:
        >>> ReLU(max_value=1.0)(np.array([[-1.0, 0.5, 3.0]])).numpy()
        array([[0. , 0.5, 1. ]], dtype=float32)
    """

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        self.max_value = _non_negative(self, max_value, "max_value", allow_none=True)
        self.negative_slope = _non_negative(self, negative_slope, "negative_slope")
        self.threshold = _non_negative(self, threshold, "threshold")

    def call(self, inputs):
        return activations.relu(inputs, negative_slope=self.negative_slope,
                                max_value=self.max_value, threshold=self.threshold)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class LeakyReLU(_Elementwise):
    """``x`` where positive, else ``negative_slope * x``.

    Args:
        negative_slope: non-negative float (default 0.3, Keras's layer default; the
            ``alpha`` spelling of Keras 2 is accepted too).

    Example:
        >>> LeakyReLU()(np.array([[-1.0, 2.0]])).numpy()
        array([[-0.3,  2. ]], dtype=float32)
    """

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:  # Keras 2's name, deprecated in Keras 3 but still accepted
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        self.negative_slope = _non_negative(self, negative_slope, "negative_slope")

    def call(self, inputs):
        return activations.leaky_relu(inputs, negative_slope=self.negative_slope)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ELU(_Elementwise):
    """Exponential linear unit: ``x`` where positive, else ``alpha * (exp(x) - 1)``.

    Args:
        alpha: float, the scale of the negative part (default 1.0).

    Example:
        >>> ELU()(np.array([[0.0, 2.0]])).numpy()
        array([[0., 2.]], dtype=float32)
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(alpha, bool) or not isinstance(alpha, Real):
            raise ValueError(f"ELU layer '{self.name}': `alpha` must be a number, received "
                             f"alpha={alpha!r}.")
        self.alpha = float(alpha)

    def call(self, inputs):
        return activations.elu(inputs, alpha=self.alpha)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}


class PReLU(_Elementwise):
    """Parametric ReLU: ``x`` where positive, else ``alpha * x`` with a learned ``alpha``
    per input element (shared along ``shared_axes``).

    Args:
        alpha_initializer: initializer of ``alpha`` (default zeros).
        alpha_regularizer: penalty on ``alpha``.
        alpha_constraint: projection of ``alpha`` after each update.
        shared_axes: axes (counted with the batch axis as 0) along which one ``alpha``
            is shared, e.g. ``[1, 2]`` for one slope per channel of an image.

    Example:
        >>> PReLU(alpha_initializer="ones")(np.array([[-2.0, 3.0]])).numpy()
        array([[-2.,  3.]], dtype=float32)
    """

    def __init__(self, alpha_initializer="zeros", alpha_regularizer=None,
                 alpha_constraint=None, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.alpha_regularizer, = weight_options(self, regularizers,
                                                 alpha_regularizer=alpha_regularizer)
        self.alpha_constraint, = weight_options(self, constraints,
                                                alpha_constraint=alpha_constraint)
        axes = [] if shared_axes is None else (
            list(shared_axes) if isinstance(shared_axes, (list, tuple)) else [shared_axes])
        if any(isinstance(a, bool) or not isinstance(a, int) or a < 1 for a in axes):
            raise ValueError(f"PReLU layer '{self.name}': `shared_axes` must be axes >= 1 "
                             f"(axis 0 is the batch), received shared_axes={shared_axes!r}.")
        self.shared_axes = axes or None
        self.alpha = None

    def build(self, input_shape):
        shape = list(input_shape[1:])
        for axis in self.shared_axes or ():
            if axis >= len(input_shape):
                raise ValueError(f"PReLU layer '{self.name}': shared axis {axis} is out of "
                                 f"range for inputs of shape {tuple(input_shape)}.")
            shape[axis - 1] = 1
        if any(d is None for d in shape):
            raise ValueError(f"PReLU layer '{self.name}': every non-shared axis must have a "
                             f"known size, received inputs of shape {tuple(input_shape)}.")
        self._min_ndim = self._ndim = len(input_shape)  # later calls: same rank ...
        self._checks_features = len(input_shape) - 1 not in (self.shared_axes or ())
        self.alpha = self.add_weight(shape=tuple(shape), name="alpha",
                                     initializer=self.alpha_initializer,
                                     regularizer=self.alpha_regularizer,
                                     constraint=self.alpha_constraint)

    def call(self, inputs):
        positive = activations.relu(inputs)
        return ops.subtract(positive, ops.multiply(self.alpha, activations.relu(-inputs)))

    def get_config(self):
        return {**super().get_config(),
                "alpha_initializer": serialize_initializer(self.alpha_initializer),
                "alpha_regularizer": regularizers.serialize(self.alpha_regularizer),
                "alpha_constraint": constraints.serialize(self.alpha_constraint),
                "shared_axes": self.shared_axes}
