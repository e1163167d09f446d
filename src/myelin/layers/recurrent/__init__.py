"""Recurrent layers: the RNN wrapper, the built-in cells and layers, Bidirectional and
TimeDistributed (Keras 3's names, arguments and weight layouts)."""

from .base_cell import FusedCell
from .bidirectional import Bidirectional
from .gru import GRU, GRUCell
from .lstm import LSTM, LSTMCell
from .rnn import RNN
from .simple_rnn import SimpleRNN, SimpleRNNCell
from .time_distributed import TimeDistributed

__all__ = ["Bidirectional", "FusedCell", "GRU", "GRUCell", "LSTM", "LSTMCell", "RNN",
           "SimpleRNN", "SimpleRNNCell", "TimeDistributed"]
