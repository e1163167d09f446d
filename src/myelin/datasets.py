"""``myelin.datasets`` (``tf.keras.datasets``): the module ``myelin.data.datasets``
itself, registered under this name when first imported, so that ``import myelin``
does not load the dataset loaders."""

import sys

from .data import datasets as _datasets

sys.modules[__name__] = _datasets
