"""Bidirectional: one recurrent layer over the sequence forwards and a copy backwards."""

from ...ops import elementwise
from ...ops.shape import concat
from ..layer import Layer
from .rnn import RNN

_MERGE_MODES = ("sum", "mul", "ave", "concat", None)


def _merge(mode, y, y_rev):
    if mode == "concat":
        return concat([y, y_rev], axis=-1)
    if mode == "sum":
        return elementwise.add(y, y_rev)
    if mode == "ave":
        return elementwise.multiply(elementwise.add(y, y_rev), 0.5)
    if mode == "mul":
        return elementwise.multiply(y, y_rev)
    return [y, y_rev]


class Bidirectional(Layer):
    """Runs ``layer`` over the sequence and a copy of it (``go_backwards`` flipped)
    over the reversed sequence, then merges the two outputs.

    With ``return_sequences``, the backward outputs are reversed back so step ``t``
    of both halves refers to input step ``t``; masked steps output zeros
    (``zero_output_for_mask``), as in Keras.

    Args:
        layer: an ``RNN`` instance (``LSTM``, ``GRU``, ``SimpleRNN`` or ``RNN(cell)``).
        merge_mode: ``"concat"`` (default), ``"sum"``, ``"mul"``, ``"ave"`` or None
            (a list of the two outputs).
        weights: optional list of initial weights (forward layer's, then backward's).
        backward_layer: optional ``RNN`` for the backward direction (by default a
            copy of ``layer`` from its config).

    Example:
        >>> Bidirectional(LSTM(8, return_sequences=True))(np.ones((2, 5, 3))).shape
        (2, 5, 16)
    """

    _ndim = 3

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None,
                 **kwargs):
        if not isinstance(layer, RNN):
            raise ValueError(f"Bidirectional: `layer` must be a recurrent layer (LSTM, GRU, "
                             f"SimpleRNN or RNN), received {layer!r}.")
        if merge_mode not in _MERGE_MODES:
            raise ValueError(f"Bidirectional: invalid merge_mode {merge_mode!r}; expected "
                             f"one of 'sum', 'mul', 'ave', 'concat' or None.")
        if backward_layer is not None and not isinstance(backward_layer, RNN):
            raise ValueError(f"Bidirectional: `backward_layer` must be a recurrent layer, "
                             f"received {backward_layer!r}.")
        super().__init__(**kwargs)
        self.forward_layer = self._copy(layer, "forward_", layer.go_backwards)
        if backward_layer is None:
            self.backward_layer = self._copy(layer, "backward_", not layer.go_backwards)
        else:
            for attr in ("return_sequences", "return_state"):
                if getattr(backward_layer, attr) != getattr(layer, attr):
                    raise ValueError(f"Bidirectional: forward and backward layers must have "
                                     f"the same {attr}; received {getattr(layer, attr)} and "
                                     f"{getattr(backward_layer, attr)}.")
            self.backward_layer = backward_layer
        for part in (self.forward_layer, self.backward_layer):
            part.zero_output_for_mask = part.return_sequences
        self.merge_mode = merge_mode
        self.return_sequences, self.return_state = layer.return_sequences, layer.return_state
        self._initial_weights = weights

    @staticmethod
    def _copy(layer, prefix, go_backwards):
        from .. import deserialize, serialize

        config = serialize(layer)
        inner = config["config"]
        inner["name"] = prefix + layer.name.removeprefix(prefix)
        inner["go_backwards"] = go_backwards
        return deserialize(config)

    def _check_rank(self, shape_):
        self.forward_layer._check_rank(shape_)

    def build(self, sequences_shape):
        self.forward_layer._ensure_built(sequences_shape)
        self.backward_layer._ensure_built(sequences_shape)
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, inputs, initial_state=None, mask=None, training=None):
        forward_state = backward_state = None
        if initial_state is not None:
            half = len(initial_state) // 2
            forward_state, backward_state = initial_state[:half], initial_state[half:]
        y = self.forward_layer(inputs, initial_state=forward_state, mask=mask,
                               training=training)
        y_rev = self.backward_layer(inputs, initial_state=backward_state, mask=mask,
                                    training=training)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = y_rev[:, ::-1]
        out = _merge(self.merge_mode, y, y_rev)
        if not self.return_state:
            return out
        return (out if isinstance(out, list) else [out]) + states

    def compute_output_shape(self, sequences_shape):
        out = self.forward_layer.compute_output_shape(sequences_shape)
        states = []
        if self.return_state:
            states = out[1:] * 2
            out = out[0]
        if self.merge_mode == "concat":
            out = tuple(out[:-1]) + (None if out[-1] is None else 2 * out[-1],)
        outs = [tuple(out), tuple(out)] if self.merge_mode is None else [tuple(out)]
        if self.return_state:
            return outs + states
        return outs if self.merge_mode is None else outs[0]

    def compute_mask(self, inputs, mask=None):
        out = mask if self.return_sequences else None
        outs = [out, out] if self.merge_mode is None else [out]
        if self.return_state:
            return outs + [None] * (2 * len(self.forward_layer.state_size))
        return outs if self.merge_mode is None else out

    def reset_states(self):
        """Reset both directions' carried states (stateful layers)."""
        self.forward_layer.reset_states()
        self.backward_layer.reset_states()

    def get_config(self):
        from .. import serialize

        config = {**super().get_config(), "layer": serialize(self.forward_layer),
                  "merge_mode": self.merge_mode}
        config["layer"]["config"]["name"] = self.forward_layer.name.removeprefix("forward_")
        if self.backward_layer.name.removeprefix("backward_") != config["layer"]["config"][
                "name"]:
            config["backward_layer"] = serialize(self.backward_layer)
        return config

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .. import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        if config.get("backward_layer") is not None:
            config["backward_layer"] = deserialize(config["backward_layer"], custom_objects)
        return cls(**config)
