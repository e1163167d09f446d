"""Sequential: a plain stack of layers, each feeding the next.

Example:
    >>> model = Sequential([Input(shape=(784,)), Dense(300, activation="relu"),
    ...                     Dense(10, activation="softmax")])
    >>> model.count_params()
    238510
"""

import numpy as np

from .. import backend
from .. import layers as layers_module
from ..graph import SymbolicTensor
from ..layers.input_layer import InputLayer
from ..layers.layer import Layer
from ..layers.weights import shape_tuple
from .model import Model


class Sequential(Model):
    """A model made of a list of layers applied one after another.

    The model is built (its weights created) as soon as the input shape is known:
    from an ``Input(shape=...)`` first element, the first layer's ``input_shape=``,
    an explicit ``build((None, features))``, or the first batch of data.

    Args:
        layers: optional list of layers (an ``Input(...)`` may come first).
        trainable: whether ``fit`` updates the weights.
        name: model name (default ``sequential``, ``sequential_1`` ...).
    """

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(trainable=trainable, name=name)
        self._stack = []
        for layer in layers or ():
            self.add(layer, rebuild=False)
        self._maybe_rebuild()

    # --- the stack -------------------------------------------------------------------

    def add(self, layer, rebuild=True):
        """Append a layer (or an ``Input(...)``, as the first element only)."""
        if isinstance(layer, SymbolicTensor) and layer.node.kind == "input":
            layer = layer.node.layer
        if not isinstance(layer, Layer):
            raise TypeError(f"Only instances of Layer can be added to a Sequential model. "
                            f"Received: {layer!r} (of type {type(layer).__name__}).")
        if isinstance(layer, InputLayer) and self._stack:
            raise ValueError(f"Sequential model '{self.name}': an Input can only be the "
                             f"first element; received it after {len(self._stack)} layers.")
        if any(existing.name == layer.name for existing in self._stack):
            raise ValueError(f"All layers added to a Sequential model should have unique "
                             f"names. Name '{layer.name}' is already the name of a layer in "
                             f"this model. Update the `name` argument to pass a unique name.")
        self._stack.append(layer)
        if rebuild:
            self._maybe_rebuild()

    def pop(self, rebuild=True):
        """Remove and return the last layer."""
        if not self.layers:
            raise TypeError("There are no layers in the model.")
        layer = self._stack.pop()
        self.built = False
        self._build_input_shape = None
        if rebuild:
            self._maybe_rebuild()
        return layer

    @property
    def layers(self):
        """The layers, without the InputLayer (as Keras)."""
        return [layer for layer in self._stack if not isinstance(layer, InputLayer)]

    def _declared_input_shape(self):
        """The input shape from an Input or the first layer's ``input_shape=``."""
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[0].batch_shape
        if self._stack and self._stack[0]._input_shape_arg is not None:
            return self._stack[0]._input_shape_arg
        return None

    def _maybe_rebuild(self):
        shape = self._build_input_shape or self._declared_input_shape()
        if shape is not None and self.layers:
            self.build(shape)

    # --- building and shapes ---------------------------------------------------------

    def build(self, input_shape=None):
        """Build every layer for inputs of ``input_shape``, e.g. ``(None, 1)``."""
        shape = input_shape if input_shape is not None else self._declared_input_shape()
        if shape is None:
            raise ValueError(f"Sequential model '{self.name}'.build: you must provide an "
                             f"`input_shape` argument, e.g. build((None, 784)).")
        if isinstance(shape, (int,)) or len(shape) < 1:
            raise ValueError(f"Sequential model '{self.name}'.build: expected a shape "
                             f"including the batch axis, e.g. (None, 784); received {shape}.")
        shape = shape_tuple(shape, f"Sequential model '{self.name}'.build")
        declared = self._declared_input_shape()
        if declared is not None and tuple(shape[1:]) != tuple(declared[1:]):
            raise ValueError(f"Sequential model '{self.name}'.build: the model's Input "
                             f"declares shape {declared} but build() received {shape}.")
        for layer in self.layers:
            if layer.built:
                layer._check_input(shape)
            else:
                layer._ensure_built(shape)
            shape = layer.compute_output_shape(shape)
        self._record_build(input_shape if input_shape is not None else declared)

    def _ensure_built(self, shape):
        if not self.built:
            self.build((None,) + tuple(shape[1:]))

    def compute_output_shape(self, input_shape):
        shape = tuple(input_shape)
        for layer in self.layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def _input_spec_shape(self):
        return self._build_input_shape or self._declared_input_shape()

    # --- hooks for the trainer --------------------------------------------------------

    def _first_layer(self):
        return self.layers[0] if self.layers else None

    def _input_dtype_for(self, dtype):
        if self._stack and isinstance(self._stack[0], InputLayer):
            return self._stack[0]._dtype
        first = self._first_layer()
        if dtype.kind == "f" or (first is not None and first._autocast):
            return np.dtype(backend.floatx())
        return dtype

    def _build_for_data(self, x):
        self.build((None,) + x.shape[1:])

    def _output_activation(self):
        last = self.layers[-1] if self.layers else None
        if last is None or last.activity_regularizer is not None:  # it sees the activation
            return None
        return last.logits_activation() if hasattr(last, "logits_activation") else None

    # --- running ---------------------------------------------------------------------

    def call(self, inputs, training=None, mask=None):
        return self._run(inputs, training, mask=mask)

    def _run(self, x, training, logits=False, mask=None):
        """Apply the layers in order, passing masks along (Embedding(mask_zero=True)).

        Each layer's ``__call__`` sees that the entry call already set the training mode
        and runs a plain layer's ``call`` directly (``Layer._adds_nothing``).
        """
        layers = self.layers
        last = len(layers) - 1
        for i, layer in enumerate(layers):
            if logits and i == last:
                out = layer.call_logits(x)
            else:
                kwargs = {"mask": mask} if mask is not None and layer._call_has_mask else {}
                out = layer(x, training=training, **kwargs)
            mask = layer.compute_mask(x, mask)
            x = out
        self._output_mask = mask  # the trainer weighs losses and metrics with it
        return x

    def _forward_fn(self, training, logits=False):
        """The trainer's forward pass: the layers' ``call`` in a tight loop (inputs are
        already validated and converted once per fit), or ``_run`` when masks flow."""
        layers = self.layers
        # Masks and activity regularizers need each layer's __call__.
        if any(getattr(layer, "mask_zero", False) or getattr(layer, "_makes_mask", False)
               or layer.activity_regularizer is not None
               for layer in layers):
            return lambda x: self._run(x, training, logits)
        steps = [(layer.call, layer._call_has_training) for layer in layers]
        if logits:
            steps[-1] = (layers[-1].call_logits, False)
        steps = tuple(steps)

        def forward(x):
            for call, takes_training in steps:
                x = call(x, training=training) if takes_training else call(x)
            return x

        return forward

    # --- config ----------------------------------------------------------------------

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "layers": [layers_module.serialize(layer) for layer in self._stack]}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        model = cls(name=config.get("name"), trainable=config.get("trainable", True))
        for layer_config in config.get("layers", ()):
            model.add(layers_module.deserialize(layer_config, custom_objects), rebuild=False)
        model._maybe_rebuild()
        return model

