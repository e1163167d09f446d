"""RNN: runs a cell over the steps of a sequence (Keras 3's ``keras.layers.RNN``).

Built-in cells (``SimpleRNNCell``, ``LSTMCell``, ``GRUCell``) run as one fused op over
the whole sequence (``myelin.ops.rnn``); any other cell (a Layer with
``call(inputs, states)`` and ``state_size``) runs step by step through the tape.
``SimpleRNN``, ``LSTM`` and ``GRU`` are this layer with their cell built in.
"""

import numpy as np

from ...autodiff import Tensor, as_array
from ...ops import elementwise
from ...ops.rnn import recurrence
from ...ops.shape import stack
from ..layer import Layer
from .base_cell import FusedCell


def _raw(value):
    return value._data if isinstance(value, Tensor) else value


class RNN(Layer):
    """Base class for recurrent layers: applies ``cell`` to every step of the input.

    Args:
        cell: a cell instance: ``call(inputs, states)`` returning ``(output,
            new_states)``, with a ``state_size`` (int or list of ints).
        return_sequences: return the output of every step, ``(batch, timesteps,
            units)``, instead of the last one, ``(batch, units)``.
        return_state: also return the final states, as ``[output, *states]``.
        go_backwards: process the sequence last step first (the output sequence is
            then in processing order, as Keras).
        stateful: the final states of a batch are the initial states of the next
            (needs a fixed batch size, e.g. ``Input(shape=..., batch_size=32)``).
        unroll: accepted for Keras compatibility (myelin never unrolls).
        zero_output_for_mask: masked steps output zeros instead of the previous output.

    Call arguments:
        sequences: ``(batch, timesteps, features)``.
        initial_state: list of ``(batch, state_size)`` arrays, one per state.
        mask: boolean ``(batch, timesteps)``; False steps leave the states unchanged.
        training: enables ``dropout`` / ``recurrent_dropout`` of built-in cells.

    Example:
        >>> layer = RNN(LSTMCell(4), return_sequences=True)
        >>> layer(np.ones((2, 5, 3))).shape
        (2, 5, 4)
    """

    _ndim = 3

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            raise ValueError("RNN: a list of cells (StackedRNNCells) is not supported; stack "
                             "several recurrent layers with return_sequences=True instead.")
        if not callable(getattr(cell, "call", None)) or getattr(cell, "state_size",
                                                                None) is None:
            raise ValueError(f"RNN: argument `cell` must have a `call` method and a "
                             f"`state_size` attribute (int or list of ints). Received: "
                             f"cell={cell!r}")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences, self.return_state = bool(return_sequences), bool(return_state)
        self.go_backwards, self.stateful = bool(go_backwards), bool(stateful)
        self.unroll, self.zero_output_for_mask = bool(unroll), bool(zero_output_for_mask)
        size = cell.state_size
        self.state_size = [int(size)] if isinstance(size, (int, np.integer)) else [
            int(s) for s in size]
        self.states = None  # the stateful layer's carried states (arrays, not weights)

    # --- shapes and checks -----------------------------------------------------------

    @property
    def _kind(self):
        return f"{type(self).__name__} layer '{self.name}'"

    def _check_rank(self, shape):
        if len(shape) == 3:
            return
        raise ValueError(
            f"{self._kind} expects inputs of shape (batch, timesteps, features) but "
            f"received shape {tuple(shape)}. For token ids put an Embedding layer first; "
            f"for one feature per step add an axis, e.g. np.expand_dims(x, -1); after "
            f"another recurrent layer, give that layer return_sequences=True.")

    def _ensure_built(self, shape):
        if not self.built:
            self._check_rank(shape)
            if self.stateful:
                self._create_states(shape[0])
            super()._ensure_built(shape)

    def build(self, sequences_shape):
        cell = self.cell
        if isinstance(cell, Layer) and not cell.built:
            cell._ensure_built((None,) + tuple(sequences_shape[2:]))

    def _create_states(self, batch):
        if batch is None:
            raise ValueError(
                f"{self._kind} is stateful, so it needs a fixed batch size, but the batch "
                f"size is unknown. Declare it, e.g. Input(shape=(timesteps, features), "
                f"batch_size=32) as the first layer, or batch_input_shape=(32, timesteps, "
                f"features) on the first layer.")
        self._batch_size = int(batch)
        self.reset_states()

    def reset_states(self):
        """Set a stateful layer's carried states back to zeros."""
        if self.stateful and getattr(self, "_batch_size", None) is not None:
            self.states = [np.zeros((self._batch_size, s), self._dtype) for s in self.state_size]

    reset_state = reset_states

    def compute_output_shape(self, sequences_shape, initial_state_shape=None):
        batch, steps = sequences_shape[0], sequences_shape[1]
        units = getattr(self.cell, "output_size", None) or self.state_size[0]
        out = (batch, steps, units) if self.return_sequences else (batch, units)
        if self.return_state:
            return [out] + [(batch, s) for s in self.state_size]
        return out

    def compute_mask(self, inputs, mask=None):
        out = mask if self.return_sequences else None
        return [out] + [None] * len(self.state_size) if self.return_state else out

    # --- running ---------------------------------------------------------------------

    def _initial_states(self, initial_state, batch, dtype):
        if initial_state is None:
            if not self.stateful:
                return None
            if batch != self._batch_size:
                raise ValueError(
                    f"{self._kind} is stateful with batch size {self._batch_size}, but "
                    f"received a batch of {batch}. Feed batches of exactly "
                    f"{self._batch_size} samples (drop the remainder), or rebuild the "
                    f"model with the new batch size.")
            return [Tensor(s) for s in self.states]
        given = list(initial_state) if isinstance(initial_state, (list, tuple)) else [
            initial_state]
        if len(given) != len(self.state_size):
            raise ValueError(f"{self._kind} has {len(self.state_size)} state(s) but "
                             f"initial_state holds {len(given)}. Pass one (batch, units) "
                             f"array per state, e.g. [h, c] for an LSTM.")
        states = []
        for k, (value, size) in enumerate(zip(given, self.state_size, strict=True)):
            t = value if isinstance(value, Tensor) else Tensor(
                as_array(value, dtype, f"{self._kind} initial_state"))
            if tuple(t.shape) != (batch, size):
                raise ValueError(
                    f"{self._kind}: initial_state[{k}] must have shape (batch, units) = "
                    f"{(batch, size)} but received {tuple(t.shape)}.")
            states.append(t)
        return states

    def _check_mask(self, mask, sequences):
        if mask is None:
            return None
        mask = np.asarray(_raw(mask), dtype=bool)
        if mask.shape != tuple(sequences.shape[:2]):
            raise ValueError(f"{self._kind}: the mask must have shape (batch, timesteps) = "
                             f"{tuple(sequences.shape[:2])}, received {mask.shape}.")
        return mask

    def call(self, sequences, initial_state=None, mask=None, training=None):
        states = self._initial_states(initial_state, sequences.shape[0], sequences.dtype)
        mask = self._check_mask(mask, sequences)
        want_states = self.return_state or self.stateful
        if isinstance(self.cell, FusedCell):
            outs = self._run_fused(sequences, states, mask, training, want_states)
        else:
            outs = self._run_steps(sequences, states, mask, training, want_states)
        if not want_states:
            return outs
        if self.stateful:
            self.states = [np.array(s._data) for s in outs[1:]]
        return outs if self.return_state else outs[0]

    def _run_fused(self, sequences, states, mask, training, want_states):
        cell = self.cell
        in_mask, rec_mask = cell.dropout_masks(sequences.shape[0], sequences.shape[2],
                                               sequences.dtype, training)
        if in_mask is not None:
            sequences = elementwise.multiply(sequences, Tensor(in_mask))
        return recurrence(
            cell.kernel_op(), sequences, cell.kernel, cell.recurrent_kernel, cell.bias,
            initial_states=states, mask=mask, go_backwards=self.go_backwards,
            return_sequences=self.return_sequences, return_state=want_states,
            zero_output_for_mask=self.zero_output_for_mask, recurrent_mask=rec_mask)

    def _run_steps(self, sequences, states, mask, training, want_states):
        """Any cell: one ``cell(x_t, states)`` per step, recorded on the tape."""
        cell = self.cell
        batch, steps = sequences.shape[0], sequences.shape[1]
        if states is None:
            states = [Tensor(np.zeros((batch, s), sequences.dtype)) for s in self.state_size]
        kwargs = {"training": training} if getattr(cell, "_call_has_training", False) else {}
        outputs = []
        for t in (range(steps - 1, -1, -1) if self.go_backwards else range(steps)):
            out, new = cell(sequences[:, t], list(states), **kwargs)
            new = list(new) if isinstance(new, (list, tuple)) else [new]
            if mask is not None:
                keep = mask[:, t][:, None]
                held = Tensor(np.zeros(out.shape, out.dtype)) if (
                    self.zero_output_for_mask) else states[0]
                out = elementwise.where(keep, out, held)
                new = [elementwise.where(keep, n, s) for n, s in zip(new, states, strict=True)]
            outputs.append(out)
            states = new
        out = stack(outputs, axis=1) if self.return_sequences else outputs[-1]
        return [out] + states if want_states else out

    # --- config ----------------------------------------------------------------------

    def _rnn_config(self):
        return {"return_sequences": self.return_sequences, "return_state": self.return_state,
                "go_backwards": self.go_backwards, "stateful": self.stateful,
                "unroll": self.unroll, "zero_output_for_mask": self.zero_output_for_mask}

    def get_config(self):
        from .. import serialize

        return {**super().get_config(), **self._rnn_config(), "cell": serialize(self.cell)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .. import deserialize

        config = dict(config)
        cell = deserialize(config.pop("cell"), custom_objects)
        return cls(cell, **config)
