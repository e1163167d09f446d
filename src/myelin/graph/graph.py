"""Graph: the namespace of symbolic nodes (unique names, name scopes, collections).

One default graph exists per thread of control, as in TensorFlow 1: every
placeholder, ``keras.Input`` and recorded op gets a unique name in it, prefixed by
the open ``name_scope``s (``dnn/hidden1/MatMul``). ``reset_default_graph`` starts a
fresh one.
"""

import re
import weakref
from contextlib import contextmanager

from ..autodiff.static_value import graph_mode

_VALID = re.compile(r"^[A-Za-z0-9.][A-Za-z0-9_.\-/]*$")


class Graph:
    """Names and collections of the symbolic nodes built in it.

    Example:
        >>> g = Graph()
        >>> with g.name_scope("dnn"):
        ...     g.unique_name("MatMul"), g.unique_name("MatMul")
        ('dnn/MatMul', 'dnn/MatMul_1')
    """

    def __init__(self):
        self._scopes = []
        self._used = {}
        self.collections = {}
        self.finalized = False
        self.tf1 = False  # holds a TF-1 placeholder: TF-1 graph mode while it is the default
        self.initial_values = {}  # id(TF-1 Variable) -> its initial value (array or graph)
        self._nodes = weakref.WeakValueDictionary()  # name -> node, for lookups by name

    def unique_name(self, base, scoped=True):
        """``base`` under the open scopes, suffixed ``_1``, ``_2`` ... when already used."""
        name = "/".join([*self._scopes, base]) if scoped and self._scopes else base
        count = self._used.get(name.lower(), 0)
        self._used[name.lower()] = count + 1
        if count:
            candidate = f"{name}_{count}"
            while candidate.lower() in self._used:
                count += 1
                candidate = f"{name}_{count}"
            self._used[candidate.lower()] = 1
            name = candidate
        return name

    @contextmanager
    def name_scope(self, name):
        """Prefix the names created inside with ``name/`` (made unique like TF 1)."""
        if name is None or name == "":
            yield ""
            return
        name = str(name)
        if name.endswith("/"):  # an existing scope re-entered verbatim
            scope = name.rstrip("/")
        else:
            if not _VALID.match(name):
                raise ValueError(f"name_scope: {name!r} is not a valid scope name (letters, "
                                 f"digits, '_', '.', '-' and '/').")
            scope = self.unique_name(name)
        saved = self._scopes
        self._scopes = scope.split("/")
        try:
            yield scope + "/"
        finally:
            self._scopes = saved

    def add_node(self, node):
        """Index ``node`` by its (unique) name for ``get_tensor_by_name``."""
        self._nodes[node.name] = node

    def get_tensor_by_name(self, name):
        """The tensor called ``name`` (``"loss:0"``; ``"loss"`` means output 0).

        Raises:
            KeyError: naming the tensor, when the graph has no such node.
        """
        op_name, _, index = str(name).partition(":")
        node = self._nodes.get(op_name)
        if node is None or int(index or 0) >= len(node.outputs):
            raise KeyError(f"get_tensor_by_name: the graph has no tensor named {name!r}; "
                           f"names look like 'dnn/hidden1/MatMul:0' (check .name).")
        return node.outputs[int(index or 0)]

    def add_to_collection(self, key, value):
        self.collections.setdefault(key, []).append(value)

    def get_collection(self, key):
        return list(self.collections.get(key, ()))

    @contextmanager
    def as_default(self):
        """Make this graph the default inside a ``with`` block."""
        _stack.append(self)
        sync_graph_mode()
        try:
            yield self
        finally:
            _stack.remove(self)
            sync_graph_mode()


_stack = [Graph()]
# disable_eager_execution() / disable_v2_behavior() were called: graph mode for good.
eager_disabled = [False]


def sync_graph_mode():
    """TF-1 graph mode is on while the default graph holds a placeholder, or for good
    once eager execution was disabled (see ``myelin.compat.v1``)."""
    graph_mode[0] = eager_disabled[0] or _stack[-1].tf1


def get_default_graph():
    """The graph new placeholders, inputs and ops are added to."""
    return _stack[-1]


def reset_default_graph():
    """Start a new, empty default graph (TF 1's ``tf.reset_default_graph``)."""
    if len(_stack) > 1:
        raise AssertionError("reset_default_graph: do not call it inside a "
                             "`with graph.as_default():` block.")
    _stack[0] = Graph()
    sync_graph_mode()


def name_scope(name, default_name=None, values=None):
    """``with name_scope("dnn"):`` prefixes the names of the nodes created inside."""
    return get_default_graph().name_scope(name if name is not None else default_name)
