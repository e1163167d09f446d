"""Merge layers: combine a list of inputs into one (Keras 3's ``layers.merging``).

``Add``, ``Subtract``, ``Multiply``, ``Average``, ``Maximum`` and ``Minimum`` work
elementwise with broadcasting (an input of lower rank gets axes of size 1 after the
batch axis, as Keras); ``Concatenate`` joins along an axis; ``Dot`` takes per-sample
dot products. Each lower-case function (``layers.add([a, b])``) creates the layer and
calls it.
"""

from functools import reduce

import numpy as np

from .. import ops
from ..ops.batch_dot import batch_dot
from ..ops.shape import expand_dims
from .layer import Layer, is_shape_list


def _broadcast_shapes(a, b, where):
    """Keras's shape rule for an elementwise op on two sample shapes (None = unknown)."""
    if len(a) < len(b):
        a, b = b, a
    out = list(a[:len(a) - len(b)])
    for i, j in zip(a[len(a) - len(b):], b, strict=True):
        if i is None or j is None:
            out.append(None)
        elif i == 1 or j == 1 or i == j:
            out.append(j if i == 1 else i)
        else:
            raise ValueError(f"{where}: inputs have incompatible shapes {tuple(a)} and "
                             f"{tuple(b)}: each axis must match or be 1.")
    return tuple(out)


class Merge(Layer):
    """Base class of the elementwise merge layers (subclasses give ``_merge``).

    Args:
        **kwargs: standard layer arguments (``name``, ``dtype``...).
    """

    _takes_list = True
    supports_masking = True
    _exact_inputs = None  # a fixed number of inputs (Subtract: 2)

    def _where(self):
        return f"{type(self).__name__} layer '{self.name}'"

    def _check_shapes(self, input_shape):
        where = self._where()
        if not is_shape_list(input_shape):
            raise ValueError(f"{where} should be called on a list of inputs, received "
                             f"input_shape={input_shape}.")
        if self._exact_inputs is not None and len(input_shape) != self._exact_inputs:
            raise ValueError(f"{where} should be called on exactly {self._exact_inputs} "
                             f"inputs, received {len(input_shape)}.")
        batch_sizes = {s[0] for s in input_shape if s} - {None}
        if len(batch_sizes) > 1:
            raise ValueError(f"{where}: cannot merge tensors with different batch sizes, "
                             f"received shapes {[tuple(s) for s in input_shape]}.")
        return batch_sizes

    def build(self, input_shape):
        self.compute_output_shape(input_shape)

    def compute_output_shape(self, input_shape):
        batch_sizes = self._check_shapes(input_shape)
        samples = [tuple(s[1:]) for s in input_shape]
        out = reduce(lambda a, b: _broadcast_shapes(a, b, self._where()), samples)
        return (batch_sizes.pop() if batch_sizes else None,) + out

    def call(self, inputs):
        if not isinstance(inputs, list):
            raise ValueError(f"{self._where()} should be called on a list of inputs, "
                             f"received one tensor of shape {inputs.shape}.")
        self._check_shapes([t.shape for t in inputs])
        rank = max(t.ndim for t in inputs)
        inputs = [self._expanded(t, rank) for t in inputs]
        return self._merge(inputs)

    @staticmethod
    def _expanded(t, rank):
        for _ in range(rank - t.ndim):
            t = expand_dims(t, 1)
        return t

    def _merge(self, inputs):
        raise NotImplementedError

    def compute_mask(self, inputs, mask=None):
        """The OR of the inputs' masks when every input has one, else None."""
        if mask is None or any(m is None for m in mask):
            return None
        return reduce(lambda a, b: a | b, mask)


class Add(Merge):
    """Adds a list of inputs elementwise.

    Example:
        >>> Add()([np.ones((2, 3)), np.ones((2, 3))]).numpy()[0]
        array([2., 2., 2.], dtype=float32)
    """

    def _merge(self, inputs):
        return reduce(ops.add, inputs)


class Subtract(Merge):
    """Subtracts the second input from the first: ``inputs[0] - inputs[1]``.

    Example:
        >>> Subtract()([np.ones((1, 2)), np.ones((1, 2))]).numpy()
        array([[0., 0.]], dtype=float32)
    """

    _exact_inputs = 2

    def _merge(self, inputs):
        return ops.subtract(inputs[0], inputs[1])


class Multiply(Merge):
    """Multiplies a list of inputs elementwise.

    Example:
        >>> Multiply()([np.full((1, 2), 2.0), np.full((1, 2), 3.0)]).numpy()
        array([[6., 6.]], dtype=float32)
    """

    def _merge(self, inputs):
        return reduce(ops.multiply, inputs)


