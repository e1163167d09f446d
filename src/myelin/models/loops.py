"""The hot loops of fit / evaluate / predict over validated NumPy arrays.

``Steps`` gathers, once per call, everything a batch needs (forward function, loss,
metrics, variables), so a training step is: slice, forward, loss, one backward,
``apply_gradients``, metric update on raw arrays, and a float added to the epoch's
loss sum. Batch-level callbacks run only when some callback overrides them.
"""

import contextlib
import math

import numpy as np

from .. import backend, ops
from ..autodiff import GradientTape, Tensor, no_grad
from ..callbacks.callback import Callback
from ..data.dataset import nest
from ..layers.layer_losses import _EVER_ADDED, all_layers
from ..losses.batch_mean import batch_mean_fn
from ..ops.fused import sigmoid_inplace, softmax_inplace
from ..regularizers.penalty import weight_penalty
from . import fit_guard, targets
from .raw_step import RawStep

_ACTIVATE = {"softmax": softmax_inplace, "sigmoid": sigmoid_inplace}


def blas_threads_for(model, rows=None):
    """The BLAS thread policy of a fit, evaluate or predict of ``model``, as a context
    manager.

    A model with layers whose kernels split the batch over the cores themselves
    (convolutions, poolings: ``Layer._splits_over_cores``) runs every BLAS call on
    one thread throughout. A product on OpenBLAS's own threads leaves its pool
    busy-waiting for ~0.13 s of CPU afterwards (it does not yield), on the core the
    next kernel's chunks need: Keras's simple MNIST convnet on 12,800 images took
    5.4-6.1 s with the pool woken by its Dense layer and bias sums, 4.3 s without
    (predicting 5,000 images: 0.60-0.83 s, 0.42-0.50 s without).

    ``rows``, when known, is the largest batch the call runs: one row is never split
    over the cores, so the layers are not walked for it (14 us of a one-sample
    ``predict``'s ~87 for a 784-300-100-10 network).
    """
    if rows is not None and rows < 2:
        return contextlib.nullcontext()
    if any(layer._splits_over_cores for layer in all_layers(model)):
        return backend.one_blas_thread()
    return contextlib.nullcontext()


def has_extra_losses(model):
    """Whether ``model.losses`` can be non-empty: a weight or activity regularizer, or
    a layer that recorded ``add_loss`` values (in the build call, at the latest)."""
    if any(v.regularizer is not None for v in model.trainable_weights):
        return True
    return any(layer.activity_regularizer is not None or layer._losses
               for layer in all_layers(model))


def _has_call_losses(model):
    """Whether a forward pass can record losses (activity regularizers, ``add_loss``)."""
    return any(layer.activity_regularizer is not None or layer._losses
               for layer in all_layers(model)) or _EVER_ADDED[0]


def _clearing_losses(model, forward):
    """``forward`` after forgetting the previous step's ``add_loss`` values: the trainer
    may call layers' ``call`` directly, which skips the clearing an entry call does."""

    def run(x):
        model._clear_losses()
        return forward(x)

    return run


def overrides(callbacks, *hooks):
    """Whether any callback in the list defines one of ``hooks`` itself."""
    return any(getattr(type(cb), hook) is not getattr(Callback, hook)
               for cb in callbacks.callbacks for hook in hooks)


