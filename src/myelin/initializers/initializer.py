"""The Initializer base class and Keras's fan-in / fan-out rule."""

import numpy as np

from .. import backend


def compute_fans(shape):
    """``(fan_in, fan_out)`` of a weight shape, as Keras computes them.

    A Dense kernel ``(in, out)`` has fans ``in`` and ``out``; a convolution kernel
    ``(*spatial, in, out)`` multiplies both by the receptive field size; a vector
    uses its length for both and a scalar 1.

    Example:
        >>> compute_fans((3, 3, 16, 32))
        (144, 288)
    """
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = int(np.prod(shape[:-2])) if len(shape) > 2 else 1
    return shape[-2] * receptive, shape[-1] * receptive


def standardize_shape(shape, where):
    """A shape as a tuple of non-negative ints, or a ValueError naming ``where``."""
    dims = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if not all(isinstance(d, (int, np.integer)) and d >= 0 for d in dims):
        raise ValueError(
            f"{where}: shape must be a tuple of non-negative integers, received {shape!r}."
        )
    return tuple(int(d) for d in dims)


def float_dtype(dtype, where):
    """The requested float dtype (default ``floatx()``); random draws need floats."""
    dtype = np.dtype(dtype or backend.floatx())
    if dtype.kind != "f":
        raise ValueError(
            f"{where}: random initializers produce floats, received dtype {dtype.name}. "
            f"Use a float dtype such as 'float32'."
        )
    return dtype


class Initializer:
    """Base class: ``initializer(shape, dtype=None)`` returns a new NumPy array.

    Subclasses implement ``__call__`` and ``get_config`` (the constructor arguments).

    Example:
        >>> class Twos(Initializer):
        ...     def __call__(self, shape, dtype=None):
        ...         return np.full(shape, 2.0, dtype=dtype or "float32")
    """

    def __call__(self, shape, dtype=None):
        raise NotImplementedError

    def get_config(self):
        """The constructor arguments as a JSON-serialisable dict.

        Returns:
            A dict that ``from_config`` turns back into an equal initializer.
        """
        return {}

    @classmethod
    def from_config(cls, config):
        """Make an initializer from the dict ``get_config`` returned.

        Args:
            config: the dict of constructor arguments.

        Returns:
            A new initializer.
        """
        return cls(**config)

    def __repr__(self):
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"
