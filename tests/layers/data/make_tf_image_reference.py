"""Regenerate tf_image_reference.npz with TensorFlow 2.21 / Keras 3.15 (not a test).

Run it in an environment with TensorFlow (e.g. benchmarks/.venv-tf); myelin's tests then
compare their warps and resizes with TensorFlow's own outputs stored in the file.
"""

from pathlib import Path

import keras
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.normal(size=(3, 7, 9, 1)).astype(np.float32)
angle = np.array([0.3, -2.0, 4.0], np.float32)
c, s = np.cos(angle), np.sin(angle)
cx, cy = 4.0, 3.0
transforms = {
    "rot": np.stack([c, -s, cx - cx * c + cy * s, s, c, cy - cx * s - cy * c, 0 * c, 0 * c], 1),
    "zoom": np.array([[1.7, 0, 4 * (1 - 1.7), 0, 2.5, 3 * (1 - 2.5), 0, 0],
                      [0.4, 0, 4 * 0.6, 0, 0.6, 3 * 0.4, 0, 0],
                      [3.1, 0.2, -5.5, 0.1, 2.9, -7.25, 0, 0]]),
    "trans": np.array([[1, 0, -20.5, 0, 1, 13.25, 0, 0], [1, 0, 3.5, 0, 1, -0.5, 0, 0],
                       [1, 0, -9, 0, 1, -7, 0, 0]]),
}
out = {"x": x}
for name, t in transforms.items():
    t = t.astype(np.float32)
    out["t_" + name] = t
    for fill in ["REFLECT", "WRAP", "CONSTANT", "NEAREST"]:
        for interp in ["NEAREST", "BILINEAR"]:
            out[f"{name}_{fill}_{interp}"] = tf.raw_ops.ImageProjectiveTransformV3(
                images=x, transforms=t, output_shape=[7, 9], fill_value=0.5,
                interpolation=interp, fill_mode=fill).numpy()
for size in [(2, 2), (3, 2)]:
    out[f"up_{size}"] = keras.layers.UpSampling2D(size, interpolation="bilinear")(x).numpy()
out["resize_down"] = tf.image.resize(x, (4, 5), method="bilinear").numpy()
out["resize_mixed"] = tf.image.resize(x, (11, 5), method="bilinear").numpy()

# Keras 3.15's layers with one-value ranges, so their draw is known: the transforms
# they build (centre, signs, units) must equal myelin's.
keras_layers = {
    "keras_rotation": keras.layers.RandomRotation((0.1, 0.1), fill_mode="constant"),
    "keras_zoom": keras.layers.RandomZoom((0.3, 0.3), (-0.2, -0.2), fill_mode="wrap"),
    "keras_zoom_in": keras.layers.RandomZoom((-0.4, -0.4), fill_mode="nearest",
                                             interpolation="nearest"),
    "keras_translation": keras.layers.RandomTranslation((0.2, 0.2), (-0.3, -0.3)),
}
for name, layer in keras_layers.items():
    out[name] = keras.ops.convert_to_numpy(layer(x, training=True))
np.savez_compressed(Path(__file__).with_name("tf_image_reference.npz"), **out)
