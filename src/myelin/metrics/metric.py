"""The stateful Metric base class, Mean, and MeanMetricWrapper.

Metrics never need gradients, so they work on raw NumPy arrays: Tensors are
unwrapped on the way in. Totals are kept in float64 so that long epochs do not
lose precision; ``result()`` is a float32 scalar Tensor, as in Keras.
"""

import functools

import numpy as np

from .. import backend
from ..autodiff import Tensor, no_grad
from ..losses.shapes import squeeze_or_expand_to_same_rank


def as_numpy(x):
    """The raw array behind a Tensor, array or nested list."""
    return x._data if isinstance(x, Tensor) else np.asarray(x)


def numeric(x, where, what):
    """``x`` as a float64 array, or a ValueError naming the metric and the argument
    (strings, objects and ragged lists are refused before any state changes)."""
    try:
        array = as_numpy(x)
        if array.dtype.kind not in "biuf":
            raise TypeError
        return array.astype(np.float64)
    except (TypeError, ValueError):
        preview = repr(x) if len(repr(x)) <= 60 else repr(x)[:60] + "..."
        raise ValueError(f"{where}: {what} must be numbers (an array or Tensor), received "
                         f"{preview}.") from None


def _guarded(update):
    """``update_state`` that changes nothing when it fails, and whose errors name the
    metric: NumPy's own (broadcasting, argmax of nothing, AxisError) say nothing of it."""

    @functools.wraps(update)
    def update_state(self, *args, **kwargs):
        if getattr(self, "_updating", False):  # a subclass calling super().update_state
            return update(self, *args, **kwargs)
        saved = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in vars(self).items()}
        self._updating = True
        try:
            return update(self, *args, **kwargs)
        except (ValueError, TypeError, ArithmeticError, LookupError) as error:
            vars(self).clear()
            vars(self).update(saved)
            named = self.name in str(error) or type(self).__name__ in str(error)
            if named and type(error).__module__.startswith(("builtins", "myelin")):
                raise
            kind = TypeError if isinstance(error, TypeError) else ValueError
            detail = str(error)
            if "invalid literal" in detail or "could not convert" in detail:
                detail = "the labels, predictions and sample_weight must be numbers"
            elif "zero-size array" in detail:
                detail = "an input has an empty axis where this metric needs values"
            raise kind(f"{self._where}: update_state cannot use these inputs: "
                       f"{detail}") from None
        finally:
            self._updating = False

    return update_state


