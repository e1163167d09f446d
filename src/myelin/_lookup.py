"""Name lookup shared by the `get(identifier)` functions of activations, initializers,
losses, metrics and optimizers: one spelling of the "did you mean ...?" error."""

import difflib
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
