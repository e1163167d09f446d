"""The rows of a functional model's summary, as Keras 3 lays them out.

A graph that is a plain chain (one input, every layer called once on one tensor)
prints like a Sequential; any other graph gets the "Connected to" column, listing
for each layer the tensors it was called on as ``layer[node index][tensor index]``.
Ops recorded between layers (``x + 1``) are rows too, with no parameters.
"""

from collections import Counter

from .functional_graph import depths, node_index, operation_name, operation_of, type_name


def _shape_text(tensors):
    shapes = ["(" + ", ".join(str(d) for d in t.shape) + ")" for t in tensors]
    return shapes[0] if len(shapes) == 1 else "[" + ", ".join(shapes) + "]"


def _calls(model, op):
    """The nodes of ``op`` that belong to the model."""
    ids = {id(n) for n in model._nodes}
    if not hasattr(op, "built"):
        return [op]
    if op.__class__.__name__ == "InputLayer":
        return [n for n in model._nodes if n.kind == "input" and n.layer is op]
    return [n for n in getattr(op, "_inbound_nodes", ()) if id(n) in ids]


def _output_text(op):
    if not hasattr(op, "built"):
        return _shape_text(op.outputs)
    if op.__class__.__name__ == "InputLayer":
        return _shape_text([op.output])
    calls = getattr(op, "_inbound_nodes", ())
    return _shape_text(calls[-1].outputs) if calls else "?"


def _connections(model, op):
    parts = [f"{operation_name(operation_of(t.node))}[{node_index(t.node)}][{t.index}]"
             for node in _calls(model, op) for t in node.inputs]
    return ", ".join(parts) or "-"


def is_chain(model):
    """Keras's test for a "sequential-like" graph (no "Connected to" column)."""
    node_depth, _, _ = depths(model._nodes)
    per_depth = Counter(node_depth.values())
    if any(count > 1 for count in per_depth.values()):
        return False
    if any(len(node.inputs) > 1 for node in model._nodes):
        return False
    calls = Counter(id(operation_of(n)) for n in model._nodes)
    return all(count == 1 for count in calls.values())


def table_rows(model, params):
    """``(rows, connected)``: the summary cells per operation, and whether the
    "Connected to" column is shown. ``params(layer)`` formats a layer's count."""
    connected = not is_chain(model)
    rows = []
    for op in model._operations:
        kind = type(op).__name__ if hasattr(op, "built") else type_name(op)
        cells = [f"{operation_name(op)} ({kind})", _output_text(op),
                 params(op) if hasattr(op, "built") else "0"]
        if connected:
            cells.append(_connections(model, op))
        rows.append(tuple(cells))
    return rows, connected
