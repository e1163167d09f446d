"""Keras-compatible dataset loaders: ``mnist``, ``fashion_mnist``, ``imdb`` and the
small tables the tutorials bundle (``house_prices``, ``xor``).

Every downloaded file is verified by sha256; see :mod:`myelin.data.download` for
``MYELIN_DATASETS`` (pre-placed files) and ``MYELIN_CACHE_DIR``.
"""

from myelin.data.datasets import fashion_mnist, house_prices, imdb, mnist, xor

__all__ = ["fashion_mnist", "house_prices", "imdb", "mnist", "xor"]