class Steps:
    """The per-batch work of a compiled model, prepared once per fit/evaluate."""

    def __init__(self, model):
        state = model._compile_state
        head = model._output_activation()
        logits = targets.logits_loss(state.loss, head)
        self.fused = logits is not None
        self.loss_fn = logits if self.fused else state.loss
        self.loss_weight = state.loss_weight
        self.mean_loss = batch_mean_fn(self.loss_fn) if self.loss_weight == 1.0 else None
        self.activate = _ACTIVATE[head] if self.fused else None
        self.metrics = state.metrics
        self.weighted_metrics = state.weighted_metrics
        self.model = model
        self.variables = model.trainable_weights
        self.diverged = None  # (loss, batch) once a training step's loss is not finite
        self.optimizer = model.optimizer
        self.train_forward = model._forward_fn(True, self.fused)
        self.test_forward = model._forward_fn(False, self.fused)
        self.extra_losses = has_extra_losses(model)
        self.penalty = None  # all weight penalties as one op, when that is all there is
        if self.extra_losses:  # else the fast path: the compiled loss alone
            self.penalty = None if _has_call_losses(model) else \
                weight_penalty(model.trainable_weights)
            if self.penalty is not None:  # built-in weight regularizers only: one op
                self._loss = self._loss_with_weight_penalty
            else:
                self._loss = self._loss_with_penalties
                self.train_forward = _clearing_losses(model, self.train_forward)
                self.test_forward = _clearing_losses(model, self.test_forward)
        self.raw = RawStep.plan(self)  # the same update without the tape, when it can

    def _output_mask(self):
        """The mask of the last forward's output (a masked sequence output), read once."""
        mask = getattr(self.model, "_output_mask", None)
        if mask is not None:
            self.model._output_mask = None
        return mask if isinstance(mask, np.ndarray) else None

    def _loss(self, out, yb, swb, mask=None):
        if mask is not None:
            # Keras: masked steps weigh 0 and the mean runs over the unmasked ones only
            reduction = getattr(self.loss_fn, "reduction", "sum_over_batch_size")
            swb = _masked_weights(mask, swb, out.dtype,
                                  reduction in ("mean", "sum_over_batch_size"))
        if swb is None and self.mean_loss is not None:
            return self.mean_loss(yb, out)
        loss = self.loss_fn(yb, out, swb)
        return loss if self.loss_weight == 1.0 else ops.multiply(loss, self.loss_weight)

    def _loss_with_penalties(self, out, yb, swb, mask=None):
        """Keras 3: the compiled loss plus the sum of ``model.losses`` (regularization
        penalties and ``add_loss`` values of this forward pass), in fit and evaluate."""
        loss = Steps._loss(self, out, yb, swb, mask)
        for extra in self.model.losses:
            loss = ops.add(loss, ops.cast(ops.reduce_sum(extra), loss.dtype))
        return loss

    def _loss_with_weight_penalty(self, out, yb, swb, mask=None):
        """The same sum as ``_loss_with_penalties`` when the only extra losses are
        built-in weight regularizers, with all penalties as one op."""
        return ops.add(Steps._loss(self, out, yb, swb, mask), self.penalty())

    def train_step(self, xb, yb, swb):
        """One optimizer update; returns the batch loss as a float."""
        if not self.variables:  # everything frozen: nothing to update (Keras warns)
            with no_grad():
                out = self.train_forward(Tensor(xb))
                loss = self._loss(out, yb, swb)
            self.update_metrics(yb, out._data, swb)
            return float(loss._data)
        done = None if swb is not None or self.raw is None else self.raw(xb, yb)
        if done is not None:
            self.update_metrics(yb, done[1], None)
            return done[0]
        with GradientTape() as tape:
            out = self.train_forward(Tensor(xb))
            mask = self._output_mask()
            loss = self._loss(out, yb, swb, mask)
        grads = tape.gradient(loss, self.variables)
        self.optimizer.apply_trusted(grads, self.variables)
        self.update_metrics(yb, out._data, _masked_weights(mask, swb, out.dtype, False),
                            masked=mask is not None)
        return float(loss._data)

    def test_step(self, xb, yb, swb):
        with no_grad():
            out = self.test_forward(Tensor(xb))
            mask = self._output_mask()
            loss = self._loss(out, yb, swb, mask)
        self.update_metrics(yb, out._data, _masked_weights(mask, swb, out.dtype, False),
                            masked=mask is not None)
        return float(loss._data)

    def update_metrics(self, yb, raw, swb, masked=False):
        if not (self.metrics or self.weighted_metrics):
            return
        pred = self.activate(raw.copy()) if self.activate is not None else raw
        for metric in self.metrics:
            if masked:  # a mask weighs every metric, as Keras's MeanMetricWrapper does
                metric.update_state(yb, pred, sample_weight=swb)
            else:
                metric.update_state(yb, pred)
        for metric in self.weighted_metrics:
            metric.update_state(yb, pred, sample_weight=swb)

    def reset_metrics(self):
        for metric in self.metrics + self.weighted_metrics:
            metric.reset_state()

    def logs(self, loss_sum, seen):
        out = {"loss": loss_sum / seen if seen else 0.0}
        for metric in self.metrics + self.weighted_metrics:
            out[metric.name] = log_value(metric)
        return out


def log_value(metric):
    """A metric's result for the logs: a float, or an array for per-class results
    (F1Score(average=None), several thresholds)."""
    result = metric.result()  # a Tensor, or whatever a user's metric returns
    result = np.asarray(result._data if isinstance(result, Tensor) else result)
    return float(result) if result.ndim == 0 else result.copy()


def _masked_weights(mask, sample_weight, dtype, rescale):
    """Keras's ``apply_mask``: the mask as weights (times any sample weights); with
    ``rescale`` (mean reductions) kept steps weigh ``size / kept`` so the mean of the
    weighted values is the mean over the kept steps."""
    if mask is None:
        return sample_weight
    weights = mask.astype(dtype)
    if rescale:
        kept = weights.sum()
        weights *= weights.size / kept if kept else 0.0
    if sample_weight is not None:
        sw = np.asarray(sample_weight, dtype)
        weights = weights * sw.reshape(sw.shape + (1,) * (weights.ndim - sw.ndim))
    return weights