class Average(Merge):
    """The elementwise mean of a list of inputs.

    Example:
        >>> Average()([np.zeros((1, 2)), np.full((1, 2), 4.0)]).numpy()
        array([[2., 2.]], dtype=float32)
    """

    def _merge(self, inputs):
        return ops.divide(reduce(ops.add, inputs), float(len(inputs)))


class Maximum(Merge):
    """The elementwise maximum of a list of inputs.

    Example:
        >>> Maximum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).numpy()
        array([[3., 5.]], dtype=float32)
    """

    def _merge(self, inputs):
        return reduce(ops.maximum, inputs)


class Minimum(Merge):
    """The elementwise minimum of a list of inputs.

    Example:
        >>> Minimum()([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).numpy()
        array([[1., 2.]], dtype=float32)
    """

    def _merge(self, inputs):
        return reduce(ops.minimum, inputs)


class Concatenate(Merge):
    """Joins a list of inputs along ``axis``; every other axis must match.

    Args:
        axis: the axis to join along (default -1, the features).

    Example:
        >>> Concatenate()([np.ones((2, 3)), np.zeros((2, 4))]).shape
        (2, 7)
    """

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        if isinstance(axis, bool) or not isinstance(axis, int):
            raise TypeError(f"Concatenate layer '{self.name}': `axis` must be an int, "
                            f"received {axis!r}.")
        self.axis = axis

    def compute_output_shape(self, input_shape):
        self._check_shapes(input_shape)
        where = self._where()
        rank = len(input_shape[0])
        if any(len(s) != rank for s in input_shape) or not -rank <= self.axis < rank:
            raise ValueError(f"{where}: inputs must have one rank that includes axis "
                             f"{self.axis}, received shapes "
                             f"{[tuple(s) for s in input_shape]}.")
        axis = self.axis % rank
        out = list(input_shape[0])
        for shape in input_shape[1:]:
            for i, (a, b) in enumerate(zip(out, shape, strict=True)):
                if i == axis:
                    out[i] = None if a is None or b is None else a + b
                elif a is not None and b is not None and a != b:
                    raise ValueError(
                        f"{where} requires inputs with matching shapes except for the "
                        f"concatenation axis {self.axis}, received shapes "
                        f"{[tuple(s) for s in input_shape]}.")
        return tuple(out)

    def call(self, inputs):
        if not isinstance(inputs, list):
            raise ValueError(f"{self._where()} should be called on a list of inputs, "
                             f"received one tensor of shape {inputs.shape}.")
        self.compute_output_shape([t.shape for t in inputs])
        return ops.concat(inputs, axis=self.axis)

    def compute_mask(self, inputs, mask=None):
        """Keras's rule: the masks (all-True for an input without one) joined along
        ``axis``, then any() over the last axis."""
        if mask is None or all(m is None for m in mask):
            return None
        full = []
        for t, m in zip(inputs, mask, strict=True):
            if m is None:
                m = np.ones(t.shape, dtype=bool)
            elif np.ndim(m) < t.ndim:
                m = np.broadcast_to(np.expand_dims(m, -1), t.shape)
            full.append(m)
        return np.concatenate(full, axis=self.axis).any(axis=-1)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}


def _l2_normalize(x, axis):
    """Keras's ``normalize(x, axis)``: ``x / sqrt(max(sum(x**2), epsilon**2))``."""
    squares = ops.reduce_sum(ops.square(x), axis=axis, keepdims=True)
    return ops.divide(x, ops.sqrt(ops.maximum(squares, 1e-14)))


