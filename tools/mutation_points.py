"""Where a source file can be mutated: one small, realistic bug per mutation point.

``mutation_points(path, text)`` walks the file's ``ast`` and returns every place where a
one-token bug can be planted: an arithmetic operator swapped (+ -, * /), a comparison
moved by one (< <=, > >=, == !=), a number changed (0 -> 1, 1 -> 0, n -> n + 1), a bool
flipped, ``and``/``or`` swapped, a ``not`` dropped, a slice bound dropped, a returned value
replaced by ``None`` and an augmented assignment (``x += y``) removed. ``Mutant.apply``
returns the mutated source; ``Mutant.diff`` shows the change. Used by
``tools/mutation_sample.py`` (see docs/CONTRIBUTING.md, "Mutation testing").
"""

from __future__ import annotations

import ast
import difflib
import re
from dataclasses import dataclass

# operator type -> (pattern of its token in the source, the token it is swapped for)
_BINARY = {
    ast.Add: (rb"\+", "-"),
    ast.Sub: (rb"-", "+"),
    ast.Mult: (rb"\*(?!\*)", "/"),
    ast.Div: (rb"/(?!/)", "*"),
}
_COMPARE = {
    ast.Lt: (rb"<(?!=)", "<="),
    ast.LtE: (rb"<=", "<"),
    ast.Gt: (rb">(?!=)", ">="),
    ast.GtE: (rb">=", ">"),
    ast.Eq: (rb"==", "!="),
    ast.NotEq: (rb"!=", "=="),
}
_BOOL = {ast.And: (rb"\band\b", "or"), ast.Or: (rb"\bor\b", "and")}


@dataclass(frozen=True)
class Mutant:
    """One bug: replace the source bytes ``start:end`` of ``path`` by ``new``.

    Args:
        path: The file, relative to the repository root (``src/myelin/...``).
        line: 1-based line of the change, for people.
        col: 0-based column (in bytes) where the change starts on that line.
        start: Byte offset where the replaced text starts.
        end: Byte offset where it ends.
        old: The replaced text.
        new: The text put in its place.
        kind: The mutation operator (``binop``, ``compare``, ``number``, ...).

    Example:
        >>> m = mutation_points("f.py", "x = a + 1\\n")[0]
        >>> m.apply("x = a + 1\\n")
        'x = a - 1\\n'
    """

    path: str
    line: int
    col: int
    start: int
    end: int
    old: str
    new: str
    kind: str

    @property
    def id(self) -> str:
        """A stable name: file, line, column, operator and change: ``f.py:3:6 binop '+' -> '-'``."""
        return f"{self.path}:{self.line}:{self.col} {self.kind} {self.old!r} -> {self.new!r}"

    def apply(self, text: str) -> str:
        """The source ``text`` of ``path`` with this one change made.

        Args:
            text: The original source of the file.

        Returns:
            The mutated source.
        """
        raw = text.encode()
        assert raw[self.start : self.end].decode() == self.old, f"stale mutant {self.id}"
        return (raw[: self.start] + self.new.encode() + raw[self.end :]).decode()

    def diff(self, text: str) -> str:
        """The change as a unified diff with no context lines.

        Args:
            text: The original source of the file.

        Returns:
            The ``-``/``+`` lines of the diff.
        """
        lines = difflib.unified_diff(
            text.splitlines(), self.apply(text).splitlines(), lineterm="", n=0
        )
        return "\n".join(x for x in lines if x[:1] in "+-" and x[:3] not in ("---", "+++"))

    def is_valid(self, text: str) -> bool:
        """Whether the mutated source still parses and means something else.

        Args:
            text: The original source of the file.

        Returns:
            True when the mutant compiles and its syntax tree differs from the original's.
        """
        try:
            mutated = ast.parse(self.apply(text))
        except SyntaxError:
            return False
        return ast.dump(mutated) != ast.dump(ast.parse(text))


