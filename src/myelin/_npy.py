"""Reading a ``.npy`` header, shared by the dataset and model-file readers."""

import numpy as np


def read_header(f):
    """``(shape, dtype)`` from the header of the ``.npy`` stream ``f`` (left after it).

    Raises:
        ValueError: for a format version other than 1.0 or 2.0 (and NumPy's own
            errors for a malformed header).
    """
    version = np.lib.format.read_magic(f)
    if version == (1, 0):
        shape, _, dtype = np.lib.format.read_array_header_1_0(f)
    elif version == (2, 0):
        shape, _, dtype = np.lib.format.read_array_header_2_0(f)
    else:
        raise ValueError(f"unsupported .npy version {version}, expected 1.0 or 2.0")
    return shape, dtype
