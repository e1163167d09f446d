"""The Loss base class, reductions, and the wrapper that turns a function into a Loss.

A loss function maps ``(y_true, y_pred)`` to one value per sample; a Loss object
also weights those values and reduces them, by default to their mean
(``"sum_over_batch_size"``), exactly as Keras 3 does.
"""

import numpy as np

from .. import backend, ops
from ..autodiff import Tensor
from .shapes import squeeze_or_expand_to_same_rank

REDUCTIONS = ("sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none", None)


def predictions(y_pred):
    """``y_pred`` as a float Tensor: a Tensor keeps its place in the graph (and a float
    dtype), raw values become ``floatx()`` as in Keras."""
    if not isinstance(y_pred, Tensor):
        return Tensor(np.asarray(y_pred, dtype=backend.floatx()))
    return y_pred if y_pred.dtype.kind == "f" else ops.cast(y_pred, backend.floatx())


def labels_like(y_true, y_pred):
    """``y_true`` as a Tensor of ``y_pred``'s float dtype."""
    if isinstance(y_true, Tensor):
        return ops.cast(y_true, y_pred.dtype)
    return Tensor(np.asarray(y_true, dtype=y_pred.dtype))


def _need_last_axis(where, *values):
    # Every loss reduces over the last axis (the classes, or the per-sample mean).
    if any(value.ndim == 0 for value in values):
        shapes = " and ".join(str(tuple(value.shape)) for value in values)
        raise ValueError(
            f"{where}: needs a last axis to reduce over, received shapes {shapes} (a "
            f"scalar). Pass one row per sample: [[0.5]] rather than 0.5 for a single value.")


def numeric_predictions(y_pred, where):
    """``predictions(y_pred)`` with a last axis, or a ValueError naming the loss for text,
    objects or a scalar."""
    try:
        y_pred = predictions(y_pred)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: y_pred must be numbers (an array or Tensor), received "
                         f"{_preview(y_pred)}.") from None
    _need_last_axis(where, y_pred)
    return y_pred


def numeric_pair(y_true, y_pred, where):
    """``(labels_like(y_true, y_pred), predictions(y_pred))``, both with a last axis, or a
    ValueError naming the loss when either holds text, objects or a scalar."""
    try:
        y_pred = predictions(y_pred)
        y_true = labels_like(y_true, y_pred)
    except (TypeError, ValueError):
        raise ValueError(f"{where}: y_true and y_pred must be numbers (arrays or Tensors), "
                         f"received {_preview(y_true)} and {_preview(y_pred)}.") from None
    _need_last_axis(where, y_true, y_pred)
    return y_true, y_pred


def aligned(y_true, y_pred, where):
    """Labels and predictions of one rank (``(n,)`` against ``(n, 1)`` lines up) that
    broadcast together, or a ValueError naming the loss and both shapes."""
    y_true, y_pred = numeric_pair(y_true, y_pred, where)
    y_true, y_pred = squeeze_or_expand_to_same_rank(y_true, y_pred)
    try:
        np.broadcast_shapes(y_true.shape, y_pred.shape)
    except ValueError:
        raise ValueError(
            f"{where}: y_true of shape {y_true.shape} does not match y_pred of shape "
            f"{y_pred.shape}; expected y_true with the shape of y_pred. Check that the "
            f"labels have one column per model output."
        ) from None
    return y_true, y_pred


def _preview(value, limit=40):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def reduce_weighted_values(values, sample_weight=None, reduction="sum_over_batch_size"):
    """Weight per-sample ``values`` and reduce them as Keras's ``reduction`` says.

    ``"sum_over_batch_size"`` and ``"mean"`` divide the weighted sum by the number
    of values, ``"mean_with_sample_weight"`` by the sum of the weights, ``"sum"``
    does not divide, and ``"none"``/None returns the weighted values.
    """
    if sample_weight is not None:
        weight = labels_like(sample_weight, values)
        values, weight = squeeze_or_expand_to_same_rank(values, weight)
        values = ops.multiply(values, weight)
    if reduction in (None, "none") or values.ndim == 0 or values.shape == (0,):
        return values
    total = ops.reduce_sum(values)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        divisor = float(np.sum(np.broadcast_to(weight._data, values.shape)))
    else:
        divisor = float(values._data.size)
    return ops.divide(total, divisor) if divisor else ops.multiply(total, 0.0)


class Loss:
    """Base class: implement ``call(y_true, y_pred)`` returning per-sample losses.

    Args:
        name: the name shown in logs.
        reduction: ``"sum_over_batch_size"`` (default), ``"sum"``, ``"mean"``,
            ``"mean_with_sample_weight"``, or ``"none"``/None.
        dtype: unused compute-dtype hint kept for Keras compatibility.

    Example:
        >>> class MeanCubedError(Loss):
        ...     def call(self, y_true, y_pred):
        ...         return myelin.reduce_mean((y_pred - y_true) ** 3, axis=-1)
    """

    from_logits = False

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):
        if reduction not in REDUCTIONS:
            raise ValueError(
                f"{type(self).__name__}: reduction must be one of {REDUCTIONS}, received "
                f"{reduction!r}."
            )
        self.name = name or type(self).__name__.lower()
        self.reduction = reduction
        self.dtype = dtype

    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss (a scalar Tensor by default), differentiable in ``y_pred``."""
        values = self.call(y_true, y_pred)
        try:
            return reduce_weighted_values(values, sample_weight, self.reduction)
        except (ValueError, TypeError) as error:
            if sample_weight is None:
                raise
            # The op that failed (multiply, a cast) cannot name the loss; say which one.
            kind = ValueError if isinstance(error, ValueError) else TypeError
            raise kind(f"{type(self).__name__} '{self.name}': sample_weight of shape "
                       f"{np.shape(sample_weight)} does not fit the per-sample losses of "
                       f"shape {tuple(values.shape)}: {error}") from None

    def call(self, y_true, y_pred):
        """The per-sample loss, before reduction (override it in a subclass).

        Args:
            y_true: the targets, shape ``(batch, ...)``.
            y_pred: the predictions, the same shape (or labels' rank aligned, as in Keras).

        Returns:
            A Tensor of shape ``(batch,)`` (the last axis averaged, as Keras's losses do).
        """
        raise NotImplementedError

    def get_config(self):
        """The constructor arguments as a JSON-serialisable dict.

        Returns:
            A dict with at least ``name`` and ``reduction``.
        """
        return {"name": self.name, "reduction": self.reduction}

    @classmethod
    def from_config(cls, config):
        """Make a loss from the dict ``get_config`` returned.

        Args:
            config: the dict of constructor arguments.

        Returns:
            A new loss.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


class LossFunctionWrapper(Loss):
    """A Loss around a per-sample function ``fn(y_true, y_pred, **kwargs)``.

    Example:
        >>> loss = LossFunctionWrapper(mean_absolute_error, name="mae")
        >>> float(loss([1.0, 0.0], [0.5, 0.5]))
        0.5
    """

    def __init__(self, fn, reduction="sum_over_batch_size", name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", None), reduction=reduction,
                         dtype=dtype)
        self.fn, self._fn_kwargs = fn, kwargs

    def call(self, y_true, y_pred):
        # align ranks first, as Keras does, so user functions never broadcast (n,) with (n, 1)
        y_pred = predictions(y_pred)
        y_true, y_pred = squeeze_or_expand_to_same_rank(labels_like(y_true, y_pred), y_pred)
        return self.fn(y_true, y_pred, **self._fn_kwargs)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}
