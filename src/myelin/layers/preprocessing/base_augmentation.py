"""BaseAugmentation: what the random image layers share (Keras 3's image preprocessing).

An augmentation layer changes its images only while training (``fit``, or a call with
``training=True``) and is the identity at inference. It takes a batch
``(batch, height, width, channels)`` or one image ``(height, width, channels)``, draws
its random numbers from its own Generator when given ``seed=`` and otherwise from the
library's (``myelin.utils.set_random_seed`` replays them), and is differentiable: every
transform is linear in the pixels.
"""

from numbers import Real

import numpy as np

from ... import backend
from ...ops.affine_grid import FILL_MODES, INTERPOLATIONS, sampling_grid
from ...ops.image import Resample
from ...ops.shape import expand_dims, squeeze
from ..layer import Layer
from ..spatial import check_data_format


def _is_number(value):
    return isinstance(value, Real) and not isinstance(value, bool)


class BaseAugmentation(Layer):
    """Base of the augmentation layers: input checks, seeding, training switch, config.

    Subclasses implement ``_augment(images)`` on a 4-D Tensor (and ``_inference`` when
    they are not the identity at inference).

    Args:
        seed: optional int: the layer then draws from its own Generator.
        data_format: ``"channels_last"`` (or None).
        **kwargs: ``name``, ``dtype``, ... as for every layer.
    """

    _min_ndim = 3  # makes Layer.__call__ check every input's rank after build

    def __init__(self, seed=None, data_format=None, **kwargs):
        super().__init__(**kwargs)
        if seed is not None and not isinstance(seed, (int, np.integer)) or isinstance(
                seed, bool):
            raise ValueError(f"{self._where}: `seed` must be an int or None. "
                             f"Received: seed={seed!r}")
        self.seed = None if seed is None else int(seed)
        self._rng = None if seed is None else np.random.default_rng(seed)
        self.data_format = check_data_format(data_format, self._where)

    @property
    def _where(self):
        return f"{type(self).__name__} layer '{self.name}'"

    def _generator(self):
        return self._rng or backend.rng()

    def _check_rank(self, shape):
        if len(shape) not in (3, 4):
            raise ValueError(
                f"{self._where} expects images of rank 4 (batch, height, width, channels) "
                f"or rank 3 (height, width, channels) but received shape {tuple(shape)}. "
                f"For grayscale images add the channel axis: np.expand_dims(x, -1).")

    def call(self, inputs, training=None):
        single = inputs.ndim == 3
        images = expand_dims(inputs, 0) if single else inputs
        out = self._augment(images) if training else self._inference(images)
        return squeeze(out, 0) if single else out

    def _augment(self, images):
        raise NotImplementedError

    def _inference(self, images):
        return images

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return tuple(input_shape)

    def get_config(self):
        return {**super().get_config(), "seed": self.seed, "data_format": self.data_format}


def symmetric_factor(factor, where, what="factor", low=-1.0, high=1.0, low_open=False):
    """``(lower, upper)`` from a number ``f`` (``(-|f|, |f|)``) or a pair (sorted).

    Each number must lie in ``[low, high]`` (``(low, high]`` when ``low_open``), as
    Keras's RandomTranslation and RandomZoom require.

    Args:
        factor: the number or pair the user gave.
        where: the layer, for the error message.
        what: the argument's name, for the error message.
        low, high, low_open: the allowed range.

    Returns:
        ``(lower, upper)`` floats, e.g. ``0.2`` gives ``(-0.2, 0.2)``.

    Raises:
        ValueError: naming the layer, the argument, the range and the value received.
    """
    items = tuple(factor) if isinstance(factor, (tuple, list)) else None
    values = items if items is not None else (factor,)
    inside = all(_is_number(v) and (v > low if low_open else v >= low) and v <= high
                 for v in values)
    if not inside or (items is not None and len(items) != 2):
        bracket = "(" if low_open else "["
        raise ValueError(f"{where}: `{what}` should be a number or a list of two numbers "
                         f"in the range {bracket}{low}, {high}]. Received: {what}={factor!r}")
    if items is None:
        return -abs(float(factor)), abs(float(factor))
    lower, upper = sorted(float(v) for v in items)
    return lower, upper


def bounded_factor(factor, bounds, where):
    """Keras's base-layer factor: a number ``f`` gives ``(max(-|f|, bounds[0]), |f|)``,
    a pair is sorted; numbers outside ``bounds`` are refused.

    Args:
        factor: the number or pair the user gave.
        bounds: ``(low, high)``, e.g. ``(-1, 1)`` for RandomRotation, ``(0, 1)`` for
            RandomContrast.
        where: the layer, for the error message.

    Returns:
        ``(lower, upper)`` floats, e.g. ``0.2`` with bounds ``(0, 1)`` gives ``(0.0, 0.2)``.

    Raises:
        ValueError: naming the layer, the range and the value received.
    """
    message = (f"{where}: `factor` should be a number (or a list of two numbers) in the "
               f"range [{bounds[0]}, {bounds[1]}]. Received: factor={factor!r}")
    if isinstance(factor, (tuple, list)):
        if len(factor) != 2 or not all(map(_is_number, factor)) or (
                factor[0] > bounds[1] or factor[1] < bounds[0]):
            raise ValueError(message)
        lower, upper = sorted(float(v) for v in factor)
        return lower, upper
    if not _is_number(factor) or not bounds[0] <= factor <= bounds[1]:
        raise ValueError(message)
    return max(-abs(float(factor)), bounds[0]), abs(float(factor))


class AffineAugmentation(BaseAugmentation):
    """An augmentation that warps each image by its own affine transform.

    Args:
        fill_mode: how points outside the image are filled: ``"reflect"`` (default),
            ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        seed, data_format: as in ``BaseAugmentation``.
    """

    def __init__(self, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        for what, value, allowed in (("fill_mode", fill_mode, FILL_MODES),
                                     ("interpolation", interpolation, INTERPOLATIONS)):
            if value not in allowed:
                raise ValueError(f"{self._where}: unknown `{what}` {value!r}; expected one "
                                 f"of {', '.join(map(repr, allowed))}.")
        if not _is_number(fill_value):
            raise ValueError(f"{self._where}: `fill_value` must be a number. "
                             f"Received: fill_value={fill_value!r}")
        self.fill_mode, self.interpolation = fill_mode, interpolation
        self.fill_value = float(fill_value)

    def _transforms(self, batch, height, width):
        """``(batch, 8)`` Keras transform rows mapping output pixels to input points."""
        raise NotImplementedError

    def _augment(self, images):
        batch, height, width = images.shape[:3]
        index, weights, const = sampling_grid(
            self._transforms(batch, height, width), (height, width), (height, width),
            self.interpolation, self.fill_mode, self.fill_value)
        return Resample.apply(images, index=index, weights=weights, const=const,
                              out_hw=(height, width))

    def get_config(self):
        return {**super().get_config(), "fill_mode": self.fill_mode,
                "interpolation": self.interpolation, "fill_value": self.fill_value}
