"""Builders of dataset files in their real formats, shared by the data tests."""

import gzip
import io

import numpy as np


def npz_bytes(**arrays) -> bytes:
    """An ``.npz`` archive of ``arrays`` (object arrays pickled, as Keras's IMDB file)."""
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def idx_gz(array) -> bytes:
    """A gzipped IDX file (magic 2051 for images, 2049 for labels; big-endian dims)."""
    magic = 2051 if array.ndim == 3 else 2049
    header = b"".join(int(v).to_bytes(4, "big") for v in (magic, *array.shape))
    return gzip.compress(header + array.astype(np.uint8).tobytes())
