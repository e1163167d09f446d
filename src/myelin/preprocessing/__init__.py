"""Keras's ``preprocessing`` namespace: ``preprocessing.sequence.pad_sequences`` and the
``image_dataset_from_directory`` / ``text_dataset_from_directory`` aliases."""

from ..data.image_folder import image_dataset_from_directory
from ..data.text_folder import text_dataset_from_directory
from . import sequence

__all__ = ["image_dataset_from_directory", "sequence", "text_dataset_from_directory"]
