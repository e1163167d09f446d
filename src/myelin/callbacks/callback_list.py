"""CallbackList: calls every callback's hook in order, with plain-Python logs."""

import numpy as np

from ..autodiff import Tensor
from .callback import Callback
from .history import History
from .progbar_logger import ProgbarLogger


def pythonify_logs(logs):
    """Logs with scalar Tensors and NumPy scalars as Python floats (order kept)."""
    out = {}
    for key, value in (logs or {}).items():
        if isinstance(value, Tensor):
            value = value._data
        if isinstance(value, (np.ndarray, np.generic)) and np.size(value) == 1:
            value = float(value.item())  # also a one-class F1Score's array of shape (1,)
        out[key] = value
    return out


def _dispatch(name):
    """A hook that converts the logs once and calls ``name`` on every callback."""
    if name.endswith(("batch_begin", "batch_end")) or name.startswith("on_epoch"):
        def hook(self, index, logs=None):
            logs = pythonify_logs(logs)
            for callback in self.callbacks:
                getattr(callback, name)(index, logs)
    else:
        def hook(self, logs=None):
            logs = pythonify_logs(logs)
            for callback in self.callbacks:
                getattr(callback, name)(logs)
    hook.__name__ = name
    hook.__doc__ = f"Call ``{name}`` on every callback."
    return hook


class CallbackList(Callback):
    """A container that forwards each hook to its callbacks, in order.

    Args:
        callbacks: list of Callback instances.
        add_history: append a History callback if none is given.
        add_progbar: append a ProgbarLogger if none is given.
        model: the model the callbacks see as ``self.model``.
        **params: ``verbose``, ``epochs``, ``steps`` for the callbacks' ``params``.

    Example:
        >>> cbs = CallbackList([EarlyStopping()], add_history=True, model=model,
        ...                    verbose=2, epochs=10, steps=32)
        >>> cbs.on_train_begin()
    """

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for cb in self.callbacks:
            if not isinstance(cb, Callback):
                raise TypeError(f"CallbackList: expected Callback instances, received "
                                f"{type(cb).__name__}. Subclass myelin.callbacks.Callback.")
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    @property
    def history(self):
        """The History callback in the list, or None."""
        return next((c for c in self.callbacks if isinstance(c, History)), None)

    def append(self, callback):
        """Add one more callback at the end of the list.

        Args:
            callback: a ``Callback``.
        """
        self.callbacks.append(callback)

    def set_model(self, model):
        super().set_model(model)
        for callback in self.callbacks:
            callback.set_model(model)

    def set_params(self, params):
        super().set_params(params)
        for callback in self.callbacks:
            callback.set_params(params)

    on_batch_begin = _dispatch("on_batch_begin")
    on_batch_end = _dispatch("on_batch_end")
    on_epoch_begin = _dispatch("on_epoch_begin")
    on_epoch_end = _dispatch("on_epoch_end")
    on_train_batch_begin = _dispatch("on_train_batch_begin")
    on_train_batch_end = _dispatch("on_train_batch_end")
    on_test_batch_begin = _dispatch("on_test_batch_begin")
    on_test_batch_end = _dispatch("on_test_batch_end")
    on_predict_batch_begin = _dispatch("on_predict_batch_begin")
    on_predict_batch_end = _dispatch("on_predict_batch_end")
    on_train_begin = _dispatch("on_train_begin")
    on_train_end = _dispatch("on_train_end")
    on_test_begin = _dispatch("on_test_begin")
    on_test_end = _dispatch("on_test_end")
    on_predict_begin = _dispatch("on_predict_begin")
    on_predict_end = _dispatch("on_predict_end")
