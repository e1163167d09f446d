"""The arrays the Keras 3.15.1 reference values were computed on (one seeded draw, in
this order), shared by the metric tests that compare with those values."""

import numpy as np


def reference_arrays():
    """Binary, multi-label, one-hot and regression arrays, drawn as the Keras run did."""
    rng = np.random.default_rng(1)
    y = (rng.uniform(size=200) < 0.3).astype("float32")
    p = np.clip(y * 0.3 + rng.uniform(size=200) * 0.7, 0, 1).astype("float32")
    p[:5] = [0.0, 1.0, 0.5, 0.25, 0.75]  # the threshold edges: exactly 0, 1 and 0.5
    sw = rng.uniform(0, 2, size=200).astype("float32")
    ym = (rng.uniform(size=(50, 3)) < 0.4).astype("float32")
    pm = rng.uniform(size=(50, 3)).astype("float32")
    labels = rng.integers(0, 3, size=50)
    p3 = rng.uniform(0.05, 1, size=(50, 3)).astype("float32")
    p3 /= p3.sum(-1, keepdims=True)
    yt = rng.uniform(0.5, 2, size=(50, 2)).astype("float32")
    yp = rng.uniform(0, 2.5, size=(50, 2)).astype("float32")
    return dict(y=y, p=p, sw=sw, ym=ym, pm=pm, labels=labels,
                onehot=np.eye(3, dtype="float32")[labels], p3=p3, yt=yt, yp=yp)


def run(metric, *arrays, **weights):
    """Update with the two halves of the data, as the Keras run did; the result as
    float64 (a scalar or one value per threshold/class)."""
    half = len(arrays[0]) // 2
    for part in (slice(0, half), slice(half, None)):
        metric.update_state(*(a[part] for a in arrays),
                            **{k: v[part] for k, v in weights.items()})
    return np.asarray(metric.result().numpy(), dtype=np.float64)
