"""The Python code blocks of the READMEs and the docs pages run, so what they show stays
true.

Every fenced block marked ``python`` runs; the blocks of one page run in order in one
namespace (a later block may use an earlier one's names), in a temporary directory.
Blocks marked ``text``, ``bash`` or anything else are not run. A Python block that
cannot run here (it needs the reader's own data, or the whole real dataset) opts out
with an HTML comment on the line just before its fence, saying why:

    <!-- snippet: skip (uses the reader's x_train) -->

A page's skipped blocks are counted, and each page must run at least one block, so a
page cannot opt out entirely by accident.
"""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAGES = [ROOT / "README.md", ROOT / "examples" / "README.md",
         *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"(?P<skip><!-- snippet: skip[^>]*-->\n)?```(?P<lang>[\w-]*)\n(?P<code>.*?)```",
                   re.S)


def blocks(path):
    """The page's fenced blocks as (line number, language, code, skipped)."""
    text = path.read_text()
    for match in FENCE.finditer(text):
        line = text.count("\n", 0, match.start("code"))
        yield line, match["lang"], match["code"], bool(match["skip"])


def python_pages():
    return [p for p in PAGES if any(lang == "python" for _, lang, _, _ in blocks(p))]


def test_the_runner_finds_the_blocks():
    # the README holds runnable Python; if the pattern stopped matching, nothing would run
    readme = [b for b in blocks(ROOT / "README.md") if b[1] == "python"]
    assert len(readme) >= 4
    assert any(skipped for *_, skipped in readme)
    assert any(not skipped for *_, skipped in readme)


@pytest.mark.parametrize("page", python_pages(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_page_s_python_blocks_run(page, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace = {"__name__": "__snippet__"}
    ran = 0
    for line, lang, code, skipped in blocks(page):
        if lang != "python" or skipped:
            continue
        try:
            exec(compile(code, f"{page.name}:{line + 1}", "exec"), namespace)
        except Exception as error:  # any failure: say which block, then fail
            pytest.fail(f"{page.relative_to(ROOT)} block at line {line + 1} raised "
                        f"{type(error).__name__}: {error}")
        ran += 1
    assert ran, f"{page.name}: every Python block opted out"
