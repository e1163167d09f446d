"""``image_dataset_from_directory``: a Dataset of images decoded with Pillow (extra "image").

Images come out as float32 pixel values in [0, 255] of shape
``(batch, height, width, channels)``, resized as TensorFlow's ``tf.image.resize``
does (bilinear with half-pixel centers, no antialiasing) unless already that size.
"""

import numpy as np

from .from_directory import check_options, datasets_from_directory

FORMATS = (".bmp", ".gif", ".jpeg", ".jpg", ".png")
_PIL_MODES = {"grayscale": "L", "rgb": "RGB", "rgba": "RGBA"}  # color_mode -> Pillow mode
_PIL_FILTERS = {"bicubic": "BICUBIC", "area": "BOX", "lanczos3": "LANCZOS",
                "lanczos5": "LANCZOS", "gaussian": "BILINEAR", "mitchellcubic": "BICUBIC"}
INTERPOLATIONS = ("bilinear", "nearest", *_PIL_FILTERS)


def _pillow():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError('image_dataset_from_directory needs Pillow to decode images: '
                          'pip install "myelin[image]"') from None
    return Image


def _resize_axis(size_in, size_out, nearest):
    """Source coordinates of TF's half-pixel-center resize along one axis."""
    scale = size_in / size_out
    centers = (np.arange(size_out) + 0.5) * scale - 0.5
    if nearest:  # TF rounds half-pixel centers of the output to the nearest input
        index = np.minimum(np.floor((np.arange(size_out) + 0.5) * scale), size_in - 1)
        return index.astype(np.int64), None, None
    centers = np.clip(centers, 0, size_in - 1)
    low = np.floor(centers).astype(np.int64)
    high = np.minimum(low + 1, size_in - 1)
    return low, high, (centers - low).astype(np.float32)


def resize(image, size, interpolation="bilinear"):
    """Resize an (h, w, c) float array to ``size`` like ``tf.image.resize`` (no antialias).

    Example:
        >>> resize(np.zeros((4, 4, 1), np.float32), (2, 2)).shape
        (2, 2, 1)
    """
    h, w = image.shape[:2]
    if (h, w) == tuple(size):
        return image
    nearest = interpolation == "nearest"
    y0, y1, fy = _resize_axis(h, size[0], nearest)
    x0, x1, fx = _resize_axis(w, size[1], nearest)
    if nearest:
        return image[y0][:, x0]
    top = image[y0][:, x0] * (1 - fx)[None, :, None] + image[y0][:, x1] * fx[None, :, None]
    bottom = image[y1][:, x0] * (1 - fx)[None, :, None] + image[y1][:, x1] * fx[None, :, None]
    return top * (1 - fy)[:, None, None] + bottom * fy[:, None, None]


def _center_crop_box(w, h, target_h, target_w):
    """The largest centered box of the target aspect ratio (crop_to_aspect_ratio)."""
    crop_w = min(w, int(round(h * target_w / target_h)))
    crop_h = min(h, int(round(w * target_h / target_w)))
    left, top = (w - crop_w) // 2, (h - crop_h) // 2
    return left, top, left + crop_w, top + crop_h


def load_image(path, image_size, color_mode="rgb", interpolation="bilinear",
               crop_to_aspect_ratio=False):
    """One image file as a float32 ``(height, width, channels)`` array.

    Raises:
        ValueError: naming the file when Pillow cannot decode it.
    """
    Image = _pillow()
    mode = _PIL_MODES[color_mode]
    try:
        with Image.open(path) as img:
            img = img.convert(mode)
            if crop_to_aspect_ratio:
                img = img.crop(_center_crop_box(img.width, img.height, *image_size))
            if interpolation not in ("bilinear", "nearest") and img.size != image_size[::-1]:
                img = img.resize(image_size[::-1], getattr(Image, _PIL_FILTERS[interpolation]))
            array = np.asarray(img, dtype=np.float32)
    except (OSError, SyntaxError, ValueError) as err:
        raise ValueError(f"image_dataset_from_directory: cannot decode the image file "
                         f"{str(path)!r} ({err}). Remove or replace it; accepted formats "
                         f"are {FORMATS}.") from None
    if array.ndim == 2:
        array = array[:, :, None]
    return resize(array, image_size, interpolation)


def image_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                 class_names=None, color_mode="rgb", batch_size=32,
                                 image_size=(256, 256), shuffle=True, seed=None,
                                 validation_split=None, subset=None,
                                 interpolation="bilinear", follow_links=False,
                                 crop_to_aspect_ratio=False, pad_to_aspect_ratio=False,
                                 data_format=None, verbose=True):
    """A Dataset of ``(images, labels)`` batches from a folder of class subfolders.

    Args:
        directory: holds one subfolder per class (``labels="inferred"``).
        labels: ``"inferred"``, None (images only) or one label per file.
        label_mode: ``"int"`` (int32 ids), ``"categorical"`` (float32 one-hot),
            ``"binary"`` (float32, shape (n, 1), two classes) or None.
        class_names: the class order (default: sorted subfolder names).
        color_mode: ``"rgb"`` (default), ``"grayscale"`` or ``"rgba"``.
        batch_size: images per batch (None: single images).
        image_size: ``(height, width)`` every image is resized to.
        shuffle, seed: shuffle the files (once, and each epoch with a buffer).
        validation_split, subset: keep a fraction for ``"validation"``; ``"training"``
            gets the rest, ``"both"`` returns the pair.
        interpolation: ``"bilinear"`` (default) or ``"nearest"`` exactly as TensorFlow;
            ``"bicubic"``, ``"area"``, ``"lanczos3"``... through Pillow's filters.
        follow_links: follow symbolic links to folders.
        crop_to_aspect_ratio: center-crop to the target aspect ratio before resizing.
        pad_to_aspect_ratio: must stay False.
        data_format: None or ``"channels_last"``.
        verbose: print how many files and classes were found.

    Returns:
        A Dataset with ``class_names`` and ``file_paths`` attributes (a pair for
        ``subset="both"``).

    Example:
        >>> train = image_dataset_from_directory("digits", image_size=(28, 28),
        ...     color_mode="grayscale", validation_split=0.2, subset="training", seed=1)
    """
    where = "image_dataset_from_directory"
    check_options(where, labels, label_mode, class_names, validation_split, subset, seed,
                  shuffle)
    if color_mode not in _PIL_MODES:
        raise ValueError(f"{where}: color_mode must be one of {tuple(_PIL_MODES)}, received "
                         f"{color_mode!r}.")
    if interpolation not in INTERPOLATIONS:
        raise ValueError(f"{where}: interpolation must be one of {INTERPOLATIONS}, received "
                         f"{interpolation!r}.")
    if (not isinstance(image_size, (tuple, list)) or len(image_size) != 2
            or not all(isinstance(s, int) and s > 0 for s in image_size)):
        raise ValueError(f"{where}: image_size must be (height, width) of positive ints, "
                         f"received {image_size!r}.")
    if pad_to_aspect_ratio or data_format not in (None, "channels_last"):
        raise ValueError(f"{where}: pad_to_aspect_ratio and data_format='channels_first' "
                         f"are not supported; images are channels_last.")
    _pillow()  # fail now, not at the first batch
    size = tuple(image_size)
    return datasets_from_directory(
        directory, FORMATS,
        lambda path: load_image(path, size, color_mode, interpolation, crop_to_aspect_ratio),
        labels=labels, label_mode=label_mode, class_names=class_names,
        batch_size=batch_size, shuffle=shuffle, seed=seed, validation_split=validation_split,
        subset=subset, follow_links=follow_links, verbose=verbose, where=where)
