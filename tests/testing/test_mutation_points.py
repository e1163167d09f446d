"""tools/mutation_points.py (the mutation run's bug planter) plants what it says."""

import importlib.util
import sys
from pathlib import Path

TOOL = Path(__file__).resolve().parents[2] / "tools" / "mutation_points.py"
_spec = importlib.util.spec_from_file_location("mutation_points", TOOL)
mutation_points = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("mutation_points", mutation_points)  # dataclasses look it up
_spec.loader.exec_module(mutation_points)

SOURCE = '''def f(a, b: int = 1):
    """A docstring: 0 < 1 is not mutated."""
    if not a < b and a != 0:
        a += b * 2
    return a[1:-1], True
'''


def test_every_operator_is_planted_once_with_its_swap():
    found = [(m.kind, m.old, m.new, m.line)
             for m in mutation_points.mutation_points("f.py", SOURCE)]
    assert found == [
        ("number", "1", "0", 1),  # the default (the annotation is left alone)
        ("drop-not", "not ", "", 3),
        ("compare", "<", "<=", 3),
        ("boolop", "and", "or", 3),
        ("compare", "!=", "==", 3),
        ("number", "0", "1", 3),
        ("drop-augassign", "a += b * 2", "pass", 4),
        ("binop", "*", "/", 4),
        ("number", "2", "3", 4),
        ("return", "a[1:-1], True", "None", 5),
        ("number", "1", "0", 5),
        ("slice-bound", "1", "", 5),
        ("slice-bound", "-1", "", 5),
        ("number", "1", "0", 5),
        ("bool", "True", "False", 5),
    ]


def test_a_mutant_applies_to_its_source_and_shows_its_diff():
    points = mutation_points.mutation_points("f.py", SOURCE)
    swap = next(m for m in points if m.kind == "binop")
    assert swap.id == "f.py:4:15 binop '*' -> '/'"
    assert "a += b / 2" in swap.apply(SOURCE)
    assert swap.diff(SOURCE) == "-        a += b * 2\n+        a += b / 2"
    assert swap.is_valid(SOURCE)
