"""``keras.utils.plot_model``: the layer graph of a model, drawn with matplotlib alone.

Boxes are layers (name and class, optionally shapes, dtype, activation and whether it
trains), arrows the tensors between them, laid out in ranks (longest path from the
inputs) top to bottom or left to right. Sequential, functional and nested models work;
``expand_nested`` draws a nested model's own layers inside a dashed frame.
"""

import os

from .figures import _pyplot


class _Box:
    def __init__(self, key, layer, label, group=None):
        self.key, self.layer, self.label, self.group = key, layer, label, group
        self.inputs = []


def _shape_text(shape):
    if isinstance(shape, list):
        return ", ".join(_shape_text(s) for s in shape)
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"


def _label(layer, options, name=None):
    lines = [f"{name or layer.name} ({type(layer).__name__})" if options["show_layer_names"]
             else type(layer).__name__]
    if options["show_shapes"]:
        inp = getattr(layer, "_build_input_shape", None)
        try:
            out = layer.output_shape if layer.built else None
        except (AttributeError, ValueError, NotImplementedError):
            out = None
        lines.append(f"in: {_shape_text(inp) if inp else '?'}  out: "
                     f"{_shape_text(out) if out else '?'}")
    if options["show_dtype"]:
        lines.append(f"dtype: {layer.dtype}")
    if options["show_layer_activations"] and getattr(layer, "activation", None) is not None:
        fn = layer.activation
        lines.append(f"activation: {getattr(fn, '__name__', type(fn).__name__)}")
    if options["show_trainable"]:
        lines.append("trainable" if layer.trainable else "frozen")
    return "\n".join(lines)


def _boxes(model, options, group=None):
    """The boxes of ``model`` and the keys of its first and last boxes."""
    outputs = getattr(model, "outputs", None)
    if outputs and all(hasattr(t, "node") for t in outputs):  # functional
        from ..graph import ordered_nodes

        boxes, by_node = [], {}
        for node in ordered_nodes(list(outputs)):
            layer = getattr(node, "layer", None)
            inner = _expandable(layer, options)
            if inner:
                sub, first, last = _boxes(layer, options, group=layer.name)
                boxes += sub
                head, tail = first, last
            else:
                label = _label(layer, options) if layer is not None else \
                    f"{node.name} ({type(node).__name__})"
                box = _Box(id(node), layer, label, group)
                boxes.append(box)
                head = tail = box.key
            for t in node.inputs:
                _connect(boxes, head, by_node[id(t.node)])
            by_node[id(node)] = tail
        starts = [by_node[id(n)] for n in ordered_nodes(list(outputs)) if n.kind == "input"]
        return boxes, starts[0] if starts else None, by_node[id(outputs[-1].node)]
    layers = list(getattr(model, "_stack", None) or getattr(model, "layers", []))
    boxes, previous, first = [], None, None
    for layer in layers:
        if _expandable(layer, options):
            sub, head, tail = _boxes(layer, options, group=layer.name)
        else:
            box = _Box(id(layer), layer, _label(layer, options), group)
            sub, head, tail = [box], box.key, box.key
        boxes += sub
        if previous is not None:
            _connect(boxes, head, previous)
        first = first if first is not None else head
        previous = tail
    return boxes, first, previous


def _expandable(layer, options):
    return options["expand_nested"] and layer is not None and hasattr(layer, "layers") \
        and hasattr(layer, "compile")


def _connect(boxes, key, source_key):
    for box in boxes:
        if box.key == key and source_key not in box.inputs:
            box.inputs.append(source_key)


def _ranks(boxes):
    rank = {}
    for box in boxes:  # boxes come in topological order
        rank[box.key] = 1 + max((rank[k] for k in box.inputs if k in rank), default=-1)
    return rank


