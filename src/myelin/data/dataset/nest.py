"""Nested structures of a dataset's elements: tuples, namedtuples and dicts of leaves.

As in ``tf.nest``, tuples and dicts are structure and everything else is a leaf; a
list is a leaf too (``from_tensor_slices([1, 2, 3])`` slices one array), and dict
values are visited in sorted key order so flat lists line up between elements.
"""


def _is_namedtuple(value):
    return isinstance(value, tuple) and hasattr(type(value), "_fields")


_STRUCTURES = (tuple, dict)


def _flat_tuple(structure):
    """Whether ``structure`` is a plain tuple of leaves (the common ``(x, y)``)."""
    return type(structure) is tuple and not any(
        isinstance(item, _STRUCTURES) for item in structure)


def flatten(structure):
    """The leaves of ``structure`` in a fixed order.

    Example:
        >>> flatten(({"b": 2, "a": 1}, 3))
        [1, 2, 3]
    """
    if not isinstance(structure, _STRUCTURES):
        return [structure]
    if _flat_tuple(structure):  # per-element hot path: no recursion
        return list(structure)
    if isinstance(structure, dict):
        return [leaf for key in sorted(structure) for leaf in flatten(structure[key])]
    return [leaf for item in structure for leaf in flatten(item)]


def pack(structure, leaves):
    """``leaves`` (as ``flatten`` orders them) put back into the shape of ``structure``.

    Example:
        >>> pack((0, {"a": 0}), [5, 6])
        (5, {'a': 6})
    """
    if not isinstance(structure, _STRUCTURES):
        return leaves[0]
    if _flat_tuple(structure):
        return tuple(leaves)
    return _pack(structure, iter(leaves))


def _pack(structure, it):
    if isinstance(structure, dict):
        packed = {key: _pack(structure[key], it) for key in sorted(structure)}
        return {key: packed[key] for key in structure}  # the user's key order
    if _is_namedtuple(structure):
        return type(structure)(*(_pack(item, it) for item in structure))
    if isinstance(structure, tuple):
        return tuple(_pack(item, it) for item in structure)
    return next(it)


def map_structure(fn, structure):
    """``structure`` with ``fn`` applied to every leaf.

    Example:
        >>> map_structure(lambda v: v * 2, (1, {"a": 2}))
        (2, {'a': 4})
    """
    if not isinstance(structure, _STRUCTURES):
        return fn(structure)
    if _flat_tuple(structure):
        return tuple(fn(leaf) for leaf in structure)
    return pack(structure, [fn(leaf) for leaf in flatten(structure)])


def flatten_up_to(structure, value):
    """``value``'s parts at the leaves of ``structure``; a part may itself be a tuple
    (a shape), which ``flatten`` would split.

    Example:
        >>> flatten_up_to((0, 0), ((28, 28), ()))
        [(28, 28), ()]
    """
    if isinstance(structure, dict):
        return [p for key in sorted(structure) for p in flatten_up_to(structure[key],
                                                                       value[key])]
    if isinstance(structure, tuple):
        if not isinstance(value, (tuple, list)) or len(value) != len(structure):
            raise ValueError(f"expected {len(structure)} parts matching the element's "
                             f"structure, received {value!r}.")
        return [p for s, v in zip(structure, value, strict=True)
                for p in flatten_up_to(s, v)]
    return [value]


def same_structure(a, b):
    """Whether ``a`` and ``b`` have the same nesting (types, lengths and dict keys)."""
    if isinstance(a, dict) or isinstance(b, dict):
        return (isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b)
                and all(same_structure(a[k], b[k]) for k in a))
    if isinstance(a, tuple) or isinstance(b, tuple):
        return (isinstance(a, tuple) and isinstance(b, tuple) and len(a) == len(b)
                and all(same_structure(x, y) for x, y in zip(a, b, strict=True)))
    return True


def describe(structure):
    """A short text of the nesting, for error messages: ``(x, {'a': x})``."""
    return repr(map_structure(lambda _: _Leaf(), structure))


class _Leaf:
    def __repr__(self):
        return "x"
