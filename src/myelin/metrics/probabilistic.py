"""Running means of the probabilistic and hinge losses, as Keras 3's metric classes:
cross-entropies, Kullback-Leibler divergence, Poisson, hinge and squared hinge.

Each computes the loss of the same name in ``myelin.losses`` per sample and averages
it over everything seen since the last reset.
"""

from .. import losses
from .regression import _LossMetric


class BinaryCrossentropy(_LossMetric):
    """Running binary cross-entropy.

    Args:
        name: the metric's name (default ``binary_crossentropy``).
        dtype: result dtype.
        from_logits: whether the predictions are logits.
        label_smoothing: in [0, 1]; squeezes the labels towards 0.5.

    Example:
        >>> m = BinaryCrossentropy()
        >>> round(float(m([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]])), 4)
        0.8149
    """

    _loss = staticmethod(losses.binary_crossentropy)

    def __init__(self, name="binary_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing)
        self.from_logits, self.label_smoothing = from_logits, label_smoothing


class CategoricalCrossentropy(_LossMetric):
    """Running categorical cross-entropy for one-hot labels.

    Args:
        name: the metric's name (default ``categorical_crossentropy``).
        dtype: result dtype.
        from_logits: whether the predictions are logits.
        label_smoothing: in [0, 1]; mixes the labels with the uniform distribution.
        axis: the class axis (the last).

    Example:
        >>> m = CategoricalCrossentropy()
        >>> round(float(m([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
        1.1769
    """

    _loss = staticmethod(losses.categorical_crossentropy)

    def __init__(self, name="categorical_crossentropy", dtype=None, from_logits=False,
                 label_smoothing=0, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)
        self.from_logits, self.label_smoothing, self.axis = from_logits, label_smoothing, axis


class SparseCategoricalCrossentropy(_LossMetric):
    """Running categorical cross-entropy for integer labels.

    Args:
        name: the metric's name (default ``sparse_categorical_crossentropy``).
        dtype: result dtype.
        from_logits: whether the predictions are logits.
        axis: the class axis (the last).

    Example:
        >>> m = SparseCategoricalCrossentropy()
        >>> round(float(m([1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]])), 4)
        1.1769
    """

    _loss = staticmethod(losses.sparse_categorical_crossentropy)

    def __init__(self, name="sparse_categorical_crossentropy", dtype=None,
                 from_logits=False, axis=-1):
        super().__init__(name=name, dtype=dtype, from_logits=from_logits, axis=axis)
        self.from_logits, self.axis = from_logits, axis


class KLDivergence(_LossMetric):
    """Running Kullback-Leibler divergence ``sum(y_true * log(y_true / y_pred))``."""

    _loss = staticmethod(losses.kl_divergence)

    def __init__(self, name="kl_divergence", dtype=None):
        super().__init__(name=name, dtype=dtype)


class Poisson(_LossMetric):
    """Running Poisson loss ``mean(y_pred - y_true * log(y_pred))``."""

    _loss = staticmethod(losses.poisson)

    def __init__(self, name="poisson", dtype=None):
        super().__init__(name=name, dtype=dtype)


class Hinge(_LossMetric):
    """Running hinge loss ``mean(max(1 - y_true * y_pred, 0))`` (0/1 labels become -1/1)."""

    _loss = staticmethod(losses.hinge)

    def __init__(self, name="hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class SquaredHinge(_LossMetric):
    """Running squared hinge loss ``mean(max(1 - y_true * y_pred, 0)**2)``."""

    _loss = staticmethod(losses.squared_hinge)

    def __init__(self, name="squared_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)


class CategoricalHinge(_LossMetric):
    """Running categorical hinge loss ``max(neg - pos + 1, 0)``."""

    _loss = staticmethod(losses.categorical_hinge)

    def __init__(self, name="categorical_hinge", dtype=None):
        super().__init__(name=name, dtype=dtype)
