"""The steps of a graph: inputs (fed), recorded ops, and layer calls.

Each node knows the symbolic tensors it reads (``inputs``) and produces
(``outputs``); ``run(read, context)`` computes its outputs from the values of its
inputs (``read(symbolic) -> Tensor``), eagerly, through the same ops as eager code.
"""

from .graph import get_default_graph
from .structure import flatten, map_structure
from .tensor import SymbolicTensor


class Node:
    """A step of a graph; subclasses define ``run``."""

    kind = "node"

    def __init__(self, inputs, name):
        self.inputs = tuple(t for t in flatten(inputs) if isinstance(t, SymbolicTensor))
        self.graph = get_default_graph()
        self.name = name
        self.outputs = ()
        self.graph.add_node(self)

    def run(self, read, context):
        """Compute this node's value; each kind of node defines it.

        Args:
            read: function from an input SymbolicTensor to its computed value.
            context: the run's context (feeds, queued effects, error messages).

        Returns:
            The node's value.
        """
        raise NotImplementedError

    def __repr__(self):
        return f"<{type(self).__name__} '{self.name}'>"


class InputNode(Node):
    """A value given from outside: a ``keras.Input`` or a TF-1 ``placeholder``.

    ``layer`` is the Keras InputLayer (None for a placeholder); ``default`` an optional
    Tensor used when nothing is fed (``placeholder_with_default``).
    """

    kind = "input"

    def __init__(self, shape, dtype, name, layer=None, default=None):
        super().__init__((), name)
        self.layer, self.default = layer, default
        # A Keras Input is named like its layer; a placeholder's tensor like TF 1 ("X:0").
        self.outputs = (SymbolicTensor(shape, dtype, self, name=name if layer else None),)

    def run(self, read, context):
        if self.default is not None:
            return self.default
        raise ValueError(context.missing_input_message(self.outputs[0]))


class OpNode(Node):
    """A recorded op: ``cls.apply(*args, **params)`` once its inputs have values."""

    kind = "op"

    def __init__(self, cls, args, params):
        super().__init__(args, get_default_graph().unique_name(cls.__name__))
        self.cls, self.args, self.params = cls, args, params

    def run(self, read, context):
        return self.cls.apply(*map_structure(read, self.args), **self.params)


class CallNode(Node):
    """A whole function call recorded as one step (``fn`` read raw values of a symbolic
    input outside any op, e.g. ``argmax`` or ``in_top_k``)."""

    kind = "call"

    def __init__(self, fn, args, kwargs):
        super().__init__((args, kwargs), get_default_graph().unique_name(fn.__name__))
        self.fn, self.args, self.kwargs = fn, args, kwargs

    def run(self, read, context):
        return self.fn(*map_structure(read, self.args), **map_structure(read, self.kwargs))


class LayerNode(Node):
    """A layer called on symbolic tensors (the Keras functional API's node).

    ``args``/``kwargs`` keep the call as written (symbolic leaves are replaced by their
    values when run); the training flag and masks come from the run's ``context``.
    """

    kind = "layer"

    def __init__(self, layer, args, kwargs):
        super().__init__((args, kwargs), get_default_graph().unique_name(layer.name))
        self.layer, self.args, self.kwargs = layer, args, kwargs

    @property
    def call_inputs(self):
        """The first positional argument: the tensor(s) the layer was called on."""
        return self.args[0]

    def run(self, read, context):
        args = map_structure(read, self.args)
        kwargs = map_structure(read, self.kwargs)
        layer = self.layer
        if "training" not in kwargs and context.training is not None:
            kwargs["training"] = context.training
        mask = context.mask_of(self.args[0])
        if mask is not None and layer._call_has_mask and "mask" not in kwargs:
            kwargs["mask"] = mask
        out = layer(*args, **kwargs)
        context.set_masks(self, layer.compute_mask(args[0], mask))
        return out