def _batches(n, batch_size, order, limit=None):
    """``(step, index, size)``: a contiguous slice, or a slice of the shuffled order."""
    steps = math.ceil(n / batch_size) if limit is None else limit
    for step in range(steps):
        lo = step * batch_size
        hi = min(lo + batch_size, n)
        yield step, slice(lo, hi) if order is None else order[lo:hi], hi - lo


def _take(array, index):
    if array is None:
        return None
    return array[index] if isinstance(index, slice) else array.take(index, axis=0)


def array_batches(data, batch_size, shuffle=False, limit=None):
    """``(x, y, sample_weight)`` batches of validated arrays, in order or shuffled."""
    x, y, sw = data
    order = backend.rng().permutation(len(x)) if shuffle else None
    for _, index, _ in _batches(len(x), batch_size, order, limit):
        yield _take(x, index), _take(y, index), _take(sw, index)


def feed(data, batch_size, shuffle=False, limit=None):
    """Batches from arrays ``(x, y, sample_weight)`` or from a ``data_stream.Stream``."""
    if hasattr(data, "batches"):
        return data.batches()
    return array_batches(data, batch_size, shuffle, limit)


def _rows(xb):
    return len(xb) if isinstance(xb, np.ndarray) else len(nest.flatten(xb)[0])


TRAIN_BATCH_HOOKS = ("on_train_batch_begin", "on_train_batch_end", "on_batch_begin",
                     "on_batch_end")


def train_epoch(steps, data, batch_size, shuffle, callbacks, epoch, epochs, limit=None,
                hooks=None):
    """One pass over ``data`` (arrays or a stream); returns the epoch's logs.

    ``hooks``: whether a callback overrides a ``TRAIN_BATCH_HOOKS`` hook (``fit`` works
    it out once; None: look now).
    """
    batches = feed(data, batch_size, shuffle, limit)
    if hooks is None:
        hooks = overrides(callbacks, *TRAIN_BATCH_HOOKS)
    model = steps.model
    steps.reset_metrics()
    loss_sum, seen = 0.0, 0
    try:
        for step, (xb, yb, swb) in enumerate(batches):
            if hooks:
                callbacks.on_train_batch_begin(step)
            fit_guard.begin_step()  # a Ctrl-C now waits for the update to complete
            value = steps.train_step(xb, yb, swb)
            count = _rows(xb)
            loss_sum += value * count
            seen += count
            fit_guard.end_step(epoch, step)
            if not math.isfinite(value):
                steps.diverged = (value, step)  # fit restores the last finite state, warns
                model.stop_training = True
                break
            if hooks:
                callbacks.on_train_batch_end(step, steps.logs(loss_sum, seen))
            if model.stop_training:
                break
    finally:
        batches.close()  # a stream's epoch ends (PyDataset.on_epoch_end) even on a break
    return steps.logs(loss_sum, seen)


def test_loop(steps, data, batch_size, callbacks):
    """Loss and metrics over ``data`` without updating weights; returns the logs."""
    hooks = overrides(callbacks, "on_test_batch_begin", "on_test_batch_end")
    steps.reset_metrics()
    callbacks.on_test_begin()
    loss_sum, seen = 0.0, 0
    for step, (xb, yb, swb) in enumerate(feed(data, batch_size)):
        if hooks:
            callbacks.on_test_batch_begin(step)
        count = _rows(xb)
        loss_sum += steps.test_step(xb, yb, swb) * count
        seen += count
        if hooks:
            callbacks.on_test_batch_end(step, steps.logs(loss_sum, seen))
    logs = steps.logs(loss_sum, seen)
    callbacks.on_test_end(logs)
    return logs


def predict_loop(forward, x, batch_size, callbacks):
    """The model's outputs for ``x``, batch by batch, as one NumPy array."""
    hooks = overrides(callbacks, "on_predict_batch_begin", "on_predict_batch_end")
    callbacks.on_predict_begin()
    result = None
    with no_grad():
        for step, index, _ in _batches(len(x), batch_size, None):
            if hooks:
                callbacks.on_predict_batch_begin(step)
            out = forward(Tensor(x[index]))._data
            if result is None:
                result = np.empty((len(x),) + out.shape[1:], dtype=out.dtype)
            result[index] = out
            if hooks:
                callbacks.on_predict_batch_end(step, {"outputs": out})
    callbacks.on_predict_end()
    return result


def predict_stream(forward, stream, callbacks):
    """The model's outputs for every batch of ``stream``, concatenated."""
    hooks = overrides(callbacks, "on_predict_batch_begin", "on_predict_batch_end")
    callbacks.on_predict_begin()
    outputs = []
    with no_grad():
        for step, xb in enumerate(stream.batches()):
            if hooks:
                callbacks.on_predict_batch_begin(step)
            outputs.append(forward(Tensor(xb))._data)
            if hooks:
                callbacks.on_predict_batch_end(step, {"outputs": outputs[-1]})
    callbacks.on_predict_end()
    return np.concatenate(outputs)
