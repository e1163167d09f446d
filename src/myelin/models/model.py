"""Model: a Layer that can be trained (compile / fit / evaluate / predict).

``Model(inputs, outputs)`` builds a functional model (``functional.Functional``) from
``keras.Input`` tensors and the layer calls on them. Or subclass it: create layers as
attributes in ``__init__`` (they are tracked, also inside lists) and compute the
output in ``call``.

Example:
    >>> class TwoLayers(Model):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.hidden = layers.Dense(8, activation="relu")
    ...         self.out = layers.Dense(1)
    ...     def call(self, inputs, training=None):
    ...         return self.out(self.hidden(inputs))
    >>> model = TwoLayers()
    >>> model(np.ones((2, 3))).shape
    (2, 1)
"""

import numpy as np

from .. import backend, saving
from ..autodiff import Tensor, as_array, no_grad
from ..layers.layer import Layer
from . import summary as summary_module
from .trainer import Trainer


class Model(Trainer, Layer):
    """A trainable stack of layers; subclass it and implement ``call``.

    Args:
        name: model name (default ``model``, ``model_1`` ...; subclasses use their
            snake_case class name).
        trainable: whether ``fit`` updates the weights.
        dtype: default dtype of the model's own weights.
    """

    _call_has_training = True

    def __new__(cls, *args, **kwargs):
        # keras.Model(inputs, outputs) builds a functional model, as in Keras.
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from .functional import Functional

            return super().__new__(Functional)
        return super().__new__(cls)

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError(
                f"{type(self).__name__}: passing inputs/outputs to a subclass of Model is "
                f"not supported; build the graph with keras.Model(inputs, outputs), or "
                f"implement call() in the subclass.")
        Layer.__init__(self, **kwargs)
        Trainer.__init__(self)

    def _convert(self, inputs):
        # Floats become floatx; integer ids stay integers for an Embedding inside.
        if isinstance(inputs, Tensor):
            return inputs
        array = as_array(inputs, where=f"Model '{self.name}'")
        if array.dtype.kind == "f" and array.dtype != backend.floatx():
            array = array.astype(backend.floatx())
        return Tensor(array)

    def _ensure_built(self, shape):
        # Sublayers build themselves during this first call.
        if not self.built:
            self._record_build(shape)

    def build(self, input_shape=None):
        """Create the weights by running the model once on zeros of ``input_shape``."""
        if input_shape is None:
            raise ValueError(f"Model '{self.name}'.build: pass the input shape, e.g. "
                             f"build((None, 784)).")
        shape = tuple(1 if d is None else int(d) for d in input_shape)
        self._record_build(input_shape)
        with no_grad():
            self(np.zeros(shape, dtype=backend.floatx()), training=False)

    def call(self, inputs, training=None):
        raise NotImplementedError(f"Model '{self.name}': subclasses of Model implement "
                                  f"call(self, inputs, training=None).")

    @property
    def layers(self):
        """The layers this model holds as attributes, in assignment order."""
        return self._sublayers()

    def get_layer(self, name=None, index=None):
        """A layer by ``name`` or by position ``index`` in ``layers``."""
        layers = self.layers
        if index is not None:
            if not -len(layers) <= index < len(layers):
                raise ValueError(f"Model '{self.name}'.get_layer: index {index} is out of "
                                 f"range; the model has {len(layers)} layers.")
            return layers[index]
        for layer in layers:
            if layer.name == name:
                return layer
        raise ValueError(f"Model '{self.name}'.get_layer: no layer named {name!r}. Layers: "
                         f"{[layer.name for layer in layers]}.")

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        """Print a table of the layers, their output shapes and parameter counts."""
        summary_module.print_summary(self, line_length=line_length, positions=positions,
                                     print_fn=print_fn, **kwargs)

    def _repr_html_(self):
        """The summary table, rendered by Jupyter when a model is a cell's result."""
        return summary_module.summary_html(self)

    # --- saving (Keras's method spellings of myelin.saving) ----------------------------

    def save(self, filepath, overwrite=True, include_optimizer=True):
        """Save architecture, weights and optimizer state to one file (``.myelin``)."""
        saving.save_model(self, filepath, overwrite=overwrite,
                          include_optimizer=include_optimizer)

    def save_weights(self, filepath, overwrite=True):
        """Save the weights (and optimizer state) as an ``.npz`` file."""
        saving.save_weights(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath):
        """Load weights saved by ``save_weights`` (shapes checked before any change)."""
        saving.load_weights(self, filepath)

    def __reduce__(self):
        """Pickle through the safe model format (config + weights, never code)."""
        from ..saving.pickling import reduce_model

        return reduce_model(self)

    def export(self, filepath, format="onnx"):
        """Write the model for inference elsewhere (ONNX)."""
        saving.export_model(self, filepath, format=format)

    # --- hooks for the trainer (Sequential refines them) -------------------------------

    def _first_layer(self):
        """The layer that receives the data, when known statically."""
        return None

    def _input_dtype_for(self, dtype):
        """The dtype data of ``dtype`` is converted to, once per fit."""
        return np.dtype(backend.floatx()) if dtype.kind == "f" else dtype

    def _build_for_data(self, x):
        self(x[:1], training=False)

    def _output_activation(self):
        """A softmax/sigmoid the trainer may fuse into the loss (Sequential only)."""
        return None

    def _forward_fn(self, training, logits=False):
        """A function ``Tensor -> Tensor`` running the model (used by the trainer)."""
        return lambda x: self(x, training=training)

    def _input_spec_shape(self):
        """The input shape the model is built for, or None."""
        return self._build_input_shape
