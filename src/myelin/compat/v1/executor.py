"""One compiled ``Session.run``: the steps for a set of fetches and fed tensors.

``Session`` keeps one ``RunPlan`` per fetch/feed structure, so a training loop pays
for ordering the graph, finding its variables and checking their initialisation
once. Each run then converts the feeds, computes every needed node once (an op is
one ``Function.apply`` call on values looked up by id), and applies the queued
effects (variable updates) only after every step succeeded.
"""

import numpy as np

from ...autodiff import GradientTape, Tensor, Variable
from ...autodiff.static_value import SymbolicAccess
from ...graph.execute import Context, ordered_nodes
from ...graph.structure import flatten
from ...graph.tensor import SymbolicTensor
from .errors import InvalidArgumentError
from .operation import Operation, variables_read
from .variables import needs_initializer, uninitialized_error

_OP, _CALL, _NODE, _WATCH = 0, 1, 2, 3


class RunContext(Context):
    """A run's values plus TF-1 state: the session, the tape and the queued effects."""

    def __init__(self, values, session, tape):
        super().__init__(values)
        self.session, self.tape, self.pending = session, tape, []


def fetch_target(leaf):
    """The symbolic tensor computing ``leaf`` (None for a Variable or a constant)."""
    if isinstance(leaf, Operation):
        return leaf.outputs[0]
    return leaf if isinstance(leaf, SymbolicTensor) else None


class RunPlan:
    """The compiled steps computing ``leaves`` from the tensors in ``fed``."""

    def __init__(self, session, leaves, fed):
        self.fed = list(fed)
        stop = {id(t) for t in self.fed}
        self.leaves = leaves
        targets = [t for t in map(fetch_target, leaves) if t is not None]
        self.graph_check(session, targets + self.fed)
        nodes = ordered_nodes(targets, stop)
        gradient_nodes = [n for n in nodes if n.kind == "gradient"]
        self.tape_persistent = len(gradient_nodes) > 1
        self.needs_tape = bool(gradient_nodes)
        watch = {id(x) for n in gradient_nodes for x in n.xs if isinstance(x, SymbolicTensor)}
        self.watch_fed = [id(t) for t in self.fed if id(t) in watch]
        self.watch_vars = [x for n in gradient_nodes for x in n.xs
                           if isinstance(x, Variable) and not x.trainable]
        self.steps = []
        for node in nodes:
            if node.kind == "input":
                if node.default is None:
                    raise InvalidArgumentError(_unfed_message(node.outputs[0]))
                self.steps.append((_NODE, node, None, None, None))
            elif node.kind == "op":
                self.steps.append((_OP, node.cls.apply, _spec(node.args), node.params,
                                   id(node.outputs[0])))
            elif node.kind == "call" and len(node.outputs) == 1 and _flat(node.args) and \
                    _flat(node.kwargs.values()):  # a call on plain arguments: no map_structure
                kwargs = (tuple(node.kwargs), _spec(node.kwargs.values()))
                self.steps.append((_CALL, node.fn, _spec(node.args), kwargs,
                                   id(node.outputs[0])))
            else:
                self.steps.append((_NODE, node, None, None, None))
            self.steps.extend((_WATCH, id(t), None, None, None)
                              for t in node.outputs if id(t) in watch)
        read_vars = variables_read(nodes) + [v for v in leaves if isinstance(v, Variable)]
        self.graph_variables = [v for v in read_vars if needs_initializer(v, session.graph)]
        self.ready = not self.graph_variables

    @staticmethod
    def graph_check(session, tensors):
        for t in tensors:
            if t.graph is not session.graph:
                raise ValueError(
                    f"Session.run: the tensor '{t.name}' belongs to another graph than this "
                    f"session's. Build the ops and the session in the same graph (create the "
                    f"session after tf.reset_default_graph(), or pass graph= to tf.Session).")

    def check_initialized(self, session):
        for var in self.graph_variables:
            if id(var) not in session._initialized:
                raise uninitialized_error(var)
        self.ready = True

    def run(self, session, feeds):
        """Compute the fetched values; returns one value (or None) per leaf."""
        values = dict(feeds)
        if self.needs_tape:
            with GradientTape(persistent=self.tape_persistent) as tape:
                for key in self.watch_fed:
                    tape.watch(values[key])
                tape.watch(self.watch_vars)
                context = RunContext(values, session, tape)
                self._execute(values, context)
        else:
            context = RunContext(values, session, None)
            self._execute(values, context)
        results = [self._value(leaf, values) for leaf in self.leaves]
        for effect in context.pending:  # every step succeeded: now change state
            effect()
        return results

    def _execute(self, values, context):
        def read(leaf):
            return values.get(id(leaf), leaf) if isinstance(leaf, SymbolicTensor) else leaf

        for kind, fn, spec, params, key in self.steps:
            if kind == _OP:
                args = [values[a] if symbolic else a for symbolic, a in spec]
                values[key] = fn(*args, **params) if params else fn(*args)
            elif kind == _CALL:
                args = [values[a] if symbolic else a for symbolic, a in spec]
                names, kwspec = params
                kwargs = {n: values[a] if symbolic else a
                          for n, (symbolic, a) in zip(names, kwspec, strict=True)}
                values[key] = fn(*args, **kwargs)
            elif kind == _NODE:
                result = fn.run(read, context)
                outputs = fn.outputs
                if len(outputs) == 1:
                    values[id(outputs[0])] = result
                else:
                    for tensor, value in zip(outputs, flatten(result), strict=True):
                        values[id(tensor)] = value
            else:
                context.tape.watch(values[fn])

    @staticmethod
    def _value(leaf, values):
        if isinstance(leaf, Operation):
            return None
        if isinstance(leaf, SymbolicTensor):
            value = values[id(leaf)]
            return None if value is None else np.asarray(value._data)
        if isinstance(leaf, Variable):
            return leaf.numpy()
        return np.asarray(leaf._data if isinstance(leaf, Tensor) else leaf)


