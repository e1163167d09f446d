"""Functional models: ``keras.Model(inputs, outputs)`` over a graph of layer calls.

``keras.Input`` gives symbolic tensors; calling layers on them records nodes (see
``myelin.graph``); ``Model(inputs, outputs)`` takes the nodes between them. The
model runs those nodes once per call (shared layers share weights, models nest as
layers) and trains with the same trainer as Sequential: one input and one output
take Sequential's fast path, several go through ``multi_io``.

Example:
    >>> inputs = keras.Input(shape=(784,), name="digits")
    >>> x = keras.layers.Dense(64, activation="relu")(inputs)
    >>> outputs = keras.layers.Dense(10, name="predictions")(x)
    >>> model = keras.Model(inputs=inputs, outputs=outputs)
    >>> model.output_shape
    (None, 10)
"""


from ..layers.layer import Layer
from . import functional_config, multi_io
from .functional_graph import map_graph
from .graph_runner import GraphRunner, logits_head
from .model import Model


def _structure(value, where):
    if isinstance(value, (list, tuple)):
        return list(value)
    if isinstance(value, dict):
        return dict(value)
    if value is None:
        raise ValueError(f"Model: `{where}` is None; pass the keras.Input tensor(s) and the "
                         f"output tensor(s), e.g. keras.Model(inputs, outputs).")
    return value


def flat(struct):
    """The leaves of a tensor, list or dict of tensors; dict entries sorted by key, as
    Keras 3 orders them (so a list of losses maps to the outputs as in Keras)."""
    if isinstance(struct, dict):
        return [struct[key] for key in sorted(struct)]
    return list(struct) if isinstance(struct, list) else [struct]


def pack(struct, leaves):
    """``leaves`` (a flat list, in ``flat``'s order) arranged as ``struct``."""
    if isinstance(struct, dict):
        return dict(zip(sorted(struct), leaves, strict=True))
    if isinstance(struct, list) and len(struct) > 1:
        return list(leaves)
    return leaves[0]


