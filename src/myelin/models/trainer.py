"""Trainer: ``compile``, ``fit``, ``evaluate``, ``predict`` and the ``*_on_batch`` calls.

``fit`` converts and validates all data once, up front (shapes, dtypes, NaN/inf,
labels against the loss and the output), so bad input raises before any weight
changes; if an error still happens mid-fit, the weights and the optimizer state are
restored to the end of the last completed epoch (see ``fit_guard``). Keras 3's
defaults and return values.
"""

import warnings

import numpy as np

from ..autodiff import Tensor, no_grad
from ..callbacks.callback_list import CallbackList
from . import data_adapter as data
from . import data_stream, fit_guard, inputs, loops
from .compile_utils import CompileState
from .snapshot import Snapshot


def _verbose(verbose, where):
    """Keras's ``verbose``, checked; ProgbarLogger resolves ``"auto"`` for its stream
    (a live bar on a terminal or notebook, one line per epoch elsewhere)."""
    if verbose != "auto" and (verbose not in (0, 1, 2) or isinstance(verbose, bool)):
        raise ValueError(f"{where}: verbose must be 'auto', 0, 1 or 2, received {verbose!r}.")
    return verbose


def _unpack_validation(validation_data):
    if not isinstance(validation_data, (tuple, list)) or len(validation_data) not in (2, 3):
        raise ValueError(f"fit: validation_data must be a tuple (x_val, y_val) or (x_val, "
                         f"y_val, val_sample_weight), a Dataset, a generator or a PyDataset; "
                         f"received {validation_data!r:.80}.")
    return tuple(validation_data) + (None,) * (3 - len(validation_data))


def _check_validation_freq(value, where):
    if isinstance(value, (list, tuple)):
        return [data.check_positive_int(v, "validation_freq", where) for v in value]
    return data.check_positive_int(value, "validation_freq", where)


