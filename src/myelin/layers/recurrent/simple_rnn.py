"""SimpleRNNCell and SimpleRNN: a fully connected RNN, ``h_t = act(x_t W + h U + b)``."""

from ...ops.rnn_cells import SimpleRNNKernel
from .base_cell import FusedCell
from .fused_rnn import FusedRNN


class SimpleRNNCell(FusedCell):
    """One step of a SimpleRNN: ``h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel
    + bias)``; the output is the new state.

    Args:
        units: positive int, the size of the state.
        activation: tanh (default), sigmoid, relu or linear.
        the other arguments: ``use_bias``, the initializers, regularizers and constraints,
            ``dropout``, ``recurrent_dropout`` and ``seed``, as ``FusedCell``. Weights:
            ``kernel`` ``(features, units)``, ``recurrent_kernel`` ``(units, units)``,
            ``bias`` ``(units,)``.

    Example:
        >>> cell = SimpleRNNCell(4)
        >>> out, states = cell(np.ones((2, 3)), [np.zeros((2, 4))])
        >>> out.shape
        (2, 4)
    """

    n_gates = 1
    _uses_recurrent_activation = False

    def __init__(self, units, activation="tanh", **kwargs):
        super().__init__(units, activation=activation, **kwargs)

    def _make_kernel_op(self):
        return SimpleRNNKernel(self.units, self.activation.__name__)


class SimpleRNN(FusedRNN):
    """Fully connected RNN where the output is fed back as the next step's input.

    Args:
        units: positive int, the size of the output and of the state.
        activation: tanh (default), sigmoid, relu or linear.
        use_bias: whether to add a bias (default True).
        kernel_initializer, recurrent_initializer, bias_initializer: default
            glorot_uniform, orthogonal, zeros.
        regularizers and constraints: ``kernel_regularizer``, ``recurrent_regularizer``,
            ``bias_regularizer``, ``kernel_constraint``, ``recurrent_constraint`` and
            ``bias_constraint``, passed to ``add_weight``.
        dropout, recurrent_dropout: fractions of the inputs / states dropped in training.
        seed: seeds the dropout masks.
        return_sequences, return_state, go_backwards, stateful, unroll: as ``RNN``.

    Input shape:
        ``(batch, timesteps, features)``.

    Output shape:
        ``(batch, timesteps, units)`` with ``return_sequences``, else ``(batch, units)``.

    Example:
        >>> SimpleRNN(4)(np.ones((32, 10, 8))).shape
        (32, 4)
    """

    cell_class = SimpleRNNCell
