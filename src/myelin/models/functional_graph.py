"""The graph of a functional model: which nodes run, in which order, and what Keras
calls its operations (layers, and ops such as ``x + 1`` recorded between them).

``map_graph(inputs, outputs)`` walks back from the outputs (iteratively: deep graphs
cannot hit the recursion limit), stops at the model's inputs, and raises a clear
error when an output needs an input the model was not given. Operations are ordered
as Keras 3 orders them (by depth from the outputs, deepest first, ties in the order
the walk first met them), which fixes the order of ``model.layers``, the summary
rows and the saved config.
"""

from ..graph import SymbolicTensor
from ..layers.naming import unique_name


def operation_of(node):
    """The layer a node calls (an InputLayer for an input), or the node itself for an op."""
    return node.layer if node.kind in ("layer", "input") else node


def op_display_name(node):
    """A Keras-style name for an op node (``add``, ``concat_1``), given on first use from
    the same counter as layer names so an op never takes a layer's name."""
    name = getattr(node, "keras_name", None)
    if name is None:
        base = type_name(node).lower()
        name = node.keras_name = unique_name(base)
    return name


def type_name(node):
    """What the summary shows in parentheses for an op: its class or function name."""
    return node.cls.__name__ if node.kind == "op" else getattr(node, "fn", node).__name__


def operation_name(operation):
    return operation.name if hasattr(operation, "built") else op_display_name(operation)


def node_index(node):
    """The node's position among its layer's calls (Keras's ``node_index``)."""
    if node.kind == "input":
        return 0
    if node.kind == "layer":
        return node.layer._inbound_nodes.index(node)
    return 0


def _disconnected(tensor, output, input_names):
    name = tensor.name
    return ValueError(
        f"Graph disconnected: the output '{output.name}' needs the input '{name}' (shape "
        f"{tuple(tensor.shape)}), which is not among the model's inputs {input_names}. Pass "
        f"it in `inputs` (e.g. keras.Model(inputs=[..., {name}], outputs=...)), or compute "
        f"the output from the given inputs.")


def _walk(inputs, outputs):
    """The nodes the outputs need, each after the nodes it reads (post-order), and the
    pre-order index of each operation (Keras's tie-break)."""
    input_ids = {id(t) for t in inputs}
    input_names = [t.name for t in inputs]
    finished, order, first_seen = set(), [], {}
    for output in outputs:
        stack = [(output, None)]
        while stack:
            tensor, done = stack.pop()
            if done is not None:
                if id(done) not in finished:
                    finished.add(id(done))
                    order.append(done)
                continue
            node = tensor.node
            if id(node) in finished or id(tensor) in input_ids and node.kind != "input":
                continue  # an intermediate tensor given as an input: the walk stops here
            if node.kind == "input" and id(tensor) not in input_ids:
                raise _disconnected(tensor, output, input_names)
            first_seen.setdefault(id(operation_of(node)), len(first_seen))
            stack.append((None, node))
            stack.extend((t, None) for t in reversed(node.inputs) if id(t.node) not in finished)
    return order, first_seen


def depths(nodes):
    """Keras's depths: ``(node depth, operation depth, operations)`` keyed by id; an
    output's node is at depth 0, a node feeding one at depth d is at least at d + 1,
    and a layer called several times takes the depth of its deepest call."""
    in_graph = {id(n) for n in nodes}
    depth, op_depth, ops = {}, {}, {}
    for node in reversed(nodes):
        op = operation_of(node)
        ops[id(op)] = op
        level = max(depth.setdefault(id(node), 0), op_depth.get(id(op), 0))
        op_depth[id(op)] = depth[id(node)] = level
        for t in node.inputs:
            if id(t.node) in in_graph:
                depth[id(t.node)] = max(level + 1, depth.get(id(t.node), 0))
    return depth, op_depth, ops


def map_graph(inputs, outputs):
    """``(nodes, operations)``: the nodes to run in order (input nodes included) and the
    operations ordered as Keras 3 does; checks connectivity and unique names."""
    for t in list(inputs) + list(outputs):
        if not isinstance(t, SymbolicTensor):
            raise ValueError(f"Model: all inputs and outputs must be symbolic tensors (from "
                             f"keras.Input and layer calls); received {t!r:.80} of type "
                             f"{type(t).__name__}.")
    nodes, first_seen = _walk(inputs, outputs)
    _, op_depth, ops = depths(nodes)
    for t in inputs:  # inputs no output uses still belong to the model (Keras keeps them)
        if t.node.kind == "input" and id(t.node.layer) not in ops:
            ops[id(t.node.layer)], op_depth[id(t.node.layer)] = t.node.layer, 0
            first_seen[id(t.node.layer)] = -1
            nodes.insert(0, t.node)
    operations = sorted(ops.values(), key=lambda op: (-op_depth[id(op)], first_seen[id(op)]))
    names = [operation_name(op) for op in operations]
    for name in names:
        if names.count(name) > 1:
            raise ValueError(f'Model: the name "{name}" is used {names.count(name)} times in '
                             f"the model. All layer names should be unique; pass name= to "
                             f"one of the layers.")
    return nodes, operations
