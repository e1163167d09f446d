"""Preprocessing layers: image augmentation (active only while training), and layers on
raw values: text, vocabularies, categories and hashing.

Example:
    >>> from myelin.layers import TextVectorization
    >>> TextVectorization(output_mode="multi_hot", vocabulary=["a"])(["a b"]).numpy()
    array([[1., 1.]], dtype=float32)
"""

from .affine_augmentation import RandomRotation, RandomTranslation, RandomZoom
from .encoding import CategoryEncoding
from .hashing import Hashing
from .image_augmentation import RandomContrast, RandomCrop, RandomFlip
from .lookup_layers import IntegerLookup, StringLookup
from .text_vectorization import TextVectorization

__all__ = [
    "CategoryEncoding", "Hashing", "IntegerLookup", "RandomContrast", "RandomCrop",
    "RandomFlip", "RandomRotation", "RandomTranslation", "RandomZoom", "StringLookup",
    "TextVectorization",
]
