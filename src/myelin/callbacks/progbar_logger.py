"""ProgbarLogger: training progress with Keras's ``verbose`` semantics.

``verbose=0`` prints nothing; ``1`` draws a live tqdm bar per epoch; ``2`` prints
one plain line per epoch::

    Epoch 3/40 - 0.12s - loss: 0.6931 - accuracy: 0.5000 - val_loss: 0.7012

``"auto"`` means 1 only on a real terminal or in a notebook, else 2, so logs
redirected to a file or a CI console never receive ``\\r`` or ``\\b``; an explicit
``verbose=1`` on such a stream is printed as 2 for the same reason.
"""

import os
import sys
import time

from .callback import Callback


def in_notebook():
    """Whether we run inside an IPython kernel (Jupyter, Colab), which renders bars."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return shell is not None and "IPKernelApp" in getattr(shell, "config", {})


def is_live(stream):
    """Whether ``stream`` can show a redrawn bar: a terminal, or a notebook's output."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) or in_notebook()


def _terminal_rows(stream):
    try:
        return os.get_terminal_size(stream.fileno()).lines
    except (AttributeError, OSError, ValueError):
        return -1  # not a real terminal: tqdm uses its own defaults


def resolve_verbose(verbose, stream):
    """0, 1 or 2 from Keras's ``verbose`` (``"auto"`` included) for this stream."""
    if verbose == "auto":
        return 1 if is_live(stream) else 2
    if verbose not in (0, 1, 2, False, True):
        raise ValueError(f"verbose must be 0, 1, 2 or 'auto', received {verbose!r}.")
    verbose = int(verbose)
    return 2 if verbose == 1 and not is_live(stream) else verbose


def format_logs(logs):
    """``"loss: 0.6931 - accuracy: 0.5000"``: Keras's 4 decimals, or 4 significant
    digits in exponent form for values of magnitude 1e-3 and below."""
    parts = []
    for key, value in (logs or {}).items():
        try:
            value = float(value)
        except (TypeError, ValueError):
            parts.append(f"{key}: {value}")
            continue
        parts.append(f"{key}: {value:.4f}" if abs(value) > 1e-3 else f"{key}: {value:.4e}")
    return " - ".join(parts)


class ProgbarLogger(Callback):
    """Report progress of fit / evaluate / predict on ``stream`` (default stdout).

    Reads ``verbose``, ``epochs`` and ``steps`` from ``params`` (set by the trainer).
    evaluate and predict print a line ``"{steps}/{steps} - {time}s - loss: ..."`` at
    verbose 2, and a bar at verbose 1.

    Args:
        stream: a text stream; None means ``sys.stdout`` at the time of writing.

    Example:
        >>> import io
        >>> out = io.StringIO()
        >>> bar = ProgbarLogger(stream=out)
        >>> bar.set_params({"verbose": "auto", "epochs": 2, "steps": 1})
        >>> bar.on_epoch_begin(0); bar.on_epoch_end(0, {"loss": 0.5})
    """

    def __init__(self, stream=None):
        super().__init__()
        self._stream = stream
        self.verbose, self.epochs, self.target = 1, 1, None
        self._in_fit = False
        self._bar = None
        self._start = 0.0
        self._seen = 0

    @property
    def stream(self):
        """Where the progress bar writes: the stream given, else the current ``sys.stdout``."""
        return self._stream if self._stream is not None else sys.stdout

    def set_params(self, params):
        super().set_params(params)
        self.verbose = resolve_verbose(params.get("verbose", "auto"), self.stream)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    # --- bar or line ----------------------------------------------------------------

    def _begin(self, description):
        self._start, self._seen = time.perf_counter(), 0
        self._close_bar()
        if self.verbose == 1:
            from tqdm.auto import tqdm  # the notebook widget when available, else text

            # A terminal that reports a size of 0 x 0 (some CI ptys, `script`) makes tqdm
            # hide the bar as lying outside the screen; give it rows to draw in.
            sized = _terminal_rows(self.stream) != 0
            self._bar = tqdm(total=self.target, desc=description, unit="step",
                             file=self.stream, leave=True, dynamic_ncols=sized,
                             nrows=None if sized else 24)

    def _update(self, batch, logs):
        self._seen = batch + 1
        if self._bar is not None:
            self._bar.update(self._seen - self._bar.n)
            if logs:
                self._bar.set_postfix_str(format_logs(logs), refresh=False)

    def _finish(self, prefix, logs):
        elapsed = time.perf_counter() - self._start
        if self._bar is not None:
            if self._bar.total is not None and self._bar.n < self._bar.total:
                self._bar.update(self._bar.total - self._bar.n)
            if logs:
                self._bar.set_postfix_str(format_logs(logs), refresh=False)
            self._close_bar()
        elif self.verbose == 2:
            details = format_logs(logs)
            line = f"{prefix} - {elapsed:.2f}s" + (f" - {details}" if details else "")
            self.stream.write(line + "\n")
            self.stream.flush()

    def _close_bar(self):
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def _steps_prefix(self):
        target = self.target if self.target is not None else self._seen
        return f"{self._seen}/{target}"

    # --- hooks ----------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._in_fit = True

    def on_train_end(self, logs=None):
        self._in_fit = False
        self._close_bar()

    def on_epoch_begin(self, epoch, logs=None):
        self._begin(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        self._update(batch, logs)

    def on_epoch_end(self, epoch, logs=None):
        self._finish(f"Epoch {epoch + 1}/{self.epochs}", logs)

    def on_test_begin(self, logs=None):
        if not self._in_fit:
            self._begin("Evaluate")

    def on_test_batch_end(self, batch, logs=None):
        if not self._in_fit:
            self._update(batch, logs)

    def on_test_end(self, logs=None):
        if not self._in_fit:
            self._finish(self._steps_prefix(), logs)

    def on_predict_begin(self, logs=None):
        self._begin("Predict")

    def on_predict_batch_end(self, batch, logs=None):
        self._update(batch, None)

    def on_predict_end(self, logs=None):
        self._finish(self._steps_prefix(), None)
