"""Slot buffers that decay toward zero are kept out of the subnormal range.

A moment whose gradient stays exactly zero (the weights of an always-blank border
pixel of MNIST, a dead ReLU unit) decays geometrically: Adam's first moment by 0.9 a
step reaches float32's subnormal range (below 1.2e-38) after about 830 steps. Intel
CPUs compute on subnormal numbers many times slower, so every later update pass over
those slots slows down (784-512-256-10 with Adam on MNIST, 235 steps an epoch: 40,000
subnormal slots by epoch 5, whose epochs took 2.0 and 2.4 s instead of 1.7).
TensorFlow runs its CPU kernels with flush-to-zero; NumPy cannot switch that mode, so
the optimizer sets its slots' subnormal values to zero every ``FLUSH_EVERY`` steps.
That is exactly what flush-to-zero would have made of them, and no normal number
changes.
"""

import numpy as np

FLUSH_EVERY = 16  # steps: a few passes over the slots, amortised to a small fraction

_SMALLEST_NORMAL = {np.dtype(t): np.finfo(t).tiny for t in (np.float16, np.float32,
                                                            np.float64)}


def flush_subnormals(array):
    """Set the subnormal values of the float ``array`` to zero, in place.

    Args:
        array: a NumPy array (integer arrays are left alone).

    Example:
        >>> a = np.array([1e-40, -1e-39, 1e-30, 0.5], np.float32)
        >>> flush_subnormals(a)
        >>> a.tolist()[:2], bool(a[2] == np.float32(1e-30)), float(a[3])
        ([0.0, 0.0], True, 0.5)
    """
    tiny = _SMALLEST_NORMAL.get(array.dtype)
    if tiny is not None:
        np.copyto(array, 0, where=np.abs(array) < tiny)
