"""Keras-compatible dataset loaders: ``mnist``, ``fashion_mnist``, ``imdb``, ``cifar10``,
``cifar100`` and the small tables the tutorials bundle (``house_prices``, ``xor``).

Every downloaded file is verified by sha256; see :mod:`myelin.data.download` for
``MYELIN_DATASETS`` (pre-placed files) and ``MYELIN_CACHE_DIR``.
"""

from myelin.data.datasets import (
    cifar10,
    cifar100,
    fashion_mnist,
    house_prices,
    imdb,
    mnist,
    xor,
)

__all__ = ["cifar10", "cifar100", "fashion_mnist", "house_prices", "imdb", "mnist", "xor"]
