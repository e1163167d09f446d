"""Saving behaviour that the mutation run (tools/mutation_sample.py) found untested."""

import pytest

from myelin.saving import registry


def test_builtin_names_skip_a_module_the_build_lacks_but_not_a_broken_one(monkeypatch):
    # A build without some myelin.<kind> module contributes no names from it; a module
    # that exists but fails on a missing dependency must raise, not vanish silently.
    monkeypatch.setattr(registry, "_builtins_loaded", False)
    monkeypatch.setattr(registry, "_BUILTIN_MODULES", {"no_such_kind": "nope>"})
    registry._load_builtins()  # skipped without error

    def broken(name):
        raise ModuleNotFoundError("No module named 'scipy'", name="scipy")

    monkeypatch.setattr(registry, "_builtins_loaded", False)
    monkeypatch.setattr(registry.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError, match="scipy"):
        registry._load_builtins()
