"""Griffe extension for the API site: read the house style's ``Example:`` heading as
Google style's ``Examples:`` section, so that ``>>>`` lines render as code (griffe takes
the singular form for an admonition and would render them as nested quotes)."""

import re

import griffe

_HEADING = re.compile(r"^(\s*)Example:\s*$", re.M)


class ExampleSections(griffe.Extension):
    """Renames every ``Example:`` heading before the docstring is parsed."""

    def on_instance(self, *, obj, **kwargs):
        """Called for each object griffe loads; rewrites its docstring heading."""
        if obj.docstring is not None:
            obj.docstring.value = _HEADING.sub(r"\1Examples:", obj.docstring.value)
