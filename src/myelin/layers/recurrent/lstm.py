"""LSTMCell and LSTM: Long Short-Term Memory (Hochreiter & Schmidhuber, 1997), Keras 3's layout."""

import numpy as np

from ... import initializers
from ...ops.rnn_cells import LSTMKernel
from .base_cell import FusedCell
from .fused_rnn import FusedRNN


class LSTMCell(FusedCell):
    """One LSTM step; gates in Keras's order i, f, c, o::

        z = x_t @ kernel + h_{t-1} @ recurrent_kernel + bias
        i, f, o = recurrent_activation(z_i, z_f, z_o);  c_t = f * c_{t-1} + i * activation(z_c)
        h_t = o * activation(c_t)

    Weights: ``kernel`` ``(features, 4 * units)``, ``recurrent_kernel`` ``(units, 4 *
    units)``, ``bias`` ``(4 * units,)``. States: ``[h, c]``.

    Args:
        units: positive int, the size of the state.
        activation: tanh (default), sigmoid, relu or linear.
        recurrent_activation: sigmoid (default), tanh, relu or linear.
        unit_forget_bias: add 1 to the forget gate's bias at initialization (default True).
        **kwargs: as ``FusedCell`` (use_bias, initializers, regularizers, constraints,
            dropout, recurrent_dropout, seed, name, dtype).

    Example:
        >>> out, (h, c) = LSTMCell(4)(np.ones((2, 3)), [np.zeros((2, 4)), np.zeros((2, 4))])
    """

    n_gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 unit_forget_bias=True, **kwargs):
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, **kwargs)
        self.unit_forget_bias = bool(unit_forget_bias)
        self.state_size = [self.units, self.units]

    def _bias_initializer(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        base, units = self.bias_initializer, self.units

        def with_forget_ones(shape, dtype=None):
            ones = initializers.get("ones")((units,), dtype=dtype)
            return np.concatenate([base((units,), dtype=dtype), ones,
                                   base((2 * units,), dtype=dtype)])

        return with_forget_ones

    def _make_kernel_op(self):
        return LSTMKernel(self.units, self.activation.__name__,
                          self.recurrent_activation.__name__)

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias}


class LSTM(FusedRNN):
    """Long Short-Term Memory layer (Keras 3's arguments, defaults and weight layout).

    Args:
        units: positive int, the size of the output and of the states.
        activation: tanh (default); recurrent_activation: sigmoid (default).
        use_bias: default True. unit_forget_bias: default True.
        kernel_initializer, recurrent_initializer, bias_initializer: default
            glorot_uniform, orthogonal, zeros.
        regularizers and constraints: ``kernel_regularizer``, ``recurrent_regularizer``,
            ``bias_regularizer``, ``kernel_constraint``, ``recurrent_constraint`` and
            ``bias_constraint``, passed to ``add_weight``.
        dropout, recurrent_dropout: fractions of the inputs / states dropped in training.
        seed: seeds the dropout masks.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.

    Input shape:
        ``(batch, timesteps, features)``; a mask from ``Embedding(mask_zero=True)`` or
        ``Masking`` skips padded steps.

    Output shape:
        ``(batch, timesteps, units)`` with ``return_sequences``, else ``(batch, units)``;
        with ``return_state``, ``[output, h, c]``.

    Example:
        >>> model = Sequential([Embedding(10000, 32), LSTM(32), Dense(1, "sigmoid")])
    """

    cell_class = LSTMCell
