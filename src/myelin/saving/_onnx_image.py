"""ONNX conversions of the image reshaping, spatial dropout and augmentation layers.

At inference the dropout and augmentation layers are the identity (RandomCrop's centre
crop and resize excepted). ``ZeroPadding`` is ``Pad``, ``Cropping`` is ``Slice``,
nearest upsampling is ``Resize``; bilinear resizing is two ``MatMul`` s with the very
interpolation matrices myelin multiplies by (``ops.image.linear_weights``), so the
exported graph computes exactly TensorFlow's half-pixel resize.
"""

from __future__ import annotations

import numpy as np

from ..ops.image import linear_weights

_END = np.iinfo(np.int64).max  # Slice's "to the end"


def _identity(layer, x, graph):
    return x


def _pad(layer, x, graph):
    pads = layer.padding if layer.rank == 2 else (layer.padding,)
    begins = [0, *(p[0] for p in pads), 0]
    ends = [0, *(p[1] for p in pads), 0]
    return graph.node("Pad", [x, graph.constant(np.array(begins + ends, np.int64),
                                                f"{layer.name}_pads")], f"{layer.name}_pad")


def _slice(x, graph, hint, starts, ends, axes):
    args = [graph.constant(np.array(v, np.int64), hint) for v in (starts, ends, axes)]
    return graph.node("Slice", [x, *args], hint)


def _crop(layer, x, graph):
    crops = layer.cropping if layer.rank == 2 else (layer.cropping,)
    return _slice(x, graph, f"{layer.name}_crop", [c[0] for c in crops],
                  [-c[1] if c[1] else _END for c in crops], list(range(1, layer.rank + 1)))


def _nearest_upsampling(layer, x, graph):
    factors = layer.size if layer.rank == 2 else (layer.size,)
    scales = np.array([1.0, *factors, 1.0], np.float32)
    return graph.node("Resize", [x, "", graph.constant(scales, f"{layer.name}_scales")],
                      f"{layer.name}_resize", mode="nearest",
                      coordinate_transformation_mode="asymmetric", nearest_mode="floor")


def _bilinear(x, graph, hint, in_hw, out_hw):
    """``(N, h, w, C)`` -> ``(N, H, W, C)``: rows then columns, as ``ops.image.Resize``."""
    (h, w), (out_h, out_w) = in_hw, out_hw
    rows = graph.constant(linear_weights(h, out_h).astype(np.float32), f"{hint}_rows")
    cols = graph.constant(linear_weights(w, out_w).astype(np.float32), f"{hint}_cols")
    flat = graph.node("Reshape", [x, graph.constant(np.array([0, h, -1], np.int64), hint)],
                      hint)
    y = graph.node("MatMul", [rows, flat], hint)
    y = graph.node("Reshape", [y, graph.constant(np.array([0, out_h, w, -1], np.int64),
                                                 hint)], hint)
    return graph.node("MatMul", [cols, y], hint)


def _known_hw(layer):
    shape = layer.input_shape
    if any(d is None for d in shape[-3:-1]):
        raise ValueError(f"export: layer '{layer.name}' ({type(layer).__name__}) needs a "
                         f"known input height and width to export, received {shape}.")
    return shape[-3:-1]


def _upsampling_2d(layer, x, graph):
    if layer.interpolation == "nearest":
        return _nearest_upsampling(layer, x, graph)
    h, w = _known_hw(layer)
    return _bilinear(x, graph, f"{layer.name}_resize", (h, w),
                     (h * layer.size[0], w * layer.size[1]))


def _random_crop(layer, x, graph):
    in_h, in_w = _known_hw(layer)
    # The centre window of RandomCrop._inference, then its resize.
    crop_h = max(min(in_h, int(in_w * layer.height / layer.width)), 1)
    crop_w = max(min(in_w, int(in_h * layer.width / layer.height)), 1)
    top, left = int((in_h - crop_h) / 2), int((in_w - crop_w) / 2)
    y = _slice(x, graph, f"{layer.name}_crop", [top, left], [top + crop_h, left + crop_w],
               [1, 2])
    if (crop_h, crop_w) == (layer.height, layer.width):
        return y
    return _bilinear(y, graph, f"{layer.name}_resize", (crop_h, crop_w),
                     (layer.height, layer.width))


IMAGE_LAYERS = {
    "ZeroPadding1D": _pad, "ZeroPadding2D": _pad, "Cropping1D": _crop, "Cropping2D": _crop,
    "UpSampling1D": _nearest_upsampling, "UpSampling2D": _upsampling_2d,
    "SpatialDropout1D": _identity, "SpatialDropout2D": _identity,
    "RandomFlip": _identity, "RandomRotation": _identity, "RandomZoom": _identity,
    "RandomTranslation": _identity, "RandomContrast": _identity, "RandomCrop": _random_crop,
}
