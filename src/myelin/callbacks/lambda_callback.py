"""LambdaCallback: a callback built from plain functions."""

from .callback import Callback

_HOOKS = sorted(name for name in vars(Callback) if name.startswith("on_"))


class LambdaCallback(Callback):
    """Run the given functions at the matching hooks.

    Args:
        on_epoch_begin / on_epoch_end: ``f(epoch, logs)``.
        on_train_batch_begin / on_train_batch_end: ``f(batch, logs)``.
        on_train_begin / on_train_end (and test / predict): ``f(logs)``.
        **kwargs: other hook names, as in Keras.

    Example:
        >>> losses = []
        >>> cb = LambdaCallback(on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    """

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        given = {"on_epoch_begin": on_epoch_begin, "on_epoch_end": on_epoch_end,
                 "on_train_begin": on_train_begin, "on_train_end": on_train_end,
                 "on_train_batch_begin": on_train_batch_begin,
                 "on_train_batch_end": on_train_batch_end, **kwargs}
        for name, fn in given.items():
            if fn is None:
                continue
            if name not in _HOOKS:
                raise ValueError(f"LambdaCallback: unknown hook '{name}'. Hooks: "
                                 f"{', '.join(_HOOKS)}.")
            setattr(self, name, fn)
