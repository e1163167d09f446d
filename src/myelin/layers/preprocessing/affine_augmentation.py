"""RandomRotation, RandomZoom and RandomTranslation: random affine warps while training.

Each draws one transform per image (the formulas of Keras 3.15), builds one sampling
grid for the whole batch and gathers it (``ops.image.Resample``); at inference each is
the identity.
"""

import math

import numpy as np

from .base_augmentation import AffineAugmentation, bounded_factor, symmetric_factor


def _rows(*columns):
    """Stack per-image columns into ``(batch, 8)`` transform rows (unused ones zero)."""
    return np.stack([np.broadcast_to(np.asarray(c, np.float32), columns[0].shape)
                     for c in columns] + [np.zeros_like(columns[0])] * 2, axis=1)


class RandomRotation(AffineAugmentation):
    """Rotates each image by a random angle about its centre while training.

    Args:
        factor: a fraction of a full turn: a number ``f`` rotates by an angle drawn
            from ``[-f * 360, f * 360]`` degrees, a pair ``(lower, upper)`` from
            ``[lower * 360, upper * 360]``; numbers in ``[-1, 1]``.
        fill_mode: ``"reflect"`` (default), ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: optional int for the layer's own Generator.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> RandomRotation(0.1)(np.ones((2, 8, 8, 3)), training=True).shape
        (2, 8, 8, 3)
    """

    def __init__(self, factor, fill_mode="reflect", interpolation="bilinear", seed=None,
                 fill_value=0.0, data_format=None, **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.factor = bounded_factor(factor, (-1, 1), self._where)

    def _transforms(self, batch, height, width):
        degrees = self._generator().uniform(self.factor[0] * 360.0, self.factor[1] * 360.0,
                                            batch).astype(np.float32)
        angle = degrees * np.float32(math.pi / 180.0)
        cos, sin = np.cos(angle), np.sin(angle)
        cx, cy = np.float32(0.5 * (width - 1)), np.float32(0.5 * (height - 1))
        # Keras's affine matrix with unit scale, no shear, no translation.
        return _rows(cos, -sin, cx - cx * cos + cy * sin, sin, cos, cy - cx * sin - cy * cos)

    def get_config(self):
        return {**super().get_config(), "factor": self.factor}


class RandomZoom(AffineAugmentation):
    """Zooms each image in or out by a random factor about its centre while training.

    Args:
        height_factor: a number ``f`` or a pair ``(lower, upper)`` in ``(-1, 1]``; the
            vertical zoom is drawn from ``[1 + lower, 1 + upper]`` (``f`` means
            ``[1 - |f|, 1 + |f|]``). Positive values zoom out (the image shrinks),
            negative values zoom in.
        width_factor: the same for the horizontal zoom; None (the default) keeps the
            aspect ratio by reusing the vertical zoom.
        fill_mode: ``"reflect"`` (default), ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: optional int for the layer's own Generator.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> RandomZoom(0.2, seed=1)(np.ones((2, 8, 8, 1)), training=True).shape
        (2, 8, 8, 1)
    """

    def __init__(self, height_factor, width_factor=None, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._height_range = symmetric_factor(height_factor, self._where, "height_factor",
                                              low_open=True)
        self._width_range = None if width_factor is None else symmetric_factor(
            width_factor, self._where, "width_factor", low_open=True)

    def _transforms(self, batch, height, width):
        rng = self._generator()
        low, high = self._height_range
        zoom_y = rng.uniform(1 + low, 1 + high, batch).astype(np.float32)
        zoom_x = zoom_y
        if self._width_range is not None:
            low, high = self._width_range
            zoom_x = rng.uniform(1 + low, 1 + high, batch).astype(np.float32)
        x_offset = np.float32((width - 1) / 2) * (1 - zoom_x)
        y_offset = np.float32((height - 1) / 2) * (1 - zoom_y)
        return _rows(zoom_x, 0, x_offset, 0, zoom_y, y_offset)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}


class RandomTranslation(AffineAugmentation):
    """Shifts each image by a random fraction of its height and width while training.

    Args:
        height_factor: a number ``f`` or a pair ``(lower, upper)`` in ``[-1, 1]``: the
            vertical shift is drawn from ``[lower, upper]`` times the height (``f``
            means ``[-|f|, |f|]``); positive values move the image down.
        width_factor: the same for the horizontal shift; positive moves it right.
        fill_mode: ``"reflect"`` (default), ``"wrap"``, ``"constant"`` or ``"nearest"``.
        interpolation: ``"bilinear"`` (default) or ``"nearest"``.
        seed: optional int for the layer's own Generator.
        fill_value: the value outside the image with ``fill_mode="constant"``.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> RandomTranslation(0.1, 0.1)(np.ones((2, 8, 8, 3)), training=False).shape
        (2, 8, 8, 3)
    """

    def __init__(self, height_factor, width_factor, fill_mode="reflect",
                 interpolation="bilinear", seed=None, fill_value=0.0, data_format=None,
                 **kwargs):
        super().__init__(fill_mode, interpolation, seed, fill_value, data_format, **kwargs)
        self.height_factor, self.width_factor = height_factor, width_factor
        self._height_range = symmetric_factor(height_factor, self._where, "height_factor")
        self._width_range = symmetric_factor(width_factor, self._where, "width_factor")

    def _transforms(self, batch, height, width):
        rng = self._generator()
        dy = rng.uniform(*self._height_range, batch).astype(np.float32) * np.float32(height)
        dx = rng.uniform(*self._width_range, batch).astype(np.float32) * np.float32(width)
        return _rows(np.ones_like(dx), 0, -dx, 0, 1, -dy)

    def get_config(self):
        return {**super().get_config(), "height_factor": self.height_factor,
                "width_factor": self.width_factor}
