"""The arguments of ``gradient``, ``jacobian`` and the forward accumulator: nested
sources flattened and packed back, and TF's ``unconnected_gradients`` modes."""

from .tensor import Tensor


class UnconnectedGradients:
    """What ``gradient`` returns for a source the target does not depend on.

    Example:
        >>> tape.gradient(y, x, unconnected_gradients=UnconnectedGradients.ZERO)
    """

    NONE = "none"
    ZERO = "zero"


def unconnected_mode(value, where):
    """``"none"`` or ``"zero"`` from a string or an ``UnconnectedGradients`` member.

    Args:
        value: what the caller passed as ``unconnected_gradients``.
        where: the calling function's name, for the error message.

    Returns:
        ``"none"`` or ``"zero"``.

    Raises:
        ValueError: for anything else.
    """
    if value == "none" or value == "zero":  # checked first: the common case stays cheap
        return value
    value = getattr(value, "value", value)  # an enum member of TF's own UnconnectedGradients
    if value not in ("none", "zero"):
        raise ValueError(
            f"{where}: unconnected_gradients must be 'none' or 'zero', received {value!r}."
        )
    return value


def flatten_sources(sources, where):
    """``sources`` (a Tensor, or a nested list, tuple or dict of them) as a flat list.

    Raises:
        TypeError: naming ``where`` for a source that is not a Tensor.
    """
    if isinstance(sources, Tensor):
        return [sources]
    if isinstance(sources, dict):
        sources = list(sources.values())
    if not isinstance(sources, (list, tuple)):
        raise TypeError(
            f"{where}: sources must be Tensors or Variables, received {type(sources).__name__}."
        )
    flat = []
    for s in sources:
        if isinstance(s, Tensor):
            flat.append(s)
        else:
            flat.extend(flatten_sources(s, where))
    return flat


def pack_like(sources, results):
    """``results`` (a flat list) in the nested structure of ``sources``."""
    return _pack(sources, iter(results))


def _pack(sources, it):
    if isinstance(sources, Tensor):
        return next(it)
    if isinstance(sources, dict):
        return {key: _pack(value, it) for key, value in sources.items()}
    return type(sources)([next(it) if isinstance(s, Tensor) else _pack(s, it)
                          for s in sources])
