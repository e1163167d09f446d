"""TF-1 Variables in graphs: registration, collections and initializers.

In graph mode every new ``Variable`` registers with the default graph (its name gets
the open name scopes, ``dnn/hidden1/kernel:0``) together with its initial value: an
array, or a symbolic tensor whose recipe (e.g. ``truncated_normal``) the initializer
runs again. Until an initializer (or ``Saver.restore``) has run in a session, a run
that reads the variable stops with ``FailedPreconditionError`` naming it.
"""

from contextlib import contextmanager

import numpy as np

from ...autodiff import Tensor, Variable
from ...autodiff.static_value import SymbolicAccess, graph_mode, variable_recorder
from ...graph import get_default_graph
from ...graph.tensor import SymbolicTensor
from .errors import FailedPreconditionError
from .operation import Operation

GLOBAL_VARIABLES, TRAINABLE_VARIABLES, LOCAL_VARIABLES = (
    "variables", "trainable_variables", "local_variables")


@contextmanager
def computing():
    """Compute instead of recording inside (a run, an initializer, a restore): random ops
    draw, graph variables give their values, new Variables stay out of the graph."""
    saved, graph_mode[0] = graph_mode[0], False
    try:
        yield
    finally:
        graph_mode[0] = saved


_slot = Tensor._data  # the array slot, read directly where a graph variable must give it


class GraphVariable(Variable):
    """A Variable of a TF-1 graph: while the graph is being built, ops that read it record
    a node (reading ``_data`` signals ``SymbolicAccess``), so an expression of variables
    alone (``tf.nn.l2_loss(W)``, ``W * 2``) is computed by each run, not once at build
    time. Inside ``Session.run`` it is an ordinary Variable."""

    __slots__ = ()

    @property
    def _data(self):
        if graph_mode[0]:
            raise SymbolicAccess(f"the graph variable '{self.name}' is read when the graph runs")
        return _slot.__get__(self)

    @_data.setter
    def _data(self, value):
        _slot.__set__(self, value)

    shape = property(lambda self: _slot.__get__(self).shape)
    dtype = property(lambda self: _slot.__get__(self).dtype)
    ndim = property(lambda self: _slot.__get__(self).ndim)

    def get_shape(self):
        return self.shape

    def numpy(self):
        return _slot.__get__(self).copy()

    def _assigning(self, method, value):
        if getattr(value, "_is_symbolic", False):  # TF 1: an operation, run by sess.run
            from .ops import _assigning

            return _assigning(self, value, method, None)
        with computing():
            return getattr(Variable, method)(self, value)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._assigning("assign", value)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._assigning("assign_add", delta)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._assigning("assign_sub", delta)

    def __repr__(self):
        with computing():
            return Variable.__repr__(self)


def _register(var, initial_value, data, dtype):
    """``Variable.__init__``'s hook in graph mode: returns the variable's array."""
    graph = get_default_graph()
    if data is None:  # a graph initial value: the variable is filled by its initializer
        if not graph.tf1 and not isinstance(initial_value, SymbolicTensor):
            raise TypeError(f"Variable '{var.name}': the initial value is not an array.")
        if not isinstance(initial_value, SymbolicTensor) or not \
                initial_value.shape.is_fully_defined():
            raise ValueError(
                f"Variable '{var.name}': the initial value must have a fully known shape, "
                f"received {getattr(initial_value, 'shape', None)}. Give the shape "
                f"explicitly (e.g. tf.truncated_normal((784, 300)))."
            )
        dtype = np.dtype(dtype) if dtype is not None else initial_value.dtype
        data, initial = np.zeros(tuple(initial_value.shape), dtype), initial_value
    else:
        initial = data.copy()
    var.name = graph.unique_name(var.name) + ":0"
    var.__class__ = GraphVariable  # same layout: only reads while building change
    graph.initial_values[id(var)] = initial
    graph.add_to_collection(GLOBAL_VARIABLES, var)
    if var.trainable:
        graph.add_to_collection(TRAINABLE_VARIABLES, var)
    return data


variable_recorder[0] = _register


def needs_initializer(var, graph):
    """Whether ``var`` is a graph variable of ``graph`` (initialised per session)."""
    return id(var) in graph.initial_values


def uninitialized_error(var):
    op = var.name.split(":")[0]
    return FailedPreconditionError(
        f"Attempting to use uninitialized value {op}: the variable has no value in this "
        f"session yet. Run the initializer first, e.g. `init = "
        f"tf.global_variables_initializer()` then `init.run()` or `sess.run(init)` inside "
        f"the `with tf.Session() as sess:` block, or restore a checkpoint with "
        f"`saver.restore(sess, path)`.")


def variables_initializer(var_list, name="init"):
    """An operation that sets every variable of ``var_list`` to a fresh initial value.

    Random initial values (``truncated_normal``, ``random_normal`` ...) are drawn again
    each time it runs, as in TensorFlow.

    Example:
        >>> init = tf.variables_initializer([W, b])
    """
    variables = list(var_list)
    for var in variables:
        if not isinstance(var, Variable):
            raise TypeError(f"variables_initializer: expected Variables, received "
                            f"{type(var).__name__}.")
    graph = get_default_graph()
    initial = [graph.initial_values.get(id(v), None) for v in variables]
    initial = [v.numpy() if init is None else init for v, init in zip(variables, initial,
                                                                      strict=True)]
    symbolic = [init for init in initial if isinstance(init, SymbolicTensor)]

    def effect(values, context):
        computed = iter(values)
        pairs = [(var, next(computed) if isinstance(init, SymbolicTensor) else init)
                 for var, init in zip(variables, initial, strict=True)]

        def assign():
            for var, value in pairs:
                var.assign(value._data if isinstance(value, Tensor) else value)
            context.session._initialized.update(id(v) for v in variables)

        context.pending.append(assign)

    return Operation(symbolic, name, effect)


def global_variables(scope=None):
    """The variables created in the default graph (TF 1's GLOBAL_VARIABLES)."""
    return _collection(GLOBAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """The trainable variables of the default graph, in creation order."""
    return _collection(TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    """The local variables of the default graph (none unless added explicitly)."""
    return _collection(LOCAL_VARIABLES, scope)


def _collection(key, scope):
    found = get_default_graph().get_collection(key)
    return [v for v in found if scope is None or v.name.startswith(scope)]


def global_variables_initializer():
    """An operation that initialises every variable of the default graph.

    Example:
        >>> init = tf.global_variables_initializer()
        >>> with tf.Session() as sess:
        ...     init.run()
    """
    return variables_initializer(global_variables(), name="init")


def local_variables_initializer():
    """An operation that initialises the local variables (TF 1's metrics use them)."""
    return variables_initializer(local_variables(), name="init_1")


initialize_all_variables = global_variables_initializer  # TF 0.x spelling, still in tutorials


def _var_eval(self, feed_dict=None, session=None):
    """The variable's value in ``session`` (default: the default session)."""
    from .session import default_session

    return default_session("Variable.eval", session).run(self, feed_dict=feed_dict)


def _initializer(self):
    """The operation that (re)initialises this variable alone (``sess.run(v.initializer)``)."""
    return variables_initializer([self], name=self.name.split(":")[0] + "/Assign")


Variable.eval = _var_eval
Variable.initializer = property(_initializer)
