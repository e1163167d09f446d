"""FusedRNN: SimpleRNN, LSTM and GRU, each an ``RNN`` with its built-in cell inside.

The layer takes the cell's arguments and the RNN's in one flat signature and
serializes them flat, as Keras 3 does (``LSTM(32).get_config()["units"] == 32``).
"""

import inspect

from .base_cell import FusedCell
from .rnn import RNN

_RNN_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll",
             "zero_output_for_mask")
_LAYER_ARGS = ("name", "trainable", "dtype", "input_shape", "input_dim", "batch_input_shape",
               "batch_size")
_ACCEPTED_AND_IGNORED = ("use_cudnn", "implementation", "time_major")


def _cell_args(cell_class):
    names = set()
    for klass in (cell_class, FusedCell):
        names |= {p for p in inspect.signature(klass.__init__).parameters
                  if p not in ("self", "kwargs")}
    return names


class FusedRNN(RNN):
    """Base of the recurrent layers with a built-in cell (subclasses set ``cell_class``)."""

    cell_class = None

    def __init__(self, units, **kwargs):
        rnn_kwargs = {k: kwargs.pop(k) for k in _RNN_ARGS if k in kwargs}
        layer_kwargs = {k: kwargs.pop(k) for k in _LAYER_ARGS if k in kwargs}
        for key in _ACCEPTED_AND_IGNORED:  # cuDNN / unrolling choices: one kernel here
            kwargs.pop(key, None)
        name = type(self).__name__
        if kwargs.pop("activity_regularizer", None) is not None:
            raise ValueError(f"{name}: activity_regularizer is not supported yet; use "
                             f"kernel_regularizer / recurrent_regularizer instead.")
        unknown = sorted(set(kwargs) - _cell_args(self.cell_class))
        if unknown:
            raise ValueError(f"Unrecognized keyword arguments passed to {name}: {unknown}.")
        cell = self.cell_class(units, dtype=layer_kwargs.get("dtype"),
                               trainable=layer_kwargs.get("trainable", True), **kwargs)
        super().__init__(cell, **rnn_kwargs, **layer_kwargs)

    def __getattr__(self, name):
        # units, activation, dropout ... read through to the cell, as Keras's properties
        cell = self.__dict__.get("cell")
        if cell is None or name.startswith("_"):
            raise AttributeError(name)
        return getattr(cell, name)

    def get_config(self):
        cell_config = self.cell.get_config()
        for key in ("name", "trainable", "dtype"):
            cell_config.pop(key, None)
        config = {**RNN.get_config(self), **cell_config}
        config.pop("cell")
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        return cls(**config)
