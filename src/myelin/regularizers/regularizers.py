"""Weight and activity penalties (Keras 3's formulas): ``l1 * sum(|x|)``, ``l2 * sum(x**2)``.

A regularizer is a callable from a Tensor to a scalar Tensor. Passed to a layer as
``kernel_regularizer=`` / ``bias_regularizer=`` it penalizes that weight (the penalty
is differentiable and joins the training loss); as ``activity_regularizer=`` it
penalizes the layer's output, divided by the batch size.
"""

import math
from numbers import Real

from .. import ops
from ..autodiff import convert_to_tensor


def _factor(value, name, cls):
    """A non-negative finite float, else Keras's ValueError naming the argument."""
    if (isinstance(value, bool) or not isinstance(value, Real) or math.isinf(value)
            or math.isnan(value) or value < 0):
        raise ValueError(f"{cls}: invalid value for argument {name}: expected a non-negative "
                         f"float. Received: {name}={value!r}")
    return float(value)


class Regularizer:
    """Base class of regularizers: subclasses implement ``__call__(x)`` and ``get_config``.

    Example:
        >>> class Scaled(Regularizer):
        ...     def __call__(self, x):
        ...         return 0.5 * myelin.reduce_sum(x)
        ...     def get_config(self):
        ...         return {}
    """

    def __call__(self, x):
        """The penalty for tensor ``x`` (a scalar Tensor)."""
        return convert_to_tensor(0.0)

    def get_config(self):
        """The constructor arguments, as a JSON-ready dict."""
        raise NotImplementedError(f"{type(self).__name__} does not implement get_config().")

    @classmethod
    def from_config(cls, config):
        """Rebuild the regularizer from ``get_config()``'s dict."""
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"


def _l1_term(x, factor):
    return ops.multiply(ops.reduce_sum(ops.abs(x)), factor)


def _l2_term(x, factor):
    return ops.multiply(ops.reduce_sum(ops.square(x)), factor)


class L1L2(Regularizer):
    """Both penalties: ``l1 * sum(|x|) + l2 * sum(x**2)``.

    Args:
        l1: non-negative float (default 0.0; None means 0.0).
        l2: non-negative float (default 0.0; None means 0.0).

    Example:
        >>> float(L1L2(l1=0.1, l2=0.01)(myelin.constant([1.0, -2.0])))
        0.35
    """

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = _factor(0.0 if l1 is None else l1, "l1", "L1L2")
        self.l2 = _factor(0.0 if l2 is None else l2, "l2", "L1L2")

    def __call__(self, x):
        x = convert_to_tensor(x)
        total = ops.zeros((), dtype=x.dtype)
        if self.l1:
            total = ops.add(total, _l1_term(x, self.l1))
        if self.l2:
            total = ops.add(total, _l2_term(x, self.l2))
        return total

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """The L1 penalty ``l1 * sum(|x|)``.

    Args:
        l1: non-negative float (default 0.01; None means 0.01).

    Example:
        >>> float(L1(0.5)(myelin.constant([1.0, -2.0])))
        1.5
    """

    def __init__(self, l1=0.01):
        self.l1 = _factor(0.01 if l1 is None else l1, "l1", "L1")

    def __call__(self, x):
        return _l1_term(convert_to_tensor(x), self.l1)

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """The L2 penalty ``l2 * sum(x**2)`` (no factor 1/2, as Keras).

    Args:
        l2: non-negative float (default 0.01; None means 0.01).

    Example:
        >>> float(L2(0.5)(myelin.constant([1.0, -2.0])))
        2.5
    """

    def __init__(self, l2=0.01):
        self.l2 = _factor(0.01 if l2 is None else l2, "l2", "L2")

    def __call__(self, x):
        return _l2_term(convert_to_tensor(x), self.l2)

    def get_config(self):
        return {"l2": self.l2}
