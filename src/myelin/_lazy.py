"""Package attributes imported on first use (PEP 562), so that ``import myelin`` loads
only what most programs need; ``dir()`` still lists the lazy names."""

import importlib
import sys


def lazy_attributes(package, table):
    """Hooks making the names of ``table`` load on first access in ``package``.

    Args:
        package: the package's ``__name__``.
        table: ``{name: "module"}`` for a (sub)module, or ``{name: "module:attribute"}``
            for a name inside one; modules may be relative to ``package``.

    Returns:
        ``(__getattr__, __dir__)``, to assign in the package's namespace.

    Example:
        >>> __getattr__, __dir__ = lazy_attributes(__name__, {"datasets": ".datasets"})
    """
    namespace = sys.modules[package].__dict__

    def __getattr__(name):
        target = table.get(name)
        if target is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        module, _, attribute = target.partition(":")
        value = importlib.import_module(module, package)
        if attribute:
            value = getattr(value, attribute)
        namespace[name] = value  # later lookups find it without this hook
        return value

    def __dir__():
        return sorted(set(namespace) | set(table))

    return __getattr__, __dir__
