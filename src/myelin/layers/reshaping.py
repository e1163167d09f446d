"""Flatten, Reshape, RepeatVector, Permute: the same numbers in another sample shape."""

import math

import numpy as np

from ..ops.elementwise import multiply
from ..ops.shape import expand_dims, reshape, transpose
from .layer import Layer


def _prod(dims):
    return None if any(d is None for d in dims) else math.prod(dims)


class Flatten(Layer):
    """Flattens each sample to one axis: ``(batch, 28, 28)`` -> ``(batch, 784)``.

    Args:
        data_format: ``"channels_last"`` (default) or ``"channels_first"`` (the
            channel axis is moved last first, so the order matches channels_last).

    Example:
        >>> Flatten()(np.zeros((2, 28, 28))).shape
        (2, 784)
    """

    _min_ndim = 1

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        data_format = data_format or "channels_last"
        if data_format not in ("channels_last", "channels_first"):
            raise ValueError(f"Flatten layer '{self.name}': data_format must be "
                             f"'channels_last' or 'channels_first', received {data_format!r}.")
        self.data_format = data_format

    def call(self, inputs):
        if self.data_format == "channels_first" and inputs.ndim > 2:
            inputs = transpose(inputs, (0,) + tuple(range(2, inputs.ndim)) + (1,))
        return reshape(inputs, (inputs.shape[0], -1))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], _prod(input_shape[1:]))

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}


class Reshape(Layer):
    """Reshapes each sample to ``target_shape`` (the batch axis is kept).

    Args:
        target_shape: the new shape of one sample; one entry may be -1 (inferred).

    Example:
        >>> Reshape((3, 4))(np.zeros((2, 12))).shape
        (2, 3, 4)
    """

    _min_ndim = 1  # axis 0 is the batch: a scalar has no samples to reshape

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        target = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in target) > 1 or any(d < -1 or d == 0 for d in target):
            raise ValueError(f"Reshape layer '{self.name}': target_shape may contain one -1 "
                             f"and otherwise positive sizes, received {tuple(target_shape)}.")
        self.target_shape = target

    def _resolved(self, sample_shape):
        """``target_shape`` with -1 filled in for samples of ``sample_shape``."""
        size = _prod(sample_shape)
        known = math.prod(d for d in self.target_shape if d != -1)
        if size is None:
            return tuple(None if d == -1 else d for d in self.target_shape)
        fits = size % known == 0 if -1 in self.target_shape else size == known
        if not fits:
            raise ValueError(
                f"Reshape layer '{self.name}': cannot reshape samples of shape "
                f"{tuple(sample_shape)} ({size} values) into target_shape "
                f"{self.target_shape}.")
        return tuple(size // known if d == -1 else d for d in self.target_shape)

    def build(self, input_shape):
        self._resolved(input_shape[1:])

    def call(self, inputs):
        return reshape(inputs, (inputs.shape[0],) + self._resolved(inputs.shape[1:]))

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + self._resolved(input_shape[1:])

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}



class RepeatVector(Layer):
    """Repeats each sample ``n`` times along a new axis 1: ``(batch, features)`` ->
    ``(batch, n, features)``.

    Args:
        n: positive int, the number of repetitions.

    Example:
        >>> RepeatVector(3)(np.zeros((2, 4))).shape
        (2, 3, 4)
    """

    _ndim = 2

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if isinstance(n, bool) or not isinstance(n, int) or n <= 0:
            raise ValueError(f"RepeatVector layer '{self.name}': `n` must be a positive "
                             f"integer, received n={n!r}.")
        self.n = n

    def call(self, inputs):
        # Broadcasting against ones: the tape sums the gradient back over the n copies.
        ones = np.ones((1, self.n, 1), dtype=inputs.dtype)
        return multiply(expand_dims(inputs, 1), ones)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n, input_shape[1])

    def get_config(self):
        return {**super().get_config(), "n": self.n}


class Permute(Layer):
    """Permutes the axes of each sample (the batch axis stays first).

    Args:
        dims: a permutation of ``1 .. rank - 1``, e.g. ``(2, 1)`` swaps the two axes of
            ``(batch, steps, features)`` samples.

    Example:
        >>> Permute((2, 1))(np.zeros((2, 3, 4))).shape
        (2, 4, 3)
    """

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        try:
            dims = tuple(int(d) for d in dims)
        except (TypeError, ValueError):
            dims = None
        if dims is None or sorted(dims) != list(range(1, len(dims) + 1)):
            raise ValueError(f"Permute layer '{self.name}': `dims` must be a permutation of "
                             f"the axes 1 .. n (the batch axis 0 stays first), received "
                             f"dims={dims!r}.")
        self.dims = dims
        self._ndim = len(dims) + 1

    def call(self, inputs):
        return transpose(inputs, (0,) + self.dims)

    def compute_output_shape(self, input_shape):
        return (input_shape[0],) + tuple(input_shape[d] for d in self.dims)

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}
