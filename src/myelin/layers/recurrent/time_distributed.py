"""TimeDistributed: applies one layer to every step of a sequence."""

from ...ops.shape import reshape
from ..layer import Layer


class TimeDistributed(Layer):
    """Applies ``layer`` to each step of ``(batch, timesteps, ...)`` inputs, with the
    same weights for every step (the steps are folded into the batch: one call).

    Args:
        layer: a Layer that takes ``(batch, ...)`` inputs, e.g. ``Dense(1)``.

    Input shape:
        ``(batch, timesteps, ...)``.

    Output shape:
        ``(batch, timesteps) + layer's output shape without its batch axis``.

    Example:
        >>> TimeDistributed(Dense(4))(np.ones((2, 5, 3))).shape
        (2, 5, 4)
    """

    _min_ndim = 3
    supports_masking = True

    def __init__(self, layer, **kwargs):
        if not isinstance(layer, Layer):
            raise ValueError(f"TimeDistributed: please initialize with a Layer instance, "
                             f"received layer={layer!r}.")
        super().__init__(**kwargs)
        self.layer = layer

    def _check_rank(self, shape_):
        if len(shape_) < 3:
            raise ValueError(
                f"TimeDistributed layer '{self.name}' expects inputs of shape (batch, "
                f"timesteps, ...) but received shape {tuple(shape_)}. If it follows a "
                f"recurrent layer, give that layer return_sequences=True.")

    def build(self, input_shape):
        self.layer._ensure_built((None,) + tuple(input_shape[2:]))

    def call(self, inputs, training=None):
        batch, steps = inputs.shape[0], inputs.shape[1]
        folded = reshape(inputs, (batch * steps,) + tuple(inputs.shape[2:]))
        out = self.layer(folded, training=training)
        return reshape(out, (batch, steps) + tuple(out.shape[1:]))

    def compute_output_shape(self, input_shape):
        inner = self.layer.compute_output_shape((input_shape[0],) + tuple(input_shape[2:]))
        return (input_shape[0], input_shape[1]) + tuple(inner[1:])

    def get_config(self):
        from .. import serialize

        return {**super().get_config(), "layer": serialize(self.layer)}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        from .. import deserialize

        config = dict(config)
        config["layer"] = deserialize(config["layer"], custom_objects)
        return cls(**config)
