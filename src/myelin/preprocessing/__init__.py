"""Keras's ``preprocessing`` namespace: ``preprocessing.sequence.pad_sequences``."""

from . import sequence

__all__ = ["sequence"]
