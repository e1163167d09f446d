"""Helpers the TensorFlow-1 tutorials imported from ``tensorflow.examples``."""
