"""``tf.data.experimental``: the older spellings some tutorials still use."""

from .dataset import AUTOTUNE, INFINITE_CARDINALITY, UNKNOWN_CARDINALITY


def cardinality(dataset):
    """``dataset.cardinality()``: the number of elements, or -1 (infinite) / -2 (unknown).

    Example:
        >>> int(cardinality(myelin.data.Dataset.range(3)))
        3
    """
    return dataset.cardinality()


__all__ = ["AUTOTUNE", "INFINITE_CARDINALITY", "UNKNOWN_CARDINALITY", "cardinality"]