class Trainer:
    """The training API mixed into ``Model``."""

    def __init__(self):
        self.compiled = False
        self.optimizer = None
        self.loss = None
        self.stop_training = False
        self.history = None
        self._compile_state = None
        self._batch_steps = None
        self._batch_loss = [0.0, 0]
        self._initial_epoch = None  # set by BackupAndRestore in on_train_begin, as Keras

    # --- compile ---------------------------------------------------------------------

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=None, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Configure training: the optimizer, the loss and the metrics to report.

        Args:
            optimizer: name (``"sgd"``, ``"adam"``, ``"rmsprop"``), class or instance.
            loss: name (``"mse"``, ``"sparse_categorical_crossentropy"``), Loss class
                or instance, or a function ``f(y_true, y_pred)``.
            loss_weights: a scalar weight of the loss.
            metrics: list of names (``"accuracy"``), Metric classes/instances or
                functions, evaluated without sample weights.
            weighted_metrics: the same, weighted by ``sample_weight``/``class_weight``.
            run_eagerly, steps_per_execution, jit_compile, auto_scale_loss: accepted
                for Keras compatibility; myelin always runs eagerly.

        Example:
            >>> model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        """
        state = CompileState(optimizer, loss, loss_weights, metrics, weighted_metrics)
        self._compile_state = state
        self.optimizer, self.loss = state.optimizer, loss
        self.compiled, self.stop_training = True, False
        self._batch_steps = None
        self._batch_loss = [0.0, 0]
        if self.built:
            state.resolve_metrics(inputs.output_shape(self))

    def _train_steps(self):
        """The per-batch work of fit/evaluate (models with several outputs refine it)."""
        return loops.Steps(self)

    def _require_compiled(self, where, need_loss=True):
        if not self.compiled:
            raise RuntimeError(f"You must call compile() before {where}(). For example: "
                               f"model.compile(optimizer='adam', loss='mse').")
        if need_loss and self._compile_state.loss is None:
            raise ValueError(f"{where}: no loss to compute. Provide a `loss` argument in "
                             f"compile(), e.g. compile(optimizer='sgd', loss='mse').")

    @property
    def metrics(self):
        """The compiled metric objects (empty before ``compile``)."""
        state = self._compile_state
        return [] if state is None else state.metrics + state.weighted_metrics

    @property
    def metrics_names(self):
        """``"loss"`` followed by the names of the compiled metrics, in ``evaluate``'s order."""
        return ["loss"] + [m.name for m in self.metrics]

    def reset_metrics(self):
        """Reset the state of every compiled metric and of the running loss."""
        for metric in self.metrics:
            metric.reset_state()
        self._batch_loss = [0.0, 0]

    # --- fit -------------------------------------------------------------------------

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train the model on ``x``/``y`` for ``epochs`` passes.

        Args:
            x, y: samples and targets (NumPy arrays, lists, pandas objects); or as x
                alone a ``myelin.data.Dataset``, a Python generator / iterator or a
                ``keras.utils.PyDataset`` yielding batches ``(x, y)`` or
                ``(x, y, sample_weight)``.
            batch_size: samples per update (default 32; arrays only).
            epochs: number of passes over the data.
            verbose: ``"auto"``/1 (progress bar), 2 (one line per epoch) or 0.
            callbacks: list of ``myelin.callbacks.Callback``.
            validation_split: fraction of the data, taken from the END before
                shuffling, to evaluate on after each epoch.
            validation_data: ``(x_val, y_val)``, ``(x_val, y_val, sample_weight)``, or a
                Dataset / generator / PyDataset of such batches.
            shuffle: shuffle the training samples before each epoch.
            class_weight: ``{class: weight}`` weighting the loss per sample's class.
            sample_weight: one loss weight per sample.
            initial_epoch: epoch to start from (for resuming).
            steps_per_epoch: batches per epoch (default: all of the data; required
                for an endless dataset or generator).
            validation_steps: validation batches per epoch from a Dataset / generator.
            validation_freq: validate every N epochs (or in the listed epochs).

        Returns:
            A ``History``: ``history.history["loss"]`` ... one value per epoch.

        Example:
            >>> history = model.fit(x_train, y_train, epochs=5, validation_split=0.2)
        """
        where = "fit"
        self._require_compiled(where)
        batch_size = data.check_positive_int(32 if batch_size is None else batch_size,
                                             "batch_size", where)
        epochs = data.check_positive_int(epochs, "epochs", where, minimum=0)
        initial_epoch = data.check_positive_int(initial_epoch, "initial_epoch", where, minimum=0)
        steps_per_epoch = data.check_positive_int(steps_per_epoch, "steps_per_epoch", where,
                                                  allow_none=True)
        validation_split = data.check_validation_split(validation_split, where)
        verbose = _verbose(verbose, where)
        validation_freq = _check_validation_freq(validation_freq, where)
        val_batch = data.check_positive_int(validation_batch_size or batch_size,
                                            "validation_batch_size", where)
        if data_stream.is_stream(x):
            if validation_split:
                raise ValueError(f"{where}: validation_split is only supported for arrays; "
                                 f"with a {type(x).__name__} pass validation_data instead.")
            train = self._stream(x, where, steps_per_epoch, y=y, sample_weight=sample_weight,
                                 class_weight=class_weight, shuffle=shuffle)
            steps = train.steps
        else:
            train = inputs.prepare(self, x, y, sample_weight, class_weight, where)
        val = None
        if data_stream.is_stream(validation_data):
            val = self._stream(validation_data, "fit (validation_data)", validation_steps)
            val.check_passes(epochs - initial_epoch)
        elif validation_data is not None:
            vx, vy, vsw = _unpack_validation(validation_data)
            val = inputs.prepare(self, vx, vy, vsw, None, "fit (validation_data)")
        elif validation_split:
            train, val = data.train_validation_split(train, validation_split, where)
        if not data_stream.is_stream(x):
            num_batches = -(-len(train[0]) // batch_size)
            steps = min(steps_per_epoch or num_batches, num_batches)
        cbs = CallbackList(callbacks, add_history=True, add_progbar=verbose != 0, model=self,
                           verbose=verbose, epochs=epochs, steps=steps)
        guard = None
        try:
            guard = fit_guard.FitGuard(self)  # refuses a model that is already training
            self.stop_training = False
            with fit_guard.deferred_interrupts():
                self._fit_epochs(train, val, batch_size, val_batch, shuffle, cbs,
                                 initial_epoch, epochs, steps, validation_freq, guard)
        except KeyboardInterrupt as error:
            if guard is not None:
                guard.interrupted(error)  # weights of the last completed step are kept
            raise
        except Exception as error:
            if guard is not None:
                guard.restore_after_failure(error)  # completed epochs are kept
            raise
        finally:
            if guard is not None:
                guard.release()
            for feed in (train, val):
                if isinstance(feed, data_stream.Stream):
                    feed.close()
        return cbs.history

    def _stream(self, source, where, steps, needs_targets=True, **kwargs):
        """A Dataset / generator / PyDataset as a Stream, its first batch validated."""
        steps = data.check_positive_int(steps, "steps", where, allow_none=True)
        class_weight = kwargs.get("class_weight")
        if needs_targets:
            def prepare(x, y, sample_weight):
                return inputs.prepare(self, x, y, sample_weight, class_weight, where)
        else:
            def prepare(x, y, sample_weight):
                return inputs.prepare_x(self, x, where)
        stream = data_stream.Stream(source, where, prepare, steps, needs_targets, **kwargs)
        try:
            stream.first()
        except BaseException:
            stream.close()
            raise
        return stream

    def _fit_epochs(self, train, val, batch_size, val_batch, shuffle, cbs, initial_epoch,
                    epochs, steps, validation_freq, guard):
        run = self._train_steps()
        if not run.variables:
            warnings.warn(f"fit: model '{self.name}' has no trainable weights (every layer "
                          f"is frozen), so training will not change it.", stacklevel=3)
        # A diverging loss is reported once by train_epoch (epoch, batch, likely cause)
        # instead of as a stream of NumPy overflow warnings.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"), \
                loops.blas_threads_for(self):
            self._run_epochs(run, train, val, batch_size, val_batch, shuffle, cbs,
                             initial_epoch, epochs, steps, validation_freq, guard)

    def _run_epochs(self, run, train, val, batch_size, val_batch, shuffle, cbs,
                    initial_epoch, epochs, steps, validation_freq, guard):
        cbs.on_train_begin()
        if self._initial_epoch is not None:  # resuming from a backup
            initial_epoch, self._initial_epoch = self._initial_epoch, None
        logs = None
        hooks = loops.overrides(cbs, *loops.TRAIN_BATCH_HOOKS)  # once, not every epoch
        for epoch in range(initial_epoch, epochs):
            cbs.on_epoch_begin(epoch)
            logs = loops.train_epoch(run, train, batch_size, shuffle, cbs, epoch, epochs,
                                     limit=steps, hooks=hooks)
            if isinstance(validation_freq, list):
                due = epoch + 1 in validation_freq
            else:
                due = (epoch + 1) % validation_freq == 0
            if val is not None and due:
                val_logs = loops.test_loop(run, val, val_batch, cbs)
                logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, logs)
            if run.diverged is not None or not guard.epoch_done(epoch):
                value, step = run.diverged or (None, None)
                warnings.warn(guard.restore_after_divergence(value, epoch, epochs, step),
                              RuntimeWarning, stacklevel=4)  # points at the user's fit()
                self.stop_training = True
            if self.stop_training:
                break
            if isinstance(train, data_stream.Stream):
                if cbs.params.get("steps") is None and train.known is not None:
                    cbs.set_params({**cbs.params, "steps": train.known})  # now measured
                if epoch + 1 < epochs and not train.more_data():
                    break
        cbs.on_train_end(logs)

    def _snapshot(self, previous=None):
        """Everything a failed fit must put back: weights and optimizer state.

        ``previous`` (this fit's last snapshot) lends its list of weights and its
        buffers, so an epoch end neither walks the layers again nor allocates.
        """
        weights = self.weights if previous is None else previous[0]
        opt = self.optimizer
        state = None
        if hasattr(opt, "get_state") and hasattr(opt, "build"):
            if previous is None:
                opt.build(self.trainable_weights)  # slots exist now, so all state is copied
            state = [v._data for v in opt.variables]
        arrays = [w._data for w in weights] + (state or [])
        saved = Snapshot(arrays) if previous is None else previous[1].update(arrays)
        return weights, saved, state is not None

    def _restore(self, snapshot):
        weights, saved, has_state = snapshot
        arrays = saved.arrays()  # the weights, then the optimizer's state
        for w, array in zip(weights, arrays[:len(weights)], strict=True):
            np.copyto(w._data, array)
        if has_state:
            self.optimizer.set_state(arrays[len(weights):])

    # --- evaluate / predict ----------------------------------------------------------

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False):
        """The loss (and metrics) on ``x``/``y``.

        Returns:
            The loss as a float when no metrics were compiled, else the list
            ``[loss, metric1, ...]``; a dict with ``return_dict=True``.
        """
        where = "evaluate"
        self._require_compiled(where)
        batch_size = data.check_positive_int(32 if batch_size is None else batch_size,
                                             "batch_size", where)
        verbose = _verbose(verbose, where)
        if data_stream.is_stream(x):
            prepared = self._stream(x, where, steps, y=y, sample_weight=sample_weight)
            num = prepared.steps
        else:
            prepared = inputs.prepare(self, x, y, sample_weight, None, where)
            num = -(-len(prepared[0]) // batch_size)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                           epochs=1, steps=num)
        try:
            with loops.blas_threads_for(self):
                logs = loops.test_loop(self._train_steps(), prepared, batch_size, cbs)
        finally:
            if isinstance(prepared, data_stream.Stream):
                prepared.close()
        return self._returned(logs, return_dict)

    @staticmethod
    def _returned(logs, return_dict):
        if return_dict:
            return logs
        values = list(logs.values())
        return values[0] if len(values) == 1 else values

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs for ``x`` as a NumPy array (computed in batches)."""
        where = "predict"
        batch_size = data.check_positive_int(32 if batch_size is None else batch_size,
                                             "batch_size", where)
        verbose = _verbose(verbose, where)
        if data_stream.is_stream(x):
            stream = self._stream(x, where, steps, needs_targets=False)
            cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                               verbose=verbose, epochs=1, steps=stream.steps)
            try:
                with loops.blas_threads_for(self):
                    return loops.predict_stream(self._forward_fn(False), stream, cbs)
            finally:
                stream.close()
        x = inputs.prepare_x(self, x, where)
        cbs = CallbackList(callbacks, add_progbar=verbose != 0, model=self, verbose=verbose,
                           epochs=1, steps=-(-len(x) // batch_size))
        with loops.blas_threads_for(self, rows=min(batch_size, len(x))):
            return loops.predict_loop(self._forward_fn(False), x, batch_size, cbs)

    # --- single batches --------------------------------------------------------------

    def _on_batch(self, x, y, sample_weight, class_weight, where):
        self._require_compiled(where)
        prepared = inputs.prepare(self, x, y, sample_weight, class_weight, where)
        if self._batch_steps is None:
            self._batch_steps = self._train_steps()
        return prepared, self._batch_steps

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One gradient update on one batch; returns the running loss (and metrics)
        since the last ``reset_metrics()``, as Keras 3."""
        (xb, yb, swb), run = self._on_batch(x, y, sample_weight, class_weight,
                                            "train_on_batch")
        value = run.train_step(xb, yb, swb)
        return self._batch_result(run, value, len(xb), return_dict)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss (and metrics) on one batch, without updating the weights."""
        (xb, yb, swb), run = self._on_batch(x, y, sample_weight, None, "test_on_batch")
        value = run.test_step(xb, yb, swb)
        return self._batch_result(run, value, len(xb), return_dict)

    def _batch_result(self, run, value, count, return_dict):
        self._batch_loss[0] += value * count
        self._batch_loss[1] += count
        return self._returned(run.logs(*self._batch_loss), return_dict)

    def predict_on_batch(self, x):
        """The outputs for one batch as a NumPy array."""
        x = inputs.prepare_x(self, x, "predict_on_batch")
        with no_grad():
            return self._forward_fn(False)(Tensor(x))._data
