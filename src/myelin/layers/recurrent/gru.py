"""GRUCell and GRU: Gated Recurrent Unit (Cho et al., 2014), Keras 3's layout."""

from ...ops.rnn_cells import GRUKernel
from .base_cell import FusedCell
from .fused_rnn import FusedRNN


class GRUCell(FusedCell):
    """One GRU step; gates in Keras's order z (update), r (reset), h (candidate)::

        z, r = recurrent_activation(x_t W_zr + h_{t-1} U_zr + biases)
        hh = activation(x_t W_h + b_h + r * (h_{t-1} U_h + b'_h))   # reset_after=True
        h_t = z * h_{t-1} + (1 - z) * hh

    Weights: ``kernel`` ``(features, 3 * units)``, ``recurrent_kernel`` ``(units, 3 *
    units)``, ``bias`` ``(2, 3 * units)`` (row 0 input bias, row 1 recurrent bias)
    with ``reset_after``, else ``(3 * units,)`` and ``hh = activation(x_t W_h + b_h +
    (r * h_{t-1}) U_h)``.

    Args:
        units: positive int, the size of the state.
        activation: tanh (default); recurrent_activation: sigmoid (default).
        reset_after: apply the reset gate after the recurrent product (default True,
            cuDNN's and Keras 3's convention).
        **kwargs: as ``FusedCell``.

    Example:
        >>> out, (h,) = GRUCell(4)(np.ones((2, 3)), [np.zeros((2, 4))])
    """

    n_gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 reset_after=True, **kwargs):
        super().__init__(units, activation=activation,
                         recurrent_activation=recurrent_activation, **kwargs)
        self.reset_after = bool(reset_after)

    def _bias_shape(self):
        width = 3 * self.units
        return (2, width) if self.reset_after else (width,)

    def _make_kernel_op(self):
        return GRUKernel(self.units, self.activation.__name__,
                         self.recurrent_activation.__name__, self.reset_after)

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after}


class GRU(FusedRNN):
    """Gated Recurrent Unit layer (Keras 3's arguments, defaults and weight layout).

    Args:
        units: positive int, the size of the output and of the state.
        activation: tanh (default); recurrent_activation: sigmoid (default).
        reset_after: default True (bias of shape ``(2, 3 * units)``).
        the other arguments: ``use_bias``, the initializers, regularizers and constraints,
            ``dropout``, ``recurrent_dropout`` and ``seed``, as ``LSTM``.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.

    Input shape:
        ``(batch, timesteps, features)``.

    Output shape:
        ``(batch, timesteps, units)`` with ``return_sequences``, else ``(batch, units)``;
        with ``return_state``, ``[output, h]``.

    Example:
        >>> GRU(4, return_sequences=True)(np.ones((32, 10, 8))).shape
        (32, 10, 4)
    """

    cell_class = GRUCell
