"""Argument parsing shared by the padding, cropping and upsampling layers (Keras 3 rules).

An amount is an int or a tuple of ints; a 2-D padding or cropping is an int, a pair of
symmetric amounts ``(rows, cols)`` or a pair of pairs ``((top, bottom), (left, right))``.
"""

import numpy as np


def _is_int(value):
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def int_tuple(value, n, what, where, allow_zero=True):
    """``value`` (an int, or a sequence of ``n`` ints) as a tuple of ``n`` Python ints.

    Args:
        value: the argument as the user gave it.
        n: how many ints it stands for.
        what: the argument's name, for the error message.
        where: the layer, for the error message.
        allow_zero: whether 0 is allowed (paddings) or not (factors).

    Returns:
        A tuple of ``n`` ints, e.g. ``int_tuple(2, 2, ...) == (2, 2)``.

    Raises:
        ValueError: naming ``where``, ``what`` and the value received, when an item is
            not an int, is negative (or zero unless ``allow_zero``), or the length is wrong.
    """
    items = (value,) * n if _is_int(value) else value
    low = 0 if allow_zero else 1
    try:
        ok = len(items) == n and all(_is_int(v) and v >= low for v in items)
    except TypeError:  # not a sequence
        ok = False
    if not ok:
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(f"{where}: `{what}` must be a {kind} int or a tuple of {n} {kind} "
                         f"ints. Received: {what}={value!r}")
    return tuple(int(v) for v in items)


def pairs_2d(value, what, where):
    """A 2-D padding/cropping as ``((top, bottom), (left, right))`` of non-negative ints.

    Args:
        value: an int, ``(rows, cols)`` or ``((top, bottom), (left, right))``.
        what: the argument's name, for the error message.
        where: the layer, for the error message.

    Returns:
        ``((top, bottom), (left, right))``, e.g. ``(1, 2)`` gives ``((1, 1), (2, 2))``.

    Raises:
        ValueError: naming ``where``, ``what`` and the value received.
    """
    if _is_int(value):
        value = (value, value)
    try:
        ok = len(value) == 2
    except TypeError:
        ok = False
    if not ok:
        raise ValueError(
            f"{where}: `{what}` should be an int, a tuple of 2 ints (symmetric_height, "
            f"symmetric_width) or a tuple of 2 tuples of 2 ints ((top, bottom), "
            f"(left, right)). Received: {what}={value!r}")
    return (int_tuple(value[0], 2, f"{what}[0]", where),
            int_tuple(value[1], 2, f"{what}[1]", where))
