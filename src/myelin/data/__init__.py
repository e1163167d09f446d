"""Datasets (download, checksum, cache), input pipelines (``Dataset``, the tf.data
subset) and array preprocessing, in pure NumPy."""

from myelin._lazy import lazy_attributes
from myelin.data import experimental
from myelin.data.dataset import (
    AUTOTUNE,
    INFINITE_CARDINALITY,
    UNKNOWN_CARDINALITY,
    Dataset,
    TensorSpec,
)
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
    "AUTOTUNE",
    "INFINITE_CARDINALITY",
    "UNKNOWN_CARDINALITY",
    "Dataset",
    "TensorSpec",
    "experimental",
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

# The dataset loaders (mnist, imdb, cifar ...) load on first use: few programs need them.
__getattr__, __dir__ = lazy_attributes(__name__, {"datasets": ".datasets"})
