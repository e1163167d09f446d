"""Preprocessing layers: random image augmentation, active only while training."""

from .affine_augmentation import RandomRotation, RandomTranslation, RandomZoom
from .image_augmentation import RandomContrast, RandomCrop, RandomFlip

__all__ = ["RandomContrast", "RandomCrop", "RandomFlip", "RandomRotation",
           "RandomTranslation", "RandomZoom"]
