"""Losses and metrics per output of a multi-output model, and its training step.

``compile(loss=..., loss_weights=..., metrics=...)`` takes one value for every
output, a list with one entry per output, or a dict keyed by output name (Keras 3).
The training loss is the weighted sum of the outputs' losses; history reports it as
``loss``, each output's unweighted loss as ``<output>_loss`` and each metric as
``<output>_<metric>`` (``priority_accuracy``), as Keras does (checked with Keras 3.15.1,
as is the order of ``evaluate()``'s list).
"""

import numbers

from .. import losses, metrics, ops
from ..autodiff import GradientTape, Tensor, no_grad
from ..losses.batch_mean import batch_mean_fn
from . import loops, targets


class Head:
    """One output: its name, static shape, loss, loss weight and metrics."""

    def __init__(self, name, shape, loss, weight, metric_list, weighted_list):
        self.name, self.shape, self.loss, self.weight = name, tuple(shape), loss, weight
        self.metrics, self.weighted_metrics = metric_list, weighted_list
        self.loss_fn, self.activate, self.mean_loss = loss, None, None

    def prepare(self, activation):
        """Compute the loss from logits when the output's softmax/sigmoid allows it."""
        logits = targets.logits_loss(self.loss, activation) if self.loss else None
        self.loss_fn = logits or self.loss
        self.activate = loops._ACTIVATE[activation] if logits is not None else None
        self.mean_loss = batch_mean_fn(self.loss_fn) if self.loss_fn is not None else None
        return logits is not None


class Heads:
    """The per-output compile settings (kept as the compile state's ``loss``) and the
    ``compile`` arguments they came from (saved with the model)."""

    def __init__(self, heads, arguments):
        self.heads, self.arguments = heads, arguments


def _per_output(value, names, what, default):
    """``value`` as one entry per output name (from a list or a dict keyed by name)."""
    if isinstance(value, dict):
        unknown = [k for k in value if k not in names]
        if unknown:
            raise ValueError(f"compile: {what} has the key {unknown[0]!r}, but the model's "
                             f"outputs are {names}. Key {what} by output name.")
        return [value.get(n, default) for n in names]
    if isinstance(value, (list, tuple)):
        if len(value) != len(names):
            raise ValueError(f"compile: the model has {len(names)} outputs {names} but "
                             f"{what} is a list of {len(value)}. Give one entry per output, "
                             f"or a dict keyed by output name.")
        return list(value)
    return None


def _weight(value, name):
    value = 1.0 if value is None else value
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(f"compile: the loss weight of output {name!r} must be a number, "
                         f"received {value!r}.")
    return float(value)


def _metric_list(entry):
    if entry is None:
        return []
    return list(entry) if isinstance(entry, (list, tuple)) else [entry]


def compile_heads(model, loss, loss_weights, metric_ids, weighted_ids):
    """The ``Heads`` of a model with several outputs (None for one output); every
    identifier is resolved here, so a bad one fails before the model changes."""
    names = model.output_names
    if len(names) == 1:
        return None
    per_loss = _per_output(loss, names, "loss", None)
    if per_loss is None:
        per_loss = [loss] * len(names)  # one loss for every output, as Keras
    if isinstance(loss, dict):
        missing = [n for n in names if n not in loss]
        if missing:
            raise ValueError(f"compile: the loss dict has no entry for the output "
                             f"{missing[0]!r}; expected keys {names} (use None for an output "
                             f"that has no loss).")
    if all(entry is None for entry in per_loss):
        raise ValueError(f"compile: no loss for any of the outputs {names}; pass loss=... "
                         f"(one for all, a list, or a dict keyed by output name).")
    weights = _per_output(loss_weights, names, "loss_weights", None)
    if weights is None:
        if loss_weights is not None:
            raise ValueError(f"compile: the model has {len(names)} outputs {names}; give "
                             f"loss_weights as a list or a dict keyed by output name, "
                             f"received {loss_weights!r}.")
        weights = [None] * len(names)
    heads = []
    for i, name in enumerate(names):
        entry = per_loss[i]
        resolved = None if entry is None else losses.get(entry)
        shape = model.outputs[i].shape
        lists = []
        for ids, what in ((metric_ids, "metrics"), (weighted_ids, "weighted_metrics")):
            per = _per_output(ids, names, what, None) if ids else [None] * len(names)
            if per is None:
                raise ValueError(f"compile: the model has {len(names)} outputs {names}; give "
                                 f"{what} as a list with one entry per output or a dict keyed "
                                 f"by output name, e.g. {{{names[0]!r}: ['accuracy']}}.")
            lists.append([metrics.get(m, loss=resolved, output_shape=shape)
                          for m in _metric_list(per[i])])
        heads.append(Head(name, shape, resolved, _weight(weights[i], name), *lists))
    return Heads(heads, {"loss": loss, "loss_weights": loss_weights, "metrics": metric_ids,
                         "weighted_metrics": weighted_ids})