class _Finder(ast.NodeVisitor):
    """Collects the mutation points of one module (offsets in bytes, as ``ast`` gives)."""

    def __init__(self, path: str, text: str):
        self.path = path
        self.raw = text.encode()
        line_starts = [0]
        for line in self.raw.splitlines(keepends=True):
            line_starts.append(line_starts[-1] + len(line))
        self.line_starts = line_starts
        self.found: list[Mutant] = []

    def _offset(self, line: int, col: int) -> int:
        return self.line_starts[line - 1] + col

    def _span(self, node: ast.AST) -> tuple[int, int]:
        return (
            self._offset(node.lineno, node.col_offset),
            self._offset(node.end_lineno, node.end_col_offset),
        )

    def _add(self, start: int, end: int, new: str, kind: str) -> None:
        line = self.raw.count(b"\n", 0, start) + 1
        old = self.raw[start:end].decode()
        col = start - self.line_starts[line - 1]
        self.found.append(Mutant(self.path, line, col, start, end, old, new, kind))

    def _token_between(self, left: ast.AST, right: ast.AST, pattern: bytes, new: str, kind: str):
        # Between two operands there are only brackets, blanks and the operator itself.
        lo, hi = self._span(left)[1], self._span(right)[0]
        match = re.search(pattern, self.raw[lo:hi])
        if match:
            self._add(lo + match.start(), lo + match.end(), new, kind)

    # Annotations and docstrings carry no behaviour: leave them alone.
    def visit_arg(self, node: ast.arg) -> None:
        pass

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if node.value is not None:
            self.visit(node.value)

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self.visit(node.args)
        for statement in node.body:
            self.visit(statement)
        for decorator in node.decorator_list:
            self.visit(decorator)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_BinOp(self, node: ast.BinOp) -> None:
        texts = (ast.JoinedStr, ast.Constant)
        is_text = any(
            isinstance(x, texts) and not isinstance(getattr(x, "value", 0), (int, float))
            for x in (node.left, node.right)
        )
        if type(node.op) in _BINARY and not is_text:  # "a" + "b" -> "a" - "b" is noise
            pattern, new = _BINARY[type(node.op)]
            self._token_between(node.left, node.right, pattern, new, "binop")
        self.generic_visit(node)

    def visit_Compare(self, node: ast.Compare) -> None:
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            if type(op) in _COMPARE:
                pattern, new = _COMPARE[type(op)]
                self._token_between(left, right, pattern, new, "compare")
            left = right
        self.generic_visit(node)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        pattern, new = _BOOL[type(node.op)]
        self._token_between(node.values[0], node.values[1], pattern, new, "boolop")
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            start = self._span(node)[0]
            self._add(start, self._span(node.operand)[0], "", "drop-not")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        start, end = self._span(node)
        if isinstance(value, bool):
            self._add(start, end, str(not value), "bool")
        elif isinstance(value, int):
            self._add(start, end, {0: "1", 1: "0"}.get(value, str(value + 1)), "number")
        elif isinstance(value, float):
            self._add(start, end, {0.0: "1.0", 1.0: "0.0"}.get(value, repr(value + 1)), "number")

    def visit_Slice(self, node: ast.Slice) -> None:
        for bound in (node.lower, node.upper):
            if bound is not None:
                self._add(*self._span(bound), "", "slice-bound")
        self.generic_visit(node)

    def visit_Return(self, node: ast.Return) -> None:
        value = node.value
        if value is not None and not (isinstance(value, ast.Constant) and value.value is None):
            self._add(*self._span(value), "None", "return")
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._add(*self._span(node), "pass", "drop-augassign")
        self.generic_visit(node)

    def visit_Expr(self, node: ast.Expr) -> None:
        if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            self.generic_visit(node)  # a docstring is skipped


def mutation_points(path: str, text: str) -> list[Mutant]:
    """Every mutation point of one Python source file, in source order.

    Args:
        path: The file's path relative to the repository root (kept in each ``Mutant``).
        text: The file's source.

    Returns:
        A list of ``Mutant``; check ``is_valid`` before running one (a rare dropped bound
        or operator can leave invalid syntax).

    Example:
        >>> [m.new for m in mutation_points("f.py", "def f(a):\\n    return a < 2\\n")]
        ['None', '<=', '3']
    """
    finder = _Finder(path, text)
    finder.visit(ast.parse(text))
    return sorted(finder.found, key=lambda m: (m.start, m.kind))
