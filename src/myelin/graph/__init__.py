"""Symbolic tensors and deferred graphs: one mechanism for the Keras functional API
(``keras.Input`` -> layer calls -> ``Model``) and TensorFlow-1 graph mode
(``placeholder`` -> ops -> ``Session.run``).

A symbolic tensor flows through the same op code as an eager one: ``Function.apply``
notices the symbolic input only when ``forward`` touches it (``SymbolicAccess``) and
records an ``OpNode`` instead; ``Layer.__call__`` records a ``LayerNode``. Static
shapes come from abstract evaluation (``infer``). ``Plan`` runs the nodes an output
needs, once each, eagerly, so gradients flow through a graph run like any eager code.
"""

from . import record  # noqa: F401  (installs the op recorder in Function.apply)
from .execute import Context, Plan, ordered_nodes
from .graph import Graph, get_default_graph, name_scope, reset_default_graph
from .nodes import InputNode, LayerNode, Node, OpNode
from .record import call_layer, record_op
from .structure import flatten, map_structure
from .tensor import SymbolicTensor, TensorShape, is_symbolic

__all__ = [
    "Context", "Graph", "InputNode", "LayerNode", "Node", "OpNode", "Plan", "SymbolicTensor",
    "TensorShape", "call_layer", "flatten", "get_default_graph", "is_symbolic", "map_structure",
    "name_scope", "ordered_nodes", "record_op", "reset_default_graph",
]
