"""The layer graph for TensorBoard's "Graphs" tab, as a GraphDef of layer nodes."""


def _inputs_of(model):
    """``[(layer, [names of the layers feeding it]), ...]`` for a Sequential or a
    functional model (other models: the layers in order, unconnected)."""
    nodes = getattr(model, "_nodes_for_graph", None)
    if callable(nodes):
        return nodes()
    layers = list(getattr(model, "layers", []))
    previous = "input"
    result = []
    for layer in layers:
        result.append((layer, [previous]))
        previous = layer.name
    return result


def write_layer_graph(writer, model):
    """Write ``model``'s layers as a GraphDef event (one node per layer)."""
    from tensorboardX.proto import event_pb2, graph_pb2, node_def_pb2, versions_pb2

    graph = graph_pb2.GraphDef(versions=versions_pb2.VersionDef(producer=22))
    graph.node.append(node_def_pb2.NodeDef(name="input", op="Input"))
    for layer, inputs in _inputs_of(model):
        node = node_def_pb2.NodeDef(name=layer.name, op=type(layer).__name__)
        node.input.extend(inputs)
        graph.node.append(node)
    event = event_pb2.Event(graph_def=graph.SerializeToString())
    writer._get_file_writer().add_event(event)
    writer.flush()
