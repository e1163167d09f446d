"""Every public name of myelin's API has a docstring, so `help(name)` and the API
reference show something for each.

"Public" means: every name without a leading underscore in the modules below (modules
themselves excepted), and every public method or property a public class defines in
myelin's own code. A method that overrides a documented one inherits its docstring, as
`inspect.getdoc` shows it, so `Dense.call` needs none of its own when
`Layer.call` has one.
"""

import importlib
import inspect
import types

import pytest

MODULES = [
    "myelin",
    "myelin.keras",
    "myelin.keras.layers",
    "myelin.keras.losses",
    "myelin.keras.metrics",
    "myelin.keras.optimizers",
    "myelin.keras.callbacks",
    "myelin.keras.initializers",
    "myelin.keras.activations",
    "myelin.keras.regularizers",
    "myelin.keras.constraints",
    "myelin.keras.models",
    "myelin.keras.utils",
    "myelin.keras.datasets",
    "myelin.nn",
    "myelin.math",
]
# keras.datasets holds one module per dataset (mnist.load_data, ...): check those too.
MODULES += [f"myelin.keras.datasets.{name}" for name in
            ("mnist", "fashion_mnist", "imdb", "cifar10", "cifar100")]


def _own(obj):
    """True for objects written in myelin (not NumPy's, not the standard library's)."""
    if isinstance(obj, types.ModuleType):
        module = obj.__name__
    else:
        module = getattr(obj, "__module__", None) or ""
    return module == "myelin" or module.startswith("myelin.")


def _members(cls):
    """The public methods and properties `cls` itself defines."""
    for name, attr in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(attr, (staticmethod, classmethod)):
            attr = attr.__func__
        if isinstance(attr, property) or inspect.isfunction(attr):
            yield name, attr


def _doc(attr):
    if isinstance(attr, (staticmethod, classmethod)):
        attr = attr.__func__
    return (getattr(attr, "__doc__", None) or "").strip()


def _inherited_doc(cls, name):
    """The docstring of `cls.name`, or of the nearest base's `name` (as inspect.getdoc
    does, but also for methods wrapped by a decorator, whose qualname getdoc cannot
    follow)."""
    for klass in cls.__mro__:
        if name in vars(klass) and _doc(vars(klass)[name]):
            return _doc(vars(klass)[name])
    return ""


def undocumented():
    """Names of the public API whose docstring is missing or blank, sorted."""
    missing, seen = set(), set()
    for module_name in MODULES:
        module = importlib.import_module(module_name)
        for name in dir(module):
            obj = getattr(module, name, None)
            if name.startswith("_") or isinstance(obj, types.ModuleType) or obj is None:
                continue
            if not (callable(obj) or isinstance(obj, type)) or not _own(obj):
                continue
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if not (obj.__doc__ or "").strip():
                missing.add(f"{module_name}.{name}")
            if not inspect.isclass(obj):
                continue
            for klass in obj.__mro__:
                if not _own(klass) or id(klass) in seen and klass is not obj:
                    continue
                seen.add(id(klass))
                for member, attr in _members(klass):
                    if id(attr) in seen:
                        continue
                    seen.add(id(attr))
                    if not _inherited_doc(klass, member):
                        missing.add(f"{klass.__module__}.{klass.__qualname__}.{member}")
    return sorted(missing)


def test_every_public_name_has_a_docstring():
    missing = undocumented()
    assert not missing, f"{len(missing)} public names have no docstring:\n" + "\n".join(missing)


@pytest.mark.parametrize("module_name", MODULES)
def test_the_enumeration_sees_each_module(module_name):
    # A module whose names the walk skipped entirely would make the test above vacuous.
    module = importlib.import_module(module_name)
    public = [n for n in dir(module) if not n.startswith("_") and _own(getattr(module, n))]
    assert public, f"{module_name} exposes no public myelin names"
