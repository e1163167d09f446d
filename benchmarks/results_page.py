"""RESULTS.md holds one section per kind of machine measured; a run replaces its own.

The same code is 0.87x PyTorch on one CPU and 1.05x on another (different BLAS kernels,
caches, clock), so a run on a new CPU must not erase what was measured elsewhere. Each
section starts with a ``<!-- machine: CPU model -->`` marker; the hand-written profile
notes (NOTES.md) follow all sections once.
"""

import re
from pathlib import Path

# Hand-written notes on what the profiles show, appended after every machine's section.
NOTES = Path(__file__).resolve().parent / "NOTES.md"
MARKER = re.compile(r"^<!-- machine: (.+?) -->$", re.MULTILINE)
NOTES_MARKER = "<!-- notes -->"

HEADER = """# myelin benchmarks

Written by `python benchmarks/run.py`; raw numbers of the last run in the .json beside
this file. One section per CPU model measured: a run replaces its own CPU's section and
keeps the others, because the ratios to the peers differ between CPU kinds.
"""


def sections(page):
    """``{cpu: section text}`` of an existing RESULTS.md, in page order.

    A page written before sections existed (one machine, ``## Machine`` at the top) is
    read as that machine's section, its headings moved one level down.
    """
    page = page.split(NOTES_MARKER)[0]
    found = list(MARKER.finditer(page))
    if not found:
        cpu = re.search(r"^- CPU: ([^;\n]+)", page, re.MULTILINE)
        start = page.find("## Machine")
        if cpu is None or start < 0:
            return {}
        body = page[start:].split("\n## What the profiles show")[0]
        body = re.sub(r"^## ", "### ", body, flags=re.MULTILINE)
        return {cpu.group(1).strip(): f"## {cpu.group(1).strip()}\n\n{body.strip()}\n"}
    out = {}
    for i, match in enumerate(found):
        end = found[i + 1].start() if i + 1 < len(found) else len(page)
        out[match.group(1)] = page[match.end():end].strip() + "\n"
    return out


def merge(page, cpu, section, notes=True):
    """The new RESULTS.md: ``page``'s sections with ``cpu``'s replaced (or added) by
    ``section``, then the notes.

    Args:
        page: the current RESULTS.md text ("" when there is none).
        cpu: the CPU model the new section was measured on.
        section: ``report.markdown``'s text for this run.
        notes: append NOTES.md (not for quick smoke runs).

    Returns:
        The page's new text.

    Example:
        >>> merge("", "Intel(R) Xeon(R)", "## Intel(R) Xeon(R)\\n", notes=False)[-30:]
        '## Intel(R) Xeon(R)\\n'
    """
    kept = sections(page)
    kept[cpu] = section.strip() + "\n"
    parts = [HEADER]
    for name, text in kept.items():
        parts.append(f"<!-- machine: {name} -->\n{text}")
    if notes and NOTES.is_file():
        parts.append(f"{NOTES_MARKER}\n{NOTES.read_text().strip()}\n")
    return "\n".join(parts)
