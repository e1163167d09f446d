"""What ``compile`` resolves: the optimizer, the loss, its weight and the metrics.

Everything is resolved (and unknown names rejected) before the model changes, so a
failed ``compile`` leaves the previous configuration in place. ``"accuracy"`` is
resolved again once the model's output shape is known (binary, categorical or
sparse accuracy, as Keras does).
"""

import numbers

from .. import losses, metrics, optimizers


def _as_list(value, name):
    if value is None:
        return []
    if isinstance(value, dict):
        raise NotImplementedError(f"compile: {name} as a dict (one entry per output) needs "
                                  f"a multi-output model, which myelin does not support yet.")
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _single(value, name):
    """One loss or loss weight for the single output (a one-element list is accepted)."""
    if isinstance(value, dict):
        raise NotImplementedError(f"compile: {name} as a dict (one entry per output) needs "
                                  f"a multi-output model, which myelin does not support yet.")
    if isinstance(value, (list, tuple)):
        if len(value) != 1:
            raise ValueError(f"compile: the model has one output, so {name} must be a single "
                             f"value; received a list of {len(value)}.")
        return value[0]
    return value


class CompileState:
    """The resolved ``compile`` arguments of one model."""

    def __init__(self, optimizer, loss, loss_weights, metric_ids, weighted_ids):
        self.optimizer = optimizers.get(optimizer)
        loss = _single(loss, "loss")
        self.loss = None if loss is None else losses.get(loss)
        weight = _single(1.0 if loss_weights is None else loss_weights, "loss_weights")
        if isinstance(weight, bool) or not isinstance(weight, numbers.Real):
            raise ValueError(f"compile: loss_weights must be a number, received {weight!r}.")
        self.loss_weight = float(weight)
        self._metric_ids = _as_list(metric_ids, "metrics")
        self._weighted_ids = _as_list(weighted_ids, "weighted_metrics")
        # Resolving now rejects unknown names at compile time; "accuracy" may be
        # re-resolved when the output shape is known.
        self.metrics = [self._get(m, None) for m in self._metric_ids]
        self.weighted_metrics = [self._get(m, None) for m in self._weighted_ids]
        self._resolved_for = None

    def _get(self, identifier, output_shape):
        return metrics.get(identifier, loss=self.loss, output_shape=output_shape)

    def resolve_metrics(self, output_shape):
        """Resolve the metric identifiers for the model's output shape (once)."""
        if self._resolved_for == tuple(output_shape):
            return
        self.metrics = [self._get(m, output_shape) for m in self._metric_ids]
        self.weighted_metrics = [self._get(m, output_shape) for m in self._weighted_ids]
        self._resolved_for = tuple(output_shape)