def single_output_args(model, loss, loss_weights, metric_ids, weighted_ids):
    """Dicts keyed by the one output's name unwrapped for the single-output compile."""
    name = model.output_names[0]

    def unwrap(value, what):
        if not isinstance(value, dict):
            return value
        unknown = [k for k in value if k != name]
        if unknown:
            raise ValueError(f"compile: {what} has the key {unknown[0]!r}, but the model's "
                             f"only output is {name!r}.")
        return value.get(name)

    return (unwrap(loss, "loss"), unwrap(loss_weights, "loss_weights"),
            unwrap(metric_ids, "metrics"), unwrap(weighted_ids, "weighted_metrics"))


def heads_of(model):
    """The model's heads: the per-output settings, or one head from a plain compile."""
    state = model._compile_state
    if isinstance(state.loss, Heads):
        return state.loss.heads
    shape = model.outputs[0].shape
    state.resolve_metrics(shape)
    return [Head(model.output_names[0], shape, state.loss, state.loss_weight, state.metrics,
                 state.weighted_metrics)]


def batch_tensors(batch):
    """The Tensors of one batch: one per input (``Arrays``) or a single array's."""
    arrays = batch.arrays if hasattr(batch, "arrays") else [batch]
    return [Tensor(a) for a in arrays]


class MultiSteps:
    """The per-batch work of a model with several inputs or outputs (``loops.Steps``'s
    interface: ``train_step``, ``test_step``, ``logs``, ``reset_metrics``)."""

    def __init__(self, model):
        self.model, self.heads = model, heads_of(model)
        self.diverged = None  # (loss, batch) once a training step's loss is not finite
        activations = model._output_activations()
        logits = tuple(i for i, (head, act) in enumerate(zip(self.heads, activations,
                                                             strict=True)) if head.prepare(act))
        self.variables = model.trainable_weights
        self.optimizer = model.optimizer
        self.train_forward = model._forward_fn(True, logits)
        self.test_forward = model._forward_fn(False, logits)
        self.penalties = loops.has_extra_losses(model)
        if self.penalties:  # direct layer calls skip the clearing of add_loss values
            self.train_forward = loops._clearing_losses(model, self.train_forward)
            self.test_forward = loops._clearing_losses(model, self.test_forward)
        self.per_output = sum(h.loss is not None for h in self.heads) > 1
        self._sums, self._seen = [0.0] * len(self.heads), 0

    def _loss(self, outs, ys, swb):
        total, values = None, []
        for head, out, y in zip(self.heads, outs, ys, strict=True):
            if head.loss is None:
                values.append(0.0)
                continue
            if swb is None and head.mean_loss is not None:
                loss = head.mean_loss(y, out)
            else:
                loss = head.loss_fn(y, out, swb)
            values.append(float(loss._data))
            loss = loss if head.weight == 1.0 else ops.multiply(loss, head.weight)
            total = loss if total is None else ops.add(total, loss)
        if self.penalties:
            for extra in self.model.losses:
                total = ops.add(total, ops.cast(ops.reduce_sum(extra), total.dtype))
        count = len(ys[0]) if ys[0] is not None else len(next(y for y in ys if y is not None))
        self._sums = [s + v * count for s, v in zip(self._sums, values, strict=True)]
        self._seen += count
        return total

    def _ys(self, yb):
        return yb.arrays if hasattr(yb, "arrays") else [yb]

    def train_step(self, xb, yb, swb):
        """One optimizer update; returns the batch's total loss as a float."""
        ys = self._ys(yb)
        if not self.variables:
            return self.test_step(xb, yb, swb, forward=self.train_forward)
        with GradientTape() as tape:
            outs = self.train_forward(batch_tensors(xb))
            loss = self._loss(outs, ys, swb)
        grads = tape.gradient(loss, self.variables)
        self.optimizer.apply_trusted(grads, self.variables)
        self._update_metrics(ys, outs, swb)
        return float(loss._data)

    def test_step(self, xb, yb, swb, forward=None):
        ys = self._ys(yb)
        with no_grad():
            outs = (forward or self.test_forward)(batch_tensors(xb))
            loss = self._loss(outs, ys, swb)
        self._update_metrics(ys, outs, swb)
        return float(loss._data)

    def _update_metrics(self, ys, outs, swb):
        for head, y, out in zip(self.heads, ys, outs, strict=True):
            # A head has the single-output Steps' metrics, weighted_metrics and activate.
            loops.Steps.update_metrics(head, y, out._data, swb)

    def reset_metrics(self):
        for head in self.heads:
            for metric in head.metrics + head.weighted_metrics:
                metric.reset_state()
        self._sums, self._seen = [0.0] * len(self.heads), 0

    def logs(self, loss_sum, seen):
        """In the order of Keras's ``evaluate()`` list: ``loss``, each output's own loss,
        then the metrics (``<output>_<metric>``) sorted by name."""
        out = {"loss": loss_sum / seen if seen else 0.0}
        if self.per_output:
            for head, total in zip(self.heads, self._sums, strict=True):
                if head.loss is not None:
                    out[f"{head.name}_loss"] = total / self._seen if self._seen else 0.0
        prefix = len(self.heads) > 1
        metrics = {}
        for head in self.heads:
            for metric in head.metrics + head.weighted_metrics:
                name = f"{head.name}_{metric.name}" if prefix else metric.name
                metrics[name] = loops.log_value(metric)
        out.update(sorted(metrics.items()))
        return out
