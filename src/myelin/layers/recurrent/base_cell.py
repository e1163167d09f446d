"""FusedCell: what SimpleRNNCell, LSTMCell and GRUCell share.

A built-in cell holds Keras's three weights (``kernel`` ``(features, gates * units)``,
``recurrent_kernel`` ``(units, gates * units)``, ``bias``), validates its arguments up
front, and names the fused kernel of ``myelin.ops.rnn_cells`` that runs it. The
``RNN`` layer runs that kernel over a whole sequence in one op; calling the cell on
one step runs the same kernel over a sequence of length one.
"""

from numbers import Real

import numpy as np

from ... import activations, backend, initializers
from ...ops.rnn import recurrence
from ...ops.rnn_gates import SUPPORTED_ACTIVATIONS
from ..core import activation_name, serialize_initializer
from ..layer import Layer


def _serialize_extra(value):
    """A regularizer or constraint as a config value (None, a name, or its config)."""
    if value is None or isinstance(value, (str, dict)):
        return value
    return {"class_name": type(value).__name__, "config": value.get_config()}


class FusedCell(Layer):
    """Base class of the built-in recurrent cells (subclasses set ``n_gates``).

    Args:
        units: positive int, the size of the state and of the output.
        activation, recurrent_activation: names or functions among tanh, sigmoid,
            relu and linear (the fused kernels implement those).
        use_bias: whether the cell has a bias.
        kernel_initializer, recurrent_initializer, bias_initializer: initializers
            (Keras's defaults: glorot_uniform, orthogonal, zeros).
        kernel_regularizer, recurrent_regularizer, bias_regularizer: optional
            regularizers passed to ``add_weight``.
        kernel_constraint, recurrent_constraint, bias_constraint: optional constraints.
        dropout: fraction of the input features dropped while training (one mask
            per sequence, the same at every step).
        recurrent_dropout: fraction of the state dropped in the recurrent product.
            Both masks are shared by all gates so the kernel keeps one product per
            step (Keras draws one mask per gate once ``recurrent_dropout > 0``).
        seed: optional int seeding the dropout masks.
    """

    n_gates = 1
    _uses_recurrent_activation = True

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, kernel_initializer="glorot_uniform",
                 recurrent_initializer="orthogonal", bias_initializer="zeros",
                 kernel_regularizer=None, recurrent_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, recurrent_constraint=None, bias_constraint=None,
                 dropout=0.0, recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        where = f"{type(self).__name__} '{self.name}'"
        if isinstance(units, bool) or not isinstance(units, (int, np.integer)) or units <= 0:
            raise ValueError(f"{where}: received an invalid value for argument `units`, "
                             f"expected a positive integer, got {units!r}.")
        self.units = int(units)
        self.activation = self._fused_activation(activation, "activation", where)
        self.recurrent_activation = self._fused_activation(
            recurrent_activation, "recurrent_activation", where)
        self.use_bias = bool(use_bias)
        self._init_args = (kernel_initializer, recurrent_initializer, bias_initializer)
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer, self.recurrent_regularizer = (kernel_regularizer,
                                                               recurrent_regularizer)
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint, self.recurrent_constraint = (kernel_constraint,
                                                             recurrent_constraint)
        self.bias_constraint = bias_constraint
        for arg, rate in (("dropout", dropout), ("recurrent_dropout", recurrent_dropout)):
            if isinstance(rate, bool) or not isinstance(rate, Real) or not 0 <= rate <= 1:
                raise ValueError(f"{where}: `{arg}` must be a float in [0, 1], received "
                                 f"{rate!r}.")
        self.dropout, self.recurrent_dropout = float(dropout), float(recurrent_dropout)
        self.seed = seed
        self._rng = None if seed is None else np.random.default_rng(seed)
        self.state_size = self.units
        self.output_size = self.units
        self.kernel = self.recurrent_kernel = self.bias = None
        self._kernel_op = None

    @staticmethod
    def _fused_activation(value, arg, where):
        fn = activations.get(value)
        name = activation_name(fn)
        if name not in SUPPORTED_ACTIVATIONS:
            raise ValueError(f"{where}: `{arg}`={name!r} is not supported by the fused "
                             f"recurrent kernels; use one of {', '.join(SUPPORTED_ACTIVATIONS)}"
                             f" (or write a custom cell and wrap it in RNN(cell)).")
        return fn

    # --- weights ---------------------------------------------------------------------

    def _bias_shape(self):
        return (self.n_gates * self.units,)

    def _bias_initializer(self):
        return self.bias_initializer

    def build(self, input_shape):
        features = input_shape[-1]
        if features is None:
            raise ValueError(f"{type(self).__name__} '{self.name}': the last axis (features) "
                             f"of the input must be known, received shape {input_shape}.")
        width = self.n_gates * self.units
        self.kernel = self.add_weight(
            shape=(features, width), name="kernel", initializer=self.kernel_initializer,
            regularizer=self.kernel_regularizer, constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(
            shape=(self.units, width), name="recurrent_kernel",
            initializer=self.recurrent_initializer,
            regularizer=self.recurrent_regularizer, constraint=self.recurrent_constraint)
        if self.use_bias:
            self.bias = self.add_weight(
                shape=self._bias_shape(), name="bias", initializer=self._bias_initializer(),
                regularizer=self.bias_regularizer, constraint=self.bias_constraint)

    # --- running ---------------------------------------------------------------------

    def kernel_op(self):
        """The fused kernel of ``myelin.ops.rnn_cells`` computing this cell's steps."""
        if self._kernel_op is None:
            self._kernel_op = self._make_kernel_op()
        return self._kernel_op

    def _make_kernel_op(self):
        raise NotImplementedError

    def get_initial_state(self, batch_size=None):
        """Zero states, one ``(batch_size, units)`` array per state."""
        sizes = self.state_size if isinstance(self.state_size, list) else [self.state_size]
        return [np.zeros((batch_size, size), dtype=self._dtype) for size in sizes]

    def dropout_masks(self, batch, features, dtype, training):
        """``(input mask (batch, 1, features) or None, recurrent mask (batch, units) or
        None)`` for one call: each sample keeps the same dropped units at every step."""
        if not training:
            return None, None
        rng = self._rng or backend.rng()
        masks = []
        for rate, width in ((self.dropout, features), (self.recurrent_dropout, self.units)):
            if rate == 0:
                masks.append(None)
                continue
            keep = rng.random((batch, width), dtype=np.float32) >= rate
            scale = 0.0 if rate == 1 else 1.0 / (1.0 - rate)
            masks.append(np.multiply(keep, dtype.type(scale), dtype=dtype))
        return (None if masks[0] is None else masks[0][:, None, :]), masks[1]

    def call(self, inputs, states, training=None):
        """One step: ``inputs`` ``(batch, features)`` and the list of states ->
        ``(output, new_states)``, as Keras's cells."""
        from ...ops.shape import expand_dims

        states = states if isinstance(states, (list, tuple)) else [states]
        outs = recurrence(self.kernel_op(), expand_dims(inputs, 1), self.kernel,
                          self.recurrent_kernel, self.bias, initial_states=list(states),
                          return_state=True)
        return outs[0], outs[1:]

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.units)

    def get_config(self):
        kernel_init, recurrent_init, bias_init = self._init_args
        config = {
            "units": self.units, "activation": activation_name(self.activation),
            "use_bias": self.use_bias,
            "kernel_initializer": serialize_initializer(kernel_init),
            "recurrent_initializer": serialize_initializer(recurrent_init),
            "bias_initializer": serialize_initializer(bias_init),
            "kernel_regularizer": _serialize_extra(self.kernel_regularizer),
            "recurrent_regularizer": _serialize_extra(self.recurrent_regularizer),
            "bias_regularizer": _serialize_extra(self.bias_regularizer),
            "kernel_constraint": _serialize_extra(self.kernel_constraint),
            "recurrent_constraint": _serialize_extra(self.recurrent_constraint),
            "bias_constraint": _serialize_extra(self.bias_constraint),
            "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
            "seed": self.seed,
        }
        if self._uses_recurrent_activation:
            config["recurrent_activation"] = activation_name(self.recurrent_activation)
        return {**super().get_config(), **config}
