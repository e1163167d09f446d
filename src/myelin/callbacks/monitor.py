"""MonitorCallback: the shared "did the monitored value improve?" logic of
EarlyStopping, ReduceLROnPlateau and ModelCheckpoint."""

import operator
import warnings

from .callback import Callback

_UP = ("acc", "auc", "precision", "recall")  # name fragments of metrics to maximize
_DOWN = ("loss", "error", "mae", "mse", "crossentropy")


class MonitorCallback(Callback):
    """Tracks the best value of ``logs[monitor]``.

    Args:
        monitor: the logged quantity, e.g. ``"val_loss"`` or ``"val_accuracy"``.
        mode: ``"min"``, ``"max"``, or ``"auto"`` (from the metric: losses and errors
            decrease, accuracies increase).
        baseline: a value the monitored quantity has to beat.
        min_delta: the smallest change that counts as an improvement.
    """

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__}: mode '{mode}' is unknown, falling back "
                          f"to 'auto'.", stacklevel=3)
            mode = "auto"
        self.monitor, self.mode, self.baseline = monitor, mode, baseline
        self.min_delta = abs(min_delta)
        self.best = None
        self.monitor_op = None

    def _direction(self):
        name = self.monitor.removeprefix("val_")
        if name == "loss":
            return "down"
        for metric in getattr(self.model, "metrics", None) or []:
            if getattr(metric, "name", None) == name and getattr(metric, "_direction", None):
                return metric._direction
        if any(part in name for part in _UP):
            return "up"
        if any(part in name for part in _DOWN):
            return "down"
        raise ValueError(
            f"{type(self).__name__} received monitor='{self.monitor}' but cannot tell "
            f"whether it should be maximized or minimized. Pass mode='max' or mode='min'."
        )

    def _set_monitor_op(self):
        direction = {"min": "down", "max": "up"}.get(self.mode) or self._direction()
        self.monitor_op = operator.gt if direction == "up" else operator.lt
        self._signed_delta = self.min_delta if direction == "up" else -self.min_delta

    def _is_improvement(self, current, reference):
        if self.monitor_op is None:
            self._set_monitor_op()
        if reference is None:
            return True
        return self.monitor_op(current - self._signed_delta, reference)

    def _monitor_value(self, logs, purpose):
        value = (logs or {}).get(self.monitor)
        if value is None:
            warnings.warn(
                f"{type(self).__name__}: {purpose} is conditioned on '{self.monitor}', which "
                f"is not available. Available metrics are: {', '.join(logs or {})}.",
                stacklevel=3,
            )
        return value
