"""Nested structures (lists, tuples, dicts) of tensors: flatten and map."""


def flatten(struct):
    """The leaves of ``struct`` in order (dicts in key-insertion order)."""
    if isinstance(struct, (list, tuple)):
        return [leaf for item in struct for leaf in flatten(item)]
    if isinstance(struct, dict):
        return [leaf for item in struct.values() for leaf in flatten(item)]
    return [struct]


def map_structure(fn, struct):
    """``struct`` with every leaf replaced by ``fn(leaf)``."""
    if isinstance(struct, list):
        return [map_structure(fn, item) for item in struct]
    if isinstance(struct, tuple):
        return tuple(map_structure(fn, item) for item in struct)
    if isinstance(struct, dict):
        return {key: map_structure(fn, item) for key, item in struct.items()}
    return fn(struct)
