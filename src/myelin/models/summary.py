"""``model.summary()``: Keras 3's table of layers, output shapes and parameter counts.

The layout follows Keras 3 (which draws the table with ``rich``): 88 columns, or
the terminal width minus 4 when narrower; columns at 45% / 80% / 100% of the
line; a heavy header; the totals below with their size in bytes. Box-drawing
characters fall back to ASCII when stdout cannot encode them.
"""

import math
import shutil
import sys
import textwrap

import numpy as np

_HEAVY = {"top": "┏━┳┓", "head": "┃┃┃", "rule": "┡━╇┩", "row": "│││", "sep": "├─┼┤",
          "bottom": "└─┴┘", "cut": "…"}
_ASCII = {"top": "+--+", "head": "|||", "rule": "|-+|", "row": "|||", "sep": "|-+|",
          "bottom": "+--+", "cut": "~"}


def readable_size(num_bytes):
    """``8`` -> ``"8.00 B"``, ``203560`` -> ``"198.79 KB"`` (powers of 1024, as Keras)."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if num_bytes / 1024 < 1:
            return f"{num_bytes:.2f} {unit}"
        num_bytes /= 1024
    return f"{num_bytes:.2f} PB"


def _count_and_size(weights):
    unique = list({id(w): w for w in weights}.values())
    count = sum(math.prod(w.shape) for w in unique)
    return count, sum(math.prod(w.shape) * np.dtype(w.dtype).itemsize for w in unique)


def _column_widths(line_length, positions):
    """Widths of the cells (padding included) that fill ``line_length`` with borders.

    Keras asks rich for columns of ``positions * line_length`` characters plus
    padding; rich then takes the excess off evenly, left to right (its ratio_reduce).
    """
    if positions[-1] <= 1:
        positions = [int(p * line_length) for p in positions]
    widths, current = [], 0
    for pos in positions:
        if pos - current < 4:
            raise ValueError("Insufficient console width to print summary.")
        widths.append(pos - current + 2)
        current = pos
    excess = sum(widths) + len(widths) + 1 - line_length
    remaining, shares = max(excess, 0), len(widths)
    for i, width in enumerate(widths):
        cut = min(width, round(remaining / shares))
        widths[i] = width - cut
        remaining -= cut
        shares -= 1
    return widths


def _cell_lines(text, width, align, ellipsis="…"):
    # As rich: wrap at spaces; a word longer than the cell is cut with an ellipsis.
    room = width - 2
    lines = textwrap.wrap(text, room, break_on_hyphens=False, break_long_words=False) or [""]
    lines = [line if len(line) <= room else line[:room - 1] + ellipsis for line in lines]
    return [(f" {line:>{width - 2}} " if align == "right" else f" {line:<{width - 2}} ")
            for line in lines]


def _rows(cells, widths, aligns, vertical, ellipsis="…"):
    columns = [_cell_lines(c, w, a, ellipsis)
               for c, w, a in zip(cells, widths, aligns, strict=True)]
    height = max(len(col) for col in columns)
    blank = [" " * w for w in widths]
    return [vertical + vertical.join(col[i] if i < len(col) else blank[j]
                                     for j, col in enumerate(columns)) + vertical
            for i in range(height)]


def _rule(chars, widths):
    left, fill, mid, right = chars
    return left + mid.join(fill * w for w in widths) + right


def _output_shape(layer):
    if not layer.built:
        return "?"
    try:
        shape = layer.output_shape
    except (AttributeError, NotImplementedError, ValueError):
        return "?"
    return "(" + ", ".join(str(d) for d in shape) + ")"


def _params(layer):
    return f"{layer.count_params():,}" if layer.built else "0 (unbuilt)"


def _table_rows(model):
    """The rows (cells per layer) and whether the "Connected to" column is shown."""
    if hasattr(model, "_operations"):  # a functional model: Keras's graph layout
        from .functional_summary import table_rows

        return table_rows(model, _params)
    rows = [(f"{layer.name} ({type(layer).__name__})", _output_shape(layer), _params(layer))
            for layer in model.layers]
    return rows, False


def _can_encode(text):
    encoding = getattr(sys.stdout, "encoding", None) or "ascii"
    try:
        text.encode(encoding)
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def summary_text(model, line_length=None, positions=None, box=None):
    """The summary as one string (ending in a newline)."""
    rows, connected = _table_rows(model)
    header = ["Layer (type)", "Output Shape", "Param #"] + (["Connected to"] if connected else [])
    aligns = ("left", "left", "right", "left")[:len(header)]
    # Keras 3: 88 columns, or 108 with the "Connected to" column of a branching graph.
    line_length = line_length or min(108 if connected else 88,
                                     shutil.get_terminal_size().columns - 4)
    default = [0.3, 0.56, 0.74, 1.0] if connected else [0.45, 0.80, 1.0]
    widths = _column_widths(line_length, positions or default)
    box = box or _HEAVY
    lines = [f'Model: "{model.name}"', _rule(box["top"], widths)]
    lines += _rows(header, widths, aligns, box["head"][0], box["cut"])
    lines.append(_rule(box["rule"], widths))
    for i, cells in enumerate(rows):
        if i:
            lines.append(_rule(box["sep"], widths))
        lines += _rows(cells, widths, aligns, box["row"][0], box["cut"])
    lines.append(_rule(box["bottom"], widths))
    for label, (count, size) in param_totals(model):
        lines.append(f" {label} params: {count:,} ({readable_size(size)})")
    return "\n".join(lines) + "\n"


def param_totals(model):
    """``[(label, (count, bytes)), ...]``: Total, Trainable, Non-trainable (, Optimizer)."""
    trainable = _count_and_size(model.trainable_weights)
    frozen = _count_and_size(model.non_trainable_weights)
    # As Keras 3: a built optimizer's variables count towards the total.
    optimizer = getattr(model, "optimizer", None)
    slots = _count_and_size(optimizer.variables) if getattr(optimizer, "built", False) else None
    parts = (trainable, frozen) + ((slots,) if slots else ())
    total = (sum(p[0] for p in parts), sum(p[1] for p in parts))
    rows = [("Total", total), ("Trainable", trainable), ("Non-trainable", frozen)]
    if slots:
        rows.append(("Optimizer", slots))
    return rows


def summary_html(model):
    """The summary as an HTML table (what notebooks show for a model)."""
    from html import escape  # notebooks only: kept out of `import myelin`

    cells = "".join(
        f"<tr><td>{escape(layer.name)} ({type(layer).__name__})</td>"
        f"<td>{escape(_output_shape(layer))}</td>"
        f"<td style='text-align:right'>{_params(layer)}</td></tr>"
        for layer in model.layers)
    totals = "".join(f"<div>{label} params: {count:,} ({readable_size(size)})</div>"
                     for label, (count, size) in param_totals(model))
    return (f"<div><b>Model: \"{escape(model.name)}\"</b><table><thead><tr>"
            f"<th>Layer (type)</th><th>Output Shape</th><th>Param #</th></tr></thead>"
            f"<tbody>{cells}</tbody></table>{totals}</div>")


def print_summary(model, line_length=None, positions=None, print_fn=None):
    """Print ``summary_text``; ``print_fn`` (if given) receives the whole text once,
    as in Keras 3, and always gets the box-drawing version."""
    text = summary_text(model, line_length, positions)
    if print_fn is not None:
        print_fn(text)
        return
    if not _can_encode(text):
        text = summary_text(model, line_length, positions, box=_ASCII)
    sys.stdout.write(text)
