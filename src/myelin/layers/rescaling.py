"""Rescaling: ``inputs * scale + offset`` (e.g. pixel values 0..255 to 0..1)."""

import numpy as np

from .. import ops
from .layer import Layer


def _constant(layer, value, name):
    """A number, or a list of numbers (one per channel), checked up front."""
    try:
        array = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        array = None
    if (array is None or isinstance(value, bool) or array.ndim > 1
            or not np.all(np.isfinite(array))):
        raise ValueError(f"Rescaling layer '{layer.name}': `{name}` must be a finite number "
                         f"or a list of numbers (one per channel), received {name}={value!r}.")
    return float(array) if array.ndim == 0 else array.tolist()


class Rescaling(Layer):
    """Multiplies inputs by ``scale`` and adds ``offset``; integer inputs (uint8 images)
    are cast to the layer's float dtype first.

    Args:
        scale: a number, or a list of numbers broadcast over the last axis.
        offset: a number or such a list (default 0.0).

    Example:
        >>> Rescaling(1.0 / 255)(np.array([[0, 255]], dtype=np.uint8)).numpy()
        array([[0., 1.]], dtype=float32)
    """

    supports_masking = True

    def __init__(self, scale, offset=0.0, **kwargs):
        super().__init__(**kwargs)
        self.scale = _constant(self, scale, "scale")
        self.offset = _constant(self, offset, "offset")

    def call(self, inputs):
        scale = np.asarray(self.scale, dtype=inputs.dtype)
        offset = np.asarray(self.offset, dtype=inputs.dtype)
        return ops.add(ops.multiply(inputs, scale), offset)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "scale": self.scale, "offset": self.offset}
