"""Keras's ``preprocessing.sequence`` names (the implementation is in ``myelin.data``)."""

from ..data.preprocessing import pad_sequences

__all__ = ["pad_sequences"]
