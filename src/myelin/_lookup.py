"""Name lookup shared by the `get(identifier)` functions of activations, initializers,
losses, metrics and optimizers: one spelling of the "did you mean ...?" error."""

import inspect
import re


def snake_case(name):
    """Keras's spelling: ``GlorotUniform`` -> ``glorot_uniform``,
    ``GlobalAveragePooling1D`` -> ``global_average_pooling1d``."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", re.sub(r"\W+", "", name))
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def lookup(name, table, kind):
    """``table[name]``, or a ValueError that lists the closest known names.

    Args:
        name: the string the user passed.
        table: dict from accepted names to objects.
        kind: what is looked up, e.g. ``"activation"`` (used in the message).

    Returns:
        The object registered under ``name``.

    Raises:
        ValueError: naming the unknown value and suggesting the closest match.
    """
    if name in table:
        return table[name]
    import difflib  # only for the error message: kept out of `import myelin`

    close = difflib.get_close_matches(name, list(table), n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(name.lower(), list(table), n=3, cutoff=0.6)
    # of the similar names, the fewest typing slips away wins: 'adma' is 'adam', not 'adamax'
    close = sorted(close, key=lambda known: _slips(name.lower(), known.lower()))
    hint = f" Did you mean '{close[0]}'?" if close else ""
    known = ", ".join(sorted(k for k in table if k == k.lower()))
    plural = kind + ("es" if kind.endswith("s") else "s")
    raise ValueError(f"Unknown {kind} '{name}'.{hint} Known {plural}: {known}.")


def _slips(a, b):
    """Edits (insert, delete, replace, swap of neighbours) that turn ``a`` into ``b``."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        row = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[-1]


def not_understood(identifier, kind, expected):
    """The ValueError (as Keras) for an identifier that is neither a name nor an object."""
    return ValueError(
        f"Could not interpret {kind} identifier {identifier!r} of type "
        f"{type(identifier).__name__}: expected {expected}."
    )


def to_config(obj):
    """``{"class_name": ..., "config": obj.get_config()}``, Keras's serialized form."""
    return {"class_name": type(obj).__name__, "config": obj.get_config()}


def from_config(config, table, kind):
    """Rebuild an object from ``to_config``'s output, resolving the class in ``table``."""
    cls = lookup(config["class_name"], table, kind)
    return cls.from_config(dict(config.get("config", {})))


def resolve(identifier, base, table, kind, expected, deserialize):
    """The shared ``get(identifier)`` of initializers, regularizers and constraints.

    Args:
        identifier: None or a ``base`` instance (returned as they are), a name in
            ``table`` (the class, built with its defaults), a config dict (rebuilt by
            ``deserialize``), a class (instantiated) or another callable (returned).
        base: the family's base class.
        table: dict from accepted names to classes.
        kind: e.g. ``"regularizer"`` (for messages).
        expected: what the family accepts, for the "could not interpret" message.
        deserialize: the family's ``deserialize(config)``.

    Returns:
        The resolved object.

    Raises:
        ValueError: for an unknown name or an identifier that is not callable.
    """
    if identifier is None or isinstance(identifier, base):
        return identifier
    if isinstance(identifier, str):
        return lookup(identifier, table, kind)()
    if isinstance(identifier, dict):
        return deserialize(identifier)
    if inspect.isclass(identifier):
        return identifier()
    if callable(identifier):
        return identifier
    raise not_understood(identifier, kind, expected)


def to_config_or_registered(obj, builtin):
    """``to_config(obj)`` for one of the ``builtin`` classes, None for None, else the
    registry's form (a user's class decorated with ``register_serializable``)."""
    if obj is None or type(obj) in builtin:
        return None if obj is None else to_config(obj)
    from .saving import registry  # saving sits above every family; import on use

    return registry.serialize(obj)


def from_config_or_registered(config, table, kind):
    """Rebuild what ``to_config_or_registered`` wrote: a built-in name or a registered one."""
    if config.get("class_name") in table:
        return from_config(config, table, kind)
    from .saving import registry

    return registry.deserialize(config)
