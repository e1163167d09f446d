"""Reading a ``.npy`` header, shared by the dataset and model-file readers."""

import tokenize

import numpy as np


def read_header(f):
    """``(shape, dtype)`` from the header of the ``.npy`` stream ``f`` (left after it).

    Raises:
        ValueError: for a format version other than 1.0 or 2.0, or a header whose
            text does not tokenize (and NumPy's own errors for a malformed header).
    """
    version = np.lib.format.read_magic(f)
    if version not in ((1, 0), (2, 0)):
        raise ValueError(f"unsupported .npy version {version}, expected 1.0 or 2.0")
    try:
        if version == (1, 0):
            shape, _, dtype = np.lib.format.read_array_header_1_0(f)
        else:
            shape, _, dtype = np.lib.format.read_array_header_2_0(f)
    except tokenize.TokenError as error:
        # NumPy tokenizes the header text; an unclosed bracket (a damaged byte in
        # "{'shape': (3, 2), ...}") escapes as TokenError, which callers do not expect.
        raise ValueError(f"damaged .npy header ({error.args[0]})") from None
    return shape, dtype
