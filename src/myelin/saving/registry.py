"""The allow-list of classes and functions a saved file may name.

A file names an object by a versioned key such as ``"Dense.v1"`` (myelin's own
classes) or ``"Custom>MyLayer.v1"`` (registered by the user). Loading looks the key
up here and nowhere else: no module path from a file is ever imported, so a file
can only instantiate what this process has explicitly allowed. myelin's own
classes are collected from its fixed list of modules the first time a key is
needed; user classes are added with ``@register_serializable()``.

The version suffix is the format of the object's config: if a class ever changes
what its ``get_config`` means, it registers the new reader as ``.v2`` and old files
still resolve ``.v1``.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Mapping
from typing import Any

# The modules whose public classes myelin files may name, fixed here and never read from a
# file, with the key prefix of each: losses and metrics both have a MeanSquaredError.
_BUILTIN_MODULES = {
    "layers": "", "models": "", "optimizers": "optimizers>", "losses": "losses>",
    "metrics": "metrics>", "initializers": "initializers>", "regularizers": "regularizers>",
    "constraints": "constraints>",
}

_BY_KEY: dict[str, Any] = {}
_BY_OBJECT: dict[Any, str] = {}
_builtins_loaded = False


def register_serializable(package: str = "Custom", name: str | None = None, version: int = 1):
    """Class or function decorator that allows files to name the decorated object.

    The key is ``"<package>><name>.v<version>"``. Classes must define
    ``get_config()`` (and ``from_config`` if their constructor does not accept
    that config as keyword arguments).

    Args:
        package: Namespace of the key, so two libraries' ``MyLayer`` do not clash.
        name: Name inside the package; defaults to the object's ``__name__``.
        version: Format version of the object's config (see module docstring).

    Returns:
        A decorator returning the object unchanged.

    Example:
        >>> @myelin.saving.register_serializable(package="demo")
        ... class Scale(myelin.layers.Layer):
        ...     def get_config(self): ...
        >>> myelin.saving.get_registered_name(Scale)
        'demo>Scale.v1'
    """
    if not isinstance(package, str) or not package or ">" in package:
        raise ValueError(
            f"register_serializable: package must be a non-empty string without '>', "
            f"received {package!r}."
        )

    def decorator(obj):
        if inspect.isclass(obj) and not hasattr(obj, "get_config"):
            raise TypeError(
                f"register_serializable: class {obj.__name__} has no get_config() method; "
                "define get_config() returning its constructor arguments so it can be saved."
            )
        if not (inspect.isclass(obj) or callable(obj)):
            raise TypeError(
                f"register_serializable: expected a class or function, received {obj!r}."
            )
        _add(f"{package}>{name or obj.__name__}.v{int(version)}", obj)
        return obj

    return decorator


def get_registered_name(obj) -> str:
    """The key a file uses for ``obj`` (a class, function, or an instance's class)."""
    _load_builtins()
    target = obj if (inspect.isclass(obj) or inspect.isroutine(obj)) else type(obj)
    try:
        return _BY_OBJECT[target]
    except KeyError:
        raise ValueError(
            f"serialize: {getattr(target, '__qualname__', target)!r} is not registered, so "
            "a saved file could not name it. Decorate it with "
            "@myelin.saving.register_serializable()."
        ) from None


def get_registered_object(key: str, custom_objects: Mapping[str, Any] | None = None):
    """The object registered under ``key``, or ``None`` when nothing is.

    ``custom_objects`` (as in Keras's ``load_model``) maps a full key or a bare
    class name to an object and is consulted first.
    """
    _load_builtins()
    if custom_objects:
        bare = key.split(">")[-1].rsplit(".v", 1)[0]
        for candidate in (key, bare):
            if candidate in custom_objects:
                return custom_objects[candidate]
    return _BY_KEY.get(key)


def serialize(obj) -> Any:
    """A JSON-ready description of ``obj``: ``{"class_name": key, "config": {...}}``.

    Strings and ``None`` are returned as they are (they name built-ins such as
    ``"relu"``); registered functions get ``"config": None``.
    """
    if obj is None or isinstance(obj, str):
        return obj
    key = get_registered_name(obj)
    if inspect.isroutine(obj):
        return {"class_name": key, "config": None}
    return {"class_name": key, "config": obj.get_config()}


def deserialize(
    spec,
    custom_objects: Mapping[str, Any] | None = None,
    expected_type: type | tuple[type, ...] | None = None,
):
    """Rebuild an object from ``serialize``'s output, allowing only registered names.

    Args:
        spec: ``None`` or a built-in's name (returned as they are, for the
            consumer's own ``get`` to resolve), or a dict with ``class_name`` and
            ``config``.
        custom_objects: Extra key -> object mapping, consulted first.
        expected_type: If given, a rebuilt instance must be of this type.

    Returns:
        The rebuilt object (an instance, or a registered function itself).

    Raises:
        ValueError: Unknown key, malformed spec, or an object of the wrong type.
    """
    if spec is None or isinstance(spec, str):
        return spec
    if not isinstance(spec, dict) or not isinstance(spec.get("class_name"), str):
        raise ValueError(
            f"deserialize: expected a dict with a string 'class_name' and a 'config', "
            f"received {_preview(spec)}."
        )
    key, config = spec["class_name"], spec.get("config")
    obj = get_registered_object(key, custom_objects)
    if obj is None:
        raise ValueError(
            f"deserialize: unknown class name {key!r}; only registered names may be loaded "
            f"(e.g. {', '.join(sorted(_BY_KEY)[:4])}, ...). If it is your own class, decorate "
            "it with @myelin.saving.register_serializable() (or pass custom_objects=) before "
            "loading."
        )
    if not inspect.isclass(obj):
        return obj
    if not isinstance(config, dict):
        raise ValueError(f"deserialize: {key!r} needs a dict config, received {_preview(config)}.")
    built = _from_config(obj, config, custom_objects)
    if expected_type is not None and not isinstance(built, expected_type):
        raise ValueError(
            f"deserialize: {key!r} is not a {_type_names(expected_type)}; the file puts a "
            f"{type(built).__name__} where one is required."
        )
    return built


def _from_config(cls, config, custom_objects):
    from_config = getattr(cls, "from_config", None)
    if from_config is None:
        return cls(**config)
    # Containers (Sequential) resolve their layers with the same custom objects.
    if custom_objects and "custom_objects" in inspect.signature(from_config).parameters:
        return from_config(config, custom_objects=custom_objects)
    return from_config(config)


def _add(key: str, obj) -> None:
    existing = _BY_KEY.get(key)
    # A notebook re-running a cell redefines the class under the same qualified name: allow it.
    if existing is not None and getattr(existing, "__qualname__", None) != getattr(
            obj, "__qualname__", None):
        raise ValueError(
            f"register_serializable: {key!r} is already registered to "
            f"{existing.__module__}.{existing.__qualname__}; pass another package= or name=."
        )
    _BY_KEY[key] = obj
    _BY_OBJECT[obj] = key


def _load_builtins() -> None:
    global _builtins_loaded
    if _builtins_loaded:
        return
    _builtins_loaded = True
    for kind, prefix in _BUILTIN_MODULES.items():
        try:
            module = importlib.import_module(f"myelin.{kind}")
        except ModuleNotFoundError as error:
            if error.name != f"myelin.{kind}":
                raise
            continue  # a module this build does not have contributes no names
        for attr in dir(module):  # dir(): also the names a package imports lazily
            obj = getattr(module, attr)
            if _is_builtin_class(attr, obj) and obj not in _BY_OBJECT:
                _add(f"{prefix}{obj.__name__}.v1", obj)


def _is_builtin_class(attr: str, obj) -> bool:
    return (
        inspect.isclass(obj)
        and not attr.startswith("_")
        and obj.__module__.startswith("myelin.")
        and callable(getattr(obj, "get_config", None))
    )


def _type_names(types) -> str:
    types = types if isinstance(types, tuple) else (types,)
    return " or ".join(t.__name__ for t in types)


def _preview(value, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def known_names() -> list[str]:
    """Every key a file may currently use, sorted (for error messages and docs)."""
    _load_builtins()
    return sorted(_BY_KEY)

