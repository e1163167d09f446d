"""Datasets (download, checksum, cache) and array preprocessing, in pure NumPy."""

from myelin.data import datasets
from myelin.data.download import (
    ChecksumError,
    DatasetError,
    DownloadError,
    RemoteFile,
    get_file,
)
from myelin.data.preprocessing import (
    decode_review,
    normalize,
    pad_sequences,
    to_categorical,
    train_test_split,
)
from myelin.data.safe_npz import UnsafePickleError, load_npz

__all__ = [
    "ChecksumError",
    "DatasetError",
    "DownloadError",
    "RemoteFile",
    "UnsafePickleError",
    "datasets",
    "decode_review",
    "get_file",
    "load_npz",
    "normalize",
    "pad_sequences",
    "to_categorical",
    "train_test_split",
]