class Functional(Model):
    """A model defined by its input and output tensors (Keras 3's ``Functional``).

    Created by ``keras.Model(inputs, outputs, name=None)``.

    Args:
        inputs: a ``keras.Input`` tensor, or a list or dict of them (intermediate
            tensors of the graph are accepted too: the model then starts there).
        outputs: a tensor computed from the inputs, or a list or dict of them.
        name: model name (default ``functional``, ``functional_1`` ...).
        trainable: whether ``fit`` updates the weights.
    """

    _infer_output_specs = True  # called on symbolic tensors: shapes by running the graph

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        self._inputs_struct = _structure(inputs, "inputs")
        self._outputs_struct = _structure(outputs, "outputs")
        flat_in, flat_out = flat(self._inputs_struct), flat(self._outputs_struct)
        if not flat_out:
            raise ValueError("Model: `outputs` is empty; pass at least one output tensor.")
        nodes, operations = map_graph(flat_in, flat_out)  # raises before any state changes
        super().__init__(name=name, trainable=trainable, **kwargs)
        self.inputs, self.outputs = flat_in, flat_out
        self._nodes, self._operations = nodes, operations
        self._graph_layers = [op for op in operations if isinstance(op, Layer)]
        self._runners = {}
        self._build_input_shape = self.input_shape
        self.built = True
        if not trainable:
            self.trainable = False

    # --- structure -------------------------------------------------------------------

    @property
    def layers(self):
        """The layers in graph order, InputLayers first (as Keras 3)."""
        return list(self._graph_layers)

    @property
    def input(self):
        """The inputs as given to the constructor (a tensor, list or dict)."""
        return self._inputs_struct

    @property
    def output(self):
        """The outputs as given to the constructor (a tensor, list or dict)."""
        return self._outputs_struct

    @property
    def input_names(self):
        """The names data may be given under (dict keys, or the Input names)."""
        if isinstance(self._inputs_struct, dict):
            return sorted(self._inputs_struct)
        return [t.name for t in self.inputs]

    @property
    def output_names(self):
        """One name per output: dict keys, or the name of the layer making it."""
        if isinstance(self._outputs_struct, dict):
            return sorted(self._outputs_struct)
        return [functional_config.producer_name(t) for t in self.outputs]

    @property
    def input_shape(self):
        """The inputs' shapes: one tuple, or a list/dict of them (batch axis None)."""
        return self._shapes(self._inputs_struct, self.inputs)

    @property
    def output_shape(self):
        """The outputs' shapes: one tuple, or a list/dict of them."""
        return self._shapes(self._outputs_struct, self.outputs)

    @staticmethod
    def _shapes(struct, flat):
        shapes = [tuple(t.shape) for t in flat]
        if isinstance(struct, list) and len(shapes) == 1:
            return shapes[0]
        return pack(struct, shapes)

    def compute_output_shape(self, input_shape):
        """The output shape(s), with the batch size of ``input_shape`` (Keras 3)."""
        first = flat(input_shape) if isinstance(input_shape, (list, dict)) else [input_shape]
        batch = first[0][0] if first and isinstance(first[0], tuple) and first[0] else None
        shapes = [(batch,) + tuple(t.shape[1:]) for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else pack(self._outputs_struct, shapes)

    # --- calling ---------------------------------------------------------------------

    def _convert_inputs(self, inputs):
        # Each leaf is converted to its Input's dtype later, in `call`.
        return inputs

    def call(self, inputs, training=None, mask=None):
        where = f"Model '{self.name}'"
        feeds = [multi_io.input_tensor(t, v, where)
                 for t, v in zip(self.inputs, multi_io.flat_inputs(self, inputs, where),
                                 strict=True)]
        masks = None
        if mask is not None:
            masks = {id(t): m for t, m in zip(self.inputs, flat(mask), strict=False)
                     if m is not None}
        outputs, _ = self._runner(training, ())(feeds, masks)
        return pack(self._outputs_struct, outputs)

    def _runner(self, training, logits):
        key = (training, tuple(logits))
        runner = self._runners.get(key)
        if runner is None:
            runner = GraphRunner(self._nodes, self.inputs, self.outputs, self._graph_layers,
                                 training, logits)
            self._runners[key] = runner
        return runner

    # --- hooks for the trainer --------------------------------------------------------

    @property
    def _multi_io(self):
        return len(self.inputs) != 1 or len(self.outputs) != 1

    def _input_spec_shape(self):
        return self.input_shape

    def _output_activations(self):
        """Per output: the softmax/sigmoid the trainer may fuse into its loss, or None."""
        masks = any(type(layer).compute_mask is not Layer.compute_mask
                    for layer in self._graph_layers)
        producers = [id(t.node) for t in self.outputs]
        return [logits_head(t.node, masks) if producers.count(id(t.node)) == 1 else None
                for t in self.outputs]

    def _output_activation(self):
        return self._output_activations()[0] if len(self.outputs) == 1 else None

    def _forward_fn(self, training, logits=False):
        """The trainer's forward pass. One input and output: ``Tensor -> Tensor``;
        several: ``[Tensor, ...] -> [Tensor, ...]``. ``logits`` is a bool (one output)
        or the indices of the outputs to compute as logits."""
        if logits is True:
            logits = (0,)
        runner = self._runner(training, logits or ())
        if self._multi_io:
            return lambda xs: runner(xs)[0]
        output = id(self.outputs[0])

        def forward(x):
            outs, context = runner([x])
            if context.masks:  # a masked sequence output: the trainer weighs its loss
                self._output_mask = context.masks.get(output)
            return outs[0]

        return forward

    def _prepare_x(self, x, where):
        return multi_io.prepare_x(self, x, where)

    def _prepare(self, x, y, sample_weight, class_weight, where):
        return multi_io.prepare(self, x, y, sample_weight, class_weight, where)

    def _train_steps(self):
        return multi_io.steps_for(self)

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, **kwargs):
        """As ``Model.compile``; with several outputs, ``loss``, ``loss_weights``,
        ``metrics`` and ``weighted_metrics`` may be lists (one entry per output) or dicts
        keyed by output name (``model.output_names``).

        Example:
            >>> model.compile(optimizer="rmsprop",
            ...               loss={"priority": "binary_crossentropy",
            ...                     "department": "categorical_crossentropy"},
            ...               loss_weights={"priority": 1.0, "department": 0.2})
        """
        heads = multi_io.compile_heads(self, loss, loss_weights, metrics, weighted_metrics)
        if heads is None:  # one output: the Sequential path, unchanged
            loss, loss_weights, metrics, weighted_metrics = multi_io.single_output_args(
                self, loss, loss_weights, metrics, weighted_metrics)
            return super().compile(optimizer, loss, loss_weights, metrics, weighted_metrics,
                                   **kwargs)
        super().compile(optimizer, None, None, None, None, **kwargs)
        self._compile_state.loss = heads  # the per-output losses the trainer checks for
        self.loss = loss
        return None

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The outputs for ``x``: an array, or a list/dict of arrays for several outputs."""
        if not self._multi_io:
            return super().predict(x, batch_size, verbose, steps, callbacks)
        return multi_io.predict(self, x, batch_size, verbose, callbacks, steps)

    def predict_on_batch(self, x):
        """The outputs for one batch: an array, or a list/dict for several outputs."""
        if not self._multi_io:
            return super().predict_on_batch(x)
        return multi_io.predict(self, x, None, 0, None, whole=True)

    # --- config ----------------------------------------------------------------------

    def get_config(self):
        """Keras 3's functional config: ``layers`` (each with its ``inbound_nodes``),
        ``input_layers`` and ``output_layers`` as ``[layer name, node index, tensor
        index]``."""
        return functional_config.get_config(self)

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """Rebuild the graph from ``get_config()`` (layers only from the registry)."""
        return functional_config.from_config(cls, config, custom_objects)

    def __repr__(self):
        return f"<Functional name={self.name}, inputs={len(self.inputs)}, " \
               f"outputs={len(self.outputs)}>"