def plot_model(model, to_file="model.png", show_shapes=False, show_dtype=False,
               show_layer_names=True, rankdir="TB", expand_nested=False, dpi=200,
               show_layer_activations=False, show_trainable=False, **kwargs):
    """Draw the layer graph of ``model`` to ``to_file`` (PNG, SVG or PDF by extension).

    Args:
        model: a Sequential, functional or subclassed model (built).
        to_file: the image file; its extension picks the format.
        show_shapes, show_dtype, show_layer_names: what each box says (Keras's options).
        show_layer_activations, show_trainable: likewise.
        rankdir: ``"TB"`` (top to bottom) or ``"LR"`` (left to right).
        expand_nested: draw nested models' layers inside a dashed frame.
        dpi: resolution of PNG output.

    Returns:
        The matplotlib ``Figure`` (it renders inline in a notebook).

    Example:
        >>> keras.utils.plot_model(model, "model.png", show_shapes=True)
    """
    if rankdir not in ("TB", "LR"):
        raise ValueError(f"plot_model: rankdir must be 'TB' or 'LR', received {rankdir!r}.")
    extension = os.path.splitext(os.fspath(to_file))[1].lower() if to_file else ".png"
    if extension not in (".png", ".svg", ".pdf"):
        raise ValueError(f"plot_model: to_file must end in .png, .svg or .pdf, received "
                         f"{to_file!r}.")
    options = {"show_shapes": show_shapes, "show_dtype": show_dtype,
               "show_layer_names": show_layer_names, "expand_nested": expand_nested,
               "show_layer_activations": show_layer_activations,
               "show_trainable": show_trainable}
    boxes, _, _ = _boxes(model, options)
    if not boxes:
        raise ValueError(f"plot_model: model '{model.name}' has no layers to draw.")
    return _render(boxes, _ranks(boxes), rankdir, to_file, dpi)


def _render(boxes, rank, rankdir, to_file, dpi):
    plt = _pyplot()
    from matplotlib.patches import FancyBboxPatch, Rectangle

    per_rank = {}
    for box in boxes:
        per_rank.setdefault(rank[box.key], []).append(box)
    lines = max(b.label.count("\n") + 1 for b in boxes)
    box_w, box_h = 3.4, 0.35 + 0.28 * lines
    step_main, step_cross = box_h + 0.7, box_w + 0.5
    where = {}
    for r, row in per_rank.items():
        for i, box in enumerate(row):
            cross = (i - (len(row) - 1) / 2) * step_cross
            where[box.key] = (cross, -r * step_main) if rankdir == "TB" else \
                (r * (box_w + 0.9), -cross * (box_h + 0.4) / step_cross * 1.8)
    xs = [p[0] for p in where.values()]
    ys = [p[1] for p in where.values()]
    fig = plt.figure(figsize=(max(4, (max(xs) - min(xs)) + box_w + 1) * 0.9,
                              max(2.5, (max(ys) - min(ys)) + box_h + 1) * 0.9))
    ax = fig.add_axes([0, 0, 1, 1])
    for box in boxes:
        x, y = where[box.key]
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y - box_h / 2), box_w, box_h,
                                    boxstyle="round,pad=0.05", facecolor="#eef3fb",
                                    edgecolor="#33415c", linewidth=1.0))
        ax.text(x, y, box.label, ha="center", va="center", fontsize=7.5, family="monospace")
        for source in box.inputs:
            sx, sy = where[source]
            start, end = _edge((sx, sy), (x, y), box_w, box_h, rankdir)
            ax.annotate("", xy=end, xytext=start,
                        arrowprops={"arrowstyle": "->", "color": "#33415c", "lw": 1.0})
    for group in {b.group for b in boxes if b.group}:
        members = [where[b.key] for b in boxes if b.group == group]
        gx = [p[0] for p in members]
        gy = [p[1] for p in members]
        ax.add_patch(Rectangle((min(gx) - box_w / 2 - 0.2, min(gy) - box_h / 2 - 0.2),
                               max(gx) - min(gx) + box_w + 0.4,
                               max(gy) - min(gy) + box_h + 0.4, fill=False,
                               linestyle="--", edgecolor="gray"))
        ax.text(min(gx) - box_w / 2 - 0.15, max(gy) + box_h / 2 + 0.25, group, fontsize=7,
                color="gray")
    ax.set_xlim(min(xs) - box_w / 2 - 0.5, max(xs) + box_w / 2 + 0.5)
    ax.set_ylim(min(ys) - box_h / 2 - 0.5, max(ys) + box_h / 2 + 0.6)
    ax.axis("off")
    if to_file:
        folder = os.path.dirname(os.fspath(to_file))
        if folder:
            os.makedirs(folder, exist_ok=True)
        fig.savefig(to_file, dpi=dpi)
    if to_file or "inline" in plt.get_backend():
        plt.close(fig)
    return fig


def _edge(source, target, box_w, box_h, rankdir):
    (sx, sy), (x, y) = source, target
    if rankdir == "TB":
        return (sx, sy - box_h / 2 - 0.05), (x, y + box_h / 2 + 0.05)
    return (sx + box_w / 2 + 0.05, sy), (x - box_w / 2 - 0.05, y)