class Metric:
    """Base class: accumulate with ``update_state``, read with ``result``.

    Args:
        name: the name shown in logs and in ``History.history``.
        dtype: dtype of the result (default ``floatx()``).

    Example:
        >>> m = Mean()
        >>> m.update_state([1, 3, 5, 7])
        >>> float(m.result())
        4.0
    """

    _direction = None  # "up" when larger is better; callbacks use it in mode="auto"

    def __init__(self, name=None, dtype=None):
        self.name = name or type(self).__name__.lower()
        self.dtype = np.dtype(dtype or backend.floatx()).name

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "update_state" in cls.__dict__:
            cls.update_state = _guarded(cls.__dict__["update_state"])

    def update_state(self, *args, **kwargs):
        """Accumulate one batch into the metric's state.

        Args:
            *args: the batch, usually ``y_true, y_pred``.
            **kwargs: usually ``sample_weight``: per-sample weights, or None.
        """
        raise NotImplementedError

    def result(self):
        """The metric's value over everything accumulated since the last reset.

        Returns:
            A scalar Tensor (0 before any update).

        Example:
            >>> m = keras.metrics.Mean()
            >>> m.update_state([1.0, 3.0])
            >>> float(m.result())
            2.0
        """
        raise NotImplementedError

    def reset_state(self):
        """Forget everything accumulated (``fit`` calls it at the start of every epoch)."""
        raise NotImplementedError

    def __call__(self, *args, **kwargs):
        """Update the state with one batch and return the running result."""
        self.update_state(*args, **kwargs)
        return self.result()

    def _tensor(self, value):
        return Tensor(np.asarray(value, dtype=self.dtype))

    @property
    def _where(self):
        """How errors name this metric: ``AUC 'auc'``."""
        return f"{type(self).__name__} '{self.name}'"

    def get_config(self):
        """The constructor arguments as a JSON-serialisable dict.

        Returns:
            A dict that ``from_config`` turns back into an equal, empty metric.
        """
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        """Make a metric from the dict ``get_config`` returned.

        Args:
            config: the dict of constructor arguments.

        Returns:
            A new metric with empty state.
        """
        return cls(**config)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _samplewise(values, sample_weight, reduce=np.mean):
    """Weighted per-sample values and their weights, following Keras's reduction
    (``reduce`` folds the axes past the weights': a mean for ``Mean``, a sum for
    ``Sum``)."""
    if sample_weight is None:
        if values.ndim > 1:
            # one value per sample already ((n, 1) hits of a binary accuracy): the mean or
            # sum of one number is that number, and a reshape costs far less than a reduce
            values = values.reshape(len(values)) if values.size == len(values) else \
                reduce(values, axis=tuple(range(1, values.ndim)))
        return values, None
    weight = numeric(sample_weight, "sample_weight", "the weights")
    values, weight = squeeze_or_expand_to_same_rank(values, weight)
    if values.ndim > weight.ndim:
        values = reduce(values, axis=tuple(range(weight.ndim, values.ndim)))
    try:
        weight = np.broadcast_to(weight, values.shape)
    except ValueError:
        raise ValueError(
            f"sample_weight of shape {weight.shape} does not match values of shape "
            f"{values.shape}; pass one weight per sample."
        ) from None
    values = values * weight
    if weight.ndim > 1:
        weight = reduce(weight, axis=tuple(range(1, weight.ndim)))
    if values.ndim > 1:
        values = reduce(values, axis=tuple(range(1, values.ndim)))
    return values, weight


class Sum(Metric):
    """The (weighted) sum of all values seen since the last reset.

    Example:
        >>> m = Sum()
        >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        4.0
    """

    def __init__(self, name="sum", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reset_state()

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(numeric(values, self._where, "values"), sample_weight, np.sum)
        self.total += float(values.sum())

    def result(self):
        return self._tensor(self.total)

    def reset_state(self):
        self.total = 0.0


class Mean(Metric):
    """The (weighted) mean of all values seen since the last reset.

    Example:
        >>> m = Mean()
        >>> m.update_state([1, 3, 5, 7], sample_weight=[1, 1, 0, 0])
        >>> float(m.result())
        2.0
    """

    def __init__(self, name="mean", dtype=None):
        super().__init__(name=name, dtype=dtype)
        self.reset_state()

    def update_state(self, values, sample_weight=None):
        values, weight = _samplewise(numeric(values, self._where, "values"), sample_weight)
        self.total += float(values.sum())
        if weight is not None:
            self.count += float(weight.sum())
        else:
            self.count += values.shape[0] if values.ndim else 1

    def result(self):
        return self._tensor(self.total / self.count if self.count else 0.0)

    def reset_state(self):
        self.total, self.count = 0.0, 0.0


class MeanMetricWrapper(Mean):
    """The mean of ``fn(y_true, y_pred, **kwargs)`` over all samples seen.

    Args:
        fn: per-sample function of ``(y_true, y_pred)`` (NumPy arrays in, array out;
            a function returning Tensors, such as a loss, works too).
        name: the metric name.
        dtype: result dtype.
        **kwargs: passed on to ``fn``.

    Example:
        >>> m = MeanMetricWrapper(lambda t, p: (t - p) ** 2, name="se")
        >>> float(m([0.0, 1.0], [1.0, 1.0]))
        0.5
    """

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name=name or getattr(fn, "__name__", "mean_metric_wrapper"),
                         dtype=dtype)
        self._fn, self._fn_kwargs = fn, kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        with no_grad():
            values = self._fn(as_numpy(y_true), as_numpy(y_pred), **self._fn_kwargs)
        super().update_state(as_numpy(values), sample_weight=sample_weight)

    def get_config(self):
        return {**super().get_config(), **self._fn_kwargs}