class Dot(Merge):
    """The per-sample dot product of two inputs along the given axes.

    Args:
        axes: an int (the same axis of both inputs) or two ints, one per input; the
            batch axis 0 cannot be included, and the two axes must have one size.
        normalize: L2-normalize both inputs along their axis first, so the output is
            the cosine similarity of the samples.

    Example:
        >>> Dot(axes=1)([np.ones((2, 3)), np.ones((2, 3))]).numpy()
        array([[3.], [3.]], dtype=float32)
    """

    _exact_inputs = 2

    def __init__(self, axes, normalize=False, **kwargs):
        super().__init__(**kwargs)
        pair = axes if isinstance(axes, (list, tuple)) else None
        valid = (pair is None and isinstance(axes, int) and not isinstance(axes, bool)) or (
            pair is not None and len(pair) == 2
            and all(isinstance(a, int) and not isinstance(a, bool) for a in pair))
        if not valid:
            raise ValueError(f"Dot layer '{self.name}': `axes` must be an int or a list of "
                             f"two ints, received axes={axes!r}.")
        self.axes = list(axes) if pair is not None else axes
        self.normalize = bool(normalize)

    def _axes_for(self, rank1, rank2):
        axes = [self.axes, self.axes] if isinstance(self.axes, int) else self.axes
        return [axes[0] % rank1 if axes[0] < 0 else axes[0],
                axes[1] % rank2 if axes[1] < 0 else axes[1]]

    def compute_output_shape(self, input_shape):
        self._check_shapes(input_shape)
        shape1, shape2 = list(input_shape[0]), list(input_shape[1])
        where = self._where()
        if min(len(shape1), len(shape2)) < 2:  # also keeps `axis % rank` off rank 0
            raise ValueError(f"{where} expects inputs of rank >= 2 (batch, ...), received "
                             f"shapes {tuple(shape1)} and {tuple(shape2)}.")
        a1, a2 = self._axes_for(len(shape1), len(shape2))
        if not (0 < a1 < len(shape1) and 0 < a2 < len(shape2)):
            raise ValueError(f"{where}: axes {self.axes} do not fit inputs of shapes "
                             f"{tuple(shape1)} and {tuple(shape2)} (axis 0, the batch, "
                             f"cannot be contracted).")
        if None not in (shape1[a1], shape2[a2]) and shape1[a1] != shape2[a2]:
            raise ValueError(f"{where}: incompatible input shapes: axis values {shape1[a1]} "
                             f"(at axis {a1}) != {shape2[a2]} (at axis {a2}). Full input "
                             f"shapes: {tuple(shape1)}, {tuple(shape2)}.")
        shape1.pop(a1)
        shape2.pop(a2)
        out = shape1 + shape2[1:]
        return tuple(out + [1] if len(out) == 1 else out)

    def call(self, inputs):
        if not isinstance(inputs, list):
            raise ValueError(f"{self._where()} should be called on a list of 2 inputs, "
                             f"received one tensor of shape {inputs.shape}.")
        self.compute_output_shape([t.shape for t in inputs])
        x1, x2 = inputs
        a1, a2 = self._axes_for(x1.ndim, x2.ndim)
        if self.normalize:
            x1, x2 = _l2_normalize(x1, a1), _l2_normalize(x2, a2)
        return batch_dot(x1, x2, (a1, a2))

    def compute_mask(self, inputs, mask=None):
        return None

    def get_config(self):
        return {**super().get_config(), "axes": self.axes, "normalize": self.normalize}


def add(inputs, **kwargs):
    """``Add(**kwargs)(inputs)``: the elementwise sum of a list of inputs.

    Example:
        >>> add([np.ones((1, 2)), np.ones((1, 2))]).numpy()
        array([[2., 2.]], dtype=float32)
    """
    return Add(**kwargs)(inputs)


def subtract(inputs, **kwargs):
    """``Subtract(**kwargs)(inputs)``: ``inputs[0] - inputs[1]``.

    Example:
        >>> subtract([np.ones((1, 2)), np.ones((1, 2))]).numpy()
        array([[0., 0.]], dtype=float32)
    """
    return Subtract(**kwargs)(inputs)


def multiply(inputs, **kwargs):
    """``Multiply(**kwargs)(inputs)``: the elementwise product of a list of inputs.

    Example:
        >>> multiply([np.full((1, 2), 2.0), np.full((1, 2), 3.0)]).numpy()
        array([[6., 6.]], dtype=float32)
    """
    return Multiply(**kwargs)(inputs)


def average(inputs, **kwargs):
    """``Average(**kwargs)(inputs)``: the elementwise mean of a list of inputs.

    Example:
        >>> average([np.zeros((1, 2)), np.full((1, 2), 4.0)]).numpy()
        array([[2., 2.]], dtype=float32)
    """
    return Average(**kwargs)(inputs)


def maximum(inputs, **kwargs):
    """``Maximum(**kwargs)(inputs)``: the elementwise maximum of a list of inputs.

    Example:
        >>> maximum([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).numpy()
        array([[3., 5.]], dtype=float32)
    """
    return Maximum(**kwargs)(inputs)


def minimum(inputs, **kwargs):
    """``Minimum(**kwargs)(inputs)``: the elementwise minimum of a list of inputs.

    Example:
        >>> minimum([np.array([[1.0, 5.0]]), np.array([[3.0, 2.0]])]).numpy()
        array([[1., 2.]], dtype=float32)
    """
    return Minimum(**kwargs)(inputs)


def concatenate(inputs, axis=-1, **kwargs):
    """``Concatenate(axis, **kwargs)(inputs)``: join a list of inputs along ``axis``.

    Example:
        >>> concatenate([np.ones((2, 3)), np.zeros((2, 4))]).shape
        (2, 7)
    """
    return Concatenate(axis=axis, **kwargs)(inputs)


def dot(inputs, axes=-1, **kwargs):
    """``Dot(axes, **kwargs)(inputs)``: per-sample dot products (``normalize=`` as Dot).

    Example:
        >>> dot([np.ones((2, 3)), np.ones((2, 3))], axes=1).numpy()
        array([[3.], [3.]], dtype=float32)
    """
    return Dot(axes=axes, **kwargs)(inputs)
