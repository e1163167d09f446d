"""Builders of dataset files in their real formats, shared by the data tests."""

import gzip
import io
import pickle
import struct
import tarfile

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


class _Python2Pickler(pickle._Pickler):
    """Pickles as Python 2 did for CIFAR's files: byte and text strings both as Python 2
    ``str`` (``BINSTRING``; Python 3's protocol 2 would call ``_codecs.encode``), and
    NumPy's reconstructor under its old module name ``numpy.core.multiarray``."""

    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj):
        if isinstance(obj, str):
            obj = obj.encode("latin1")
        if len(obj) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(obj)]) + obj)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(obj)) + obj)
        self.memoize(obj)

    def save_global(self, obj, name=None):
        if getattr(obj, "__name__", None) == "_reconstruct":
            self.write(pickle.GLOBAL + b"numpy.core.multiarray\n_reconstruct\n")
            self.memoize(obj)
            return
        super().save_global(obj, name)

    dispatch[bytes] = dispatch[str] = save_py2_str


def py2_pickle(obj) -> bytes:
    """``obj`` pickled with protocol 2 and Python 2 byte strings."""
    buffer = io.BytesIO()
    _Python2Pickler(buffer, protocol=2).dump(obj)
    return buffer.getvalue()


def cifar_batch(images, labels, label_keys=("labels",)) -> bytes:
    """One CIFAR batch: ``images`` (n, 32, 32, 3) uint8 stored as Keras's files store them."""
    batch = {b"batch_label": b"testing batch 1 of 1",
             b"data": np.ascontiguousarray(images.transpose(0, 3, 1, 2)).reshape(len(images), -1),
             b"filenames": [b"img_%d.png" % i for i in range(len(images))]}
    for key, values in zip(label_keys, labels if len(label_keys) > 1 else [labels],
                           strict=True):
        batch[key.encode()] = [int(v) for v in values]
    return py2_pickle(batch)


def tar_gz(members: dict) -> bytes:
    """A gzipped tar holding ``members`` (name -> bytes)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return buffer.getvalue()
