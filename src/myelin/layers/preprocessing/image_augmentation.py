"""RandomFlip, RandomContrast and RandomCrop: image augmentation while training.

The affine ones (RandomRotation, RandomZoom, RandomTranslation) are in
``affine_augmentation``; all share ``BaseAugmentation``.
"""

import numpy as np

from ...ops.image import AdjustContrast, Resample, Resize, linear_weights
from .base_augmentation import BaseAugmentation, _is_number, bounded_factor

_FLIP_MODES = ("horizontal", "vertical", "horizontal_and_vertical")


class RandomFlip(BaseAugmentation):
    """Flips each image, with probability 1/2, while training.

    With ``"horizontal_and_vertical"`` an image is either flipped both ways or left
    as it is (one draw per image, as Keras 3 does).

    Args:
        mode: ``"horizontal"`` (left-right), ``"vertical"`` (up-down) or
            ``"horizontal_and_vertical"`` (the default).
        seed: optional int for the layer's own Generator.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> RandomFlip("horizontal")(np.ones((2, 4, 4, 3)), training=True).shape
        (2, 4, 4, 3)
    """

    def __init__(self, mode="horizontal_and_vertical", seed=None, data_format=None,
                 **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        if mode not in _FLIP_MODES:
            raise ValueError(f"{self._where}: unknown `mode` {mode!r}; expected one of "
                             f"{', '.join(map(repr, _FLIP_MODES))}.")
        self.mode = mode

    def _augment(self, images):
        batch, height, width = images.shape[:3]
        flips = self._generator().uniform(size=batch) <= 0.5
        rows = np.broadcast_to(np.arange(height), (batch, height))
        cols = np.broadcast_to(np.arange(width), (batch, width))
        if self.mode != "vertical":
            cols = np.where(flips[:, None], cols[:, ::-1], cols)
        if self.mode != "horizontal":
            rows = np.where(flips[:, None], rows[:, ::-1], rows)
        index = (rows[:, :, None] * width + cols[:, None, :]).reshape(batch, -1, 1)
        return Resample.apply(images, index=index, weights=np.ones(index.shape, np.float32),
                              const=np.zeros(index.shape[:2], np.float32),
                              out_hw=(height, width))

    def get_config(self):
        return {**super().get_config(), "mode": self.mode}


class RandomContrast(BaseAugmentation):
    """Scales each image's deviation from its per-channel mean by a random factor while
    training: ``clip((x - mean) * c + mean, *value_range)``.

    ``c`` is drawn per image from ``[1 - lower, 1 + upper]``, where ``factor`` gives
    ``(lower, upper)`` as in Keras 3.15: a number ``f`` means ``(0, f)`` (so contrast
    only grows), a pair is used as given (sorted).

    Args:
        factor: a number or a pair of numbers in ``[0, 1]``.
        value_range: ``(low, high)``, the range of the pixel values (default
            ``(0, 255)``); outputs are clipped to it.
        seed: optional int for the layer's own Generator.

    Input shape:
        ``(batch, height, width, channels)`` or ``(height, width, channels)``.

    Output shape:
        Same as the input.

    Example:
        >>> flat = np.full((1, 2, 2, 1), 7.0)  # no deviation from the mean to scale
        >>> float(RandomContrast(0.5)(flat, training=True)[0, 0, 0, 0])
        7.0
    """

    def __init__(self, factor, value_range=(0, 255), seed=None, **kwargs):
        super().__init__(seed=seed, data_format=kwargs.pop("data_format", None), **kwargs)
        self.factor = bounded_factor(factor, (0, 1), self._where)
        try:
            low, high = value_range
            ok = _is_number(low) and _is_number(high) and low < high
        except (TypeError, ValueError):
            ok = False
        if not ok:
            raise ValueError(f"{self._where}: `value_range` must be a pair (low, high) of "
                             f"numbers with low < high. Received: value_range={value_range!r}")
        self.value_range = (low, high)

    def _augment(self, images):
        factor = self._generator().uniform(1.0 - self.factor[0], 1.0 + self.factor[1],
                                           (images.shape[0], 1, 1, 1))
        return AdjustContrast.apply(images, factor=factor, low=self.value_range[0],
                                    high=self.value_range[1])

    def get_config(self):
        config = {**super().get_config(), "factor": self.factor,
                  "value_range": self.value_range}
        del config["data_format"]  # Keras's RandomContrast config has none
        return config


class RandomCrop(BaseAugmentation):
    """Crops a random ``height x width`` window while training; the centre at inference.

    While training, when the images are larger than the target on both axes, one
    random window (the same for the whole batch, as in Keras 3) is cut out. Otherwise,
    and at inference, the largest centred window with the target's aspect ratio is
    cut out and resized (bilinear) to ``height x width``, as Keras documents. (Keras
    3.15's code returns the input unchanged at inference, contradicting its own
    docstring and output shape; keras-team/keras issue 21868. myelin follows the
    documentation, so a model's predict sees the shapes its training saw.)

    Args:
        height: positive int, the output height.
        width: positive int, the output width.
        seed: optional int for the layer's own Generator.
        data_format: ``"channels_last"`` (or None).

    Input shape:
        ``(batch, in_height, in_width, channels)`` or ``(in_height, in_width, channels)``.

    Output shape:
        ``(batch, height, width, channels)`` (or without the batch axis).

    Example:
        >>> RandomCrop(24, 24)(np.ones((2, 32, 32, 3)), training=True).shape
        (2, 24, 24, 3)
    """

    def __init__(self, height, width, seed=None, data_format=None, **kwargs):
        super().__init__(seed=seed, data_format=data_format, **kwargs)
        for what, value in (("height", height), ("width", width)):
            if not isinstance(value, (int, np.integer)) or isinstance(value, bool) or (
                    value < 1):
                raise ValueError(f"{self._where}: `{what}` must be a positive int. "
                                 f"Received: {what}={value!r}")
        self.height, self.width = int(height), int(width)

    def _augment(self, images):
        in_h, in_w = images.shape[1:3]
        if in_h > self.height and in_w > self.width:
            rng = self._generator()
            top = int(rng.uniform(0, in_h - self.height + 1))
            left = int(rng.uniform(0, in_w - self.width + 1))
            return images[:, top:top + self.height, left:left + self.width, :]
        return self._inference(images)

    def _inference(self, images):
        in_h, in_w = images.shape[1:3]
        # The largest window of the target's aspect ratio, centred (Keras's arithmetic).
        crop_h = max(min(in_h, int(in_w * self.height / self.width)), 1)
        crop_w = max(min(in_w, int(in_h * self.width / self.height)), 1)
        top, left = int((in_h - crop_h) / 2), int((in_w - crop_w) / 2)
        window = images[:, top:top + crop_h, left:left + crop_w, :]
        if (crop_h, crop_w) == (self.height, self.width):
            return window
        return Resize.apply(window, rows=linear_weights(crop_h, self.height),
                            cols=linear_weights(crop_w, self.width))

    def compute_output_shape(self, input_shape):
        self._check_rank(input_shape)
        return (*input_shape[:-3], self.height, self.width, input_shape[-1])

    def get_config(self):
        return {**super().get_config(), "height": self.height, "width": self.width}
