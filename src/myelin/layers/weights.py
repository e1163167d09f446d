"""Weights of a layer: creating them, listing them, reading and writing their values.

``WeightsMixin`` is part of ``Layer``: ``add_weight`` creates a Variable named
``"<layer name>/<weight name>"``; ``weights`` lists a layer's own weights (trainable
ones first) and then its sublayers'; ``set_weights`` checks every shape before it
writes anything.
"""

import numpy as np

from .. import constraints, initializers, regularizers
from ..autodiff import Variable, as_array


def shape_tuple(shape, where):
    """A shape as a tuple of ints (or None for an unknown size), else a ValueError."""
    try:
        return tuple(None if d is None else int(d) for d in shape)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: expected a shape (tuple of ints or None), "
                         f"received {shape!r}.") from None


def _resolved(get, identifier, kind, where):
    """``get(identifier)`` with the layer named in the error."""
    try:
        return get(identifier)
    except ValueError as error:
        raise ValueError(f"{where}: invalid {kind}: {error}") from None


class WeightsMixin:
    """The weights half of ``Layer`` (uses its ``name``, ``_dtype``, ``_trainable``,
    ``built``, ``_sublayers()`` and the two variable lists it creates)."""

    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   name=None, regularizer=None, constraint=None):
        """Create a weight Variable named ``"<layer name>/<name>"`` and track it.

        Args:
            shape: a tuple of ints (default ``()``, a scalar).
            initializer: name, Initializer or callable ``f(shape, dtype)`` (default
                ``"glorot_uniform"`` for floats, ``"zeros"`` otherwise).
            dtype: default: the layer dtype.
            trainable: whether optimizers update it.
            name: the weight's own name, e.g. ``"kernel"``.
            regularizer: a penalty on the weight (``"l2"``, ``regularizers.L2(1e-3)``,
                a callable ``f(w) -> scalar``) that ``losses`` reports while the
                weight is trainable, so training adds it to the loss.
            constraint: a projection (``constraints.MaxNorm(3)``, a callable
                ``f(w) -> w``) the optimizer applies after each update.

        Returns:
            The new Variable (with ``.regularizer`` and ``.constraint`` set).
        """
        where = f"Layer '{self.name}'.add_weight"
        regularizer = _resolved(regularizers.get, regularizer, "regularizer", where)
        constraint = _resolved(constraints.get, constraint, "constraint", where)
        shape = () if shape is None else shape_tuple(shape, where)
        if any(d is None for d in shape):
            raise ValueError(f"{where}: every dimension must be known, received {shape}.")
        dtype = np.dtype({"int": "int64"}.get(dtype, dtype) or self._dtype)
        if initializer is None:
            initializer = "glorot_uniform" if dtype.kind == "f" else "zeros"
        value = np.asarray(initializers.get(initializer)(shape, dtype=dtype))
        if value.shape != shape:
            raise ValueError(f"{where}: the initializer returned shape {value.shape}, "
                             f"expected {shape}.")
        count = len(self._trainable_variables) + len(self._non_trainable_variables)
        variable = Variable(value, trainable=trainable and self._trainable, dtype=dtype,
                            name=f"{self.name}/{name or f'variable_{count}'}")
        variable.regularizer, variable.constraint = regularizer, constraint
        (self._trainable_variables if trainable else self._non_trainable_variables).append(
            variable)
        return variable

    @property
    def weights(self):
        """Every weight: own (trainable first), then the sublayers', without repeats."""
        out, seen = [], set()
        own = self._trainable_variables + self._non_trainable_variables
        for v in own + [w for layer in self._sublayers() for w in layer.weights]:
            if id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    @property
    def trainable_weights(self):
        """The weights ``fit`` updates (empty when the layer is frozen)."""
        return [v for v in self.weights if v.trainable] if self._trainable else []

    @property
    def non_trainable_weights(self):
        """The weights ``fit`` leaves alone (all of them when the layer is frozen)."""
        if not self._trainable:
            return self.weights
        return [v for v in self.weights if not v.trainable]

    variables = weights
    trainable_variables = trainable_weights
    non_trainable_variables = non_trainable_weights

    def get_weights(self):
        """Copies of the weights as NumPy arrays."""
        return [v.numpy() for v in self.weights]

    def set_weights(self, weights):
        """Overwrite the weights from NumPy arrays (all shapes checked before any write)."""
        targets = self.weights
        weights = list(weights)
        if len(weights) != len(targets):
            raise ValueError(
                f"Layer '{self.name}'.set_weights: expected {len(targets)} arrays "
                f"({[v.name for v in targets]}), received {len(weights)}.")
        arrays = []
        for target, value in zip(targets, weights, strict=True):
            array = as_array(value, target.dtype, where=f"Layer '{self.name}'.set_weights")
            if array.shape != target.shape:
                raise ValueError(
                    f"Layer '{self.name}'.set_weights: weight '{target.name}' has shape "
                    f"{target.shape}, received an array of shape {array.shape}.")
            arrays.append(array)
        for target, array in zip(targets, arrays, strict=True):
            target.assign(array)

    def count_params(self):
        """The number of scalars in the weights."""
        if not self.built:
            raise ValueError(
                f"You tried to call `count_params` on layer '{self.name}', but the layer "
                f"isn't built. You can build it manually via: "
                f"`{self.name}.build(batch_input_shape)`.")
        return int(sum(int(np.prod(v.shape)) for v in self.weights))