def _spec(args):
    """Per argument: (True, id of the graph tensor giving its value) or (False, value)."""
    return tuple((True, id(a)) if isinstance(a, SymbolicTensor) else (False, a) for a in args)


def _flat(args):
    return not any(isinstance(a, (list, tuple, dict)) for a in args)


def _unfed_message(tensor):
    return (f"You must feed a value for placeholder tensor '{tensor.name}' with dtype "
            f"{tensor.dtype.name} and shape {tensor.get_shape()}: this run needs it. Add it to the "
            f"feed_dict, e.g. sess.run(..., feed_dict={{{tensor.name.split(':')[0]}: ...}}).")


def convert_feed(tensor, value):
    """``value`` as a Tensor fitting the placeholder ``tensor`` (dtype and static shape)."""
    if value.__class__ is np.ndarray and value.dtype == tensor.dtype:
        shape = tensor._data._shape  # the usual case: a batch of the right dtype
        if shape is None or (value.ndim == len(shape) and all(
                d is None or d == n for d, n in zip(shape, value.shape, strict=True))):
            return Tensor(value)
    name = tensor.name
    try:
        array = np.asarray(value._data if isinstance(value, Tensor) else value)
    except (SymbolicAccess, TypeError):
        raise TypeError(f"feed_dict: the value for '{name}' is a graph tensor; feed NumPy "
                        f"arrays or Python numbers (run the tensor first).") from None
    dtype = tensor.dtype
    if array.dtype != dtype:
        if array.dtype.kind not in "biuf" or not np.can_cast(array.dtype, dtype, "same_kind"):
            raise InvalidArgumentError(
                f"feed_dict: the value fed for '{name}' has dtype {array.dtype.name}, which "
                f"cannot be converted to the placeholder's {dtype.name}. Cast it first, "
                f"e.g. value.astype(np.{dtype.name}).")
        array = array.astype(dtype)
    shape = tensor._data._shape
    if shape is not None and (len(shape) != array.ndim or any(
            d is not None and d != n for d, n in zip(shape, array.shape, strict=True))):
        raise InvalidArgumentError(
            f"feed_dict: cannot feed a value of shape {array.shape} for '{name}', which has "
            f"shape {tensor.get_shape()} (None = any size). Reshape the value, e.g. "
            f"value.reshape(-1, {', '.join(str(d) for d in shape[1:])})."
            if len(shape) > 1 else
            f"feed_dict: cannot feed a value of shape {array.shape} for '{name}', which has "
            f"shape {tensor.get_shape()} (None = any size).")
    return Tensor(array)

