"""Weight constraints (Keras 3's formulas), applied by the optimizer after each update.

A constraint is a callable from a weight Tensor to its projected value; pass it to a
layer as ``kernel_constraint=`` / ``bias_constraint=``. Norms are taken along
``axis`` (default 0: for a Dense kernel ``(input_dim, units)``, the incoming weight
vector of each unit), with Keras's ``epsilon`` 1e-7 in the denominator.
"""

from numbers import Real

import numpy as np

from ..autodiff import Tensor, as_array

_EPSILON = 1e-7  # Keras's backend.epsilon()


def _number(value, name, cls, low=0.0, high=None):
    ok = not isinstance(value, bool) and isinstance(value, Real) and value >= low
    if ok and high is not None:
        ok = value <= high
    if not ok:
        span = f"in [{low}, {high}]" if high is not None else f">= {low}"
        raise ValueError(f"{cls}: `{name}` must be a number {span}, received {value!r}.")
    return value


def _axis(axis, cls):
    items = axis if isinstance(axis, (list, tuple)) else [axis]
    if not items or any(isinstance(a, bool) or not isinstance(a, (int, np.integer))
                        for a in items):
        raise ValueError(f"{cls}: `axis` must be an int or a list of ints, received {axis!r}.")
    return list(int(a) for a in axis) if isinstance(axis, (list, tuple)) else int(axis)


def _norms(w, axis):
    return np.sqrt(np.sum(np.square(w), axis=tuple(np.atleast_1d(axis)), keepdims=True))


class Constraint:
    """Base class of constraints: subclasses implement ``__call__(w)``.

    Example:
        >>> Constraint()(myelin.constant([1.0])).numpy()
        array([1.], dtype=float32)
    """

    def __call__(self, w):
        """The projected weights (the base class returns them unchanged)."""
        return w

    def get_config(self):
        """The constructor arguments, as a JSON-ready dict."""
        return {}

    @classmethod
    def from_config(cls, config):
        """Rebuild the constraint from ``get_config()``'s dict."""
        return cls(**config)


class MaxNorm(Constraint):
    """Rescales each weight vector whose L2 norm exceeds ``max_value`` down to it:
    ``w * clip(norm, 0, max_value) / (epsilon + norm)``.

    Args:
        max_value: the largest norm allowed (default 2).
        axis: the axis (or axes) the norm is taken over (default 0).

    Example:
        >>> MaxNorm(1.0)(myelin.constant([[3.0], [4.0]])).numpy().ravel()
        array([0.6, 0.8], dtype=float32)
    """

    def __init__(self, max_value=2, axis=0):
        self.max_value = _number(max_value, "max_value", "MaxNorm")
        self.axis = _axis(axis, "MaxNorm")

    def __call__(self, w):
        w = as_array(w, where="MaxNorm")
        norms = _norms(w, self.axis)
        desired = np.clip(norms, 0, self.max_value)
        return Tensor((w * (desired / (_EPSILON + norms))).astype(w.dtype))

    def get_config(self):
        return {"max_value": self.max_value, "axis": self.axis}


class MinMaxNorm(Constraint):
    """Moves each weight vector's norm into ``[min_value, max_value]``:
    ``desired = rate * clip(norm, min_value, max_value) + (1 - rate) * norm``, then
    ``w * desired / (epsilon + norm)``.

    Args:
        min_value: the smallest norm (default 0.0).
        max_value: the largest norm (default 1.0).
        rate: in [0, 1]; 1.0 enforces the bounds strictly, less moves towards them.
        axis: the axis (or axes) the norm is taken over (default 0).

    Example:
        >>> MinMaxNorm(1.0, 2.0)(myelin.constant([[0.3], [0.4]])).numpy().ravel()
        array([0.6, 0.8], dtype=float32)
    """

    def __init__(self, min_value=0.0, max_value=1.0, rate=1.0, axis=0):
        self.min_value = _number(min_value, "min_value", "MinMaxNorm")
        self.max_value = _number(max_value, "max_value", "MinMaxNorm", low=self.min_value)
        self.rate = _number(rate, "rate", "MinMaxNorm", high=1.0)
        self.axis = _axis(axis, "MinMaxNorm")

    def __call__(self, w):
        w = as_array(w, where="MinMaxNorm")
        norms = _norms(w, self.axis)
        desired = (self.rate * np.clip(norms, self.min_value, self.max_value)
                   + (1 - self.rate) * norms)
        return Tensor((w * (desired / (_EPSILON + norms))).astype(w.dtype))

    def get_config(self):
        return {"min_value": self.min_value, "max_value": self.max_value,
                "rate": self.rate, "axis": self.axis}


class NonNeg(Constraint):
    """Sets negative weights to zero: ``max(w, 0)``.

    Example:
        >>> NonNeg()(myelin.constant([-1.0, 2.0])).numpy()
        array([0., 2.], dtype=float32)
    """

    def __call__(self, w):
        return Tensor(np.maximum(as_array(w, where="NonNeg"), 0))


class UnitNorm(Constraint):
    """Scales each weight vector to unit L2 norm: ``w / (epsilon + norm)``.

    Args:
        axis: the axis (or axes) the norm is taken over (default 0).

    Example:
        >>> UnitNorm()(myelin.constant([[3.0], [4.0]])).numpy().ravel()
        array([0.6, 0.8], dtype=float32)
    """

    def __init__(self, axis=0):
        self.axis = _axis(axis, "UnitNorm")

    def __call__(self, w):
        w = as_array(w, where="UnitNorm")
        return Tensor((w / (_EPSILON + _norms(w, self.axis))).astype(w.dtype))

    def get_config(self):
        return {"axis": self.axis}
