"""Automatic names for layers and models, unique per process like Keras's.

The first ``Dense`` is ``dense``, the next ``dense_1``, ``dense_2`` ... ;
``clear_session()`` starts the counts again (and is what ``utils.clear_session``
and ``backend.clear_session`` call).
"""

from .._lookup import snake_case

_counts = {}


def unique_name(base):
    """``base`` the first time, then ``base_1``, ``base_2`` ... for this process."""
    count = _counts.get(base, 0)
    _counts[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def auto_name(cls):
    """The next free snake_case name for an instance of class ``cls``."""
    return unique_name(snake_case(cls.__name__))


def clear_session():
    """Reset the automatic layer and model names, as ``keras.backend.clear_session``.

    Example:
        >>> clear_session(); Dense(1).name
        'dense'
    """
    _counts.clear()
