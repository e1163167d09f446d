"""SymbolicTensor: a Tensor that stands for a value a graph will compute.

It is a ``Tensor`` whose ``_data`` is a ``StaticValue`` (static shape and dtype, no
numbers), so every op accepts it and records a node instead of computing (see
``autodiff.static_value``). ``node`` is the step that produces it: an input (a
``keras.Input`` or a ``placeholder``), an op, or a layer call.
"""

from ..autodiff import Tensor
from ..autodiff.static_value import StaticValue, SymbolicAccess


class TensorShape(tuple):
    """A static shape: a tuple of ints and ``None`` for unknown dimensions.

    ``TensorShape(None)`` is a shape of unknown rank (TF 1's ``placeholder(shape=None)``):
    its ``rank`` is None, indexing it gives None and ``as_list()`` raises.

    Example:
        >>> s = TensorShape((None, 784))
        >>> int(s[1]), s.as_list(), s
        (784, [None, 784], (None, 784))
    """

    def __new__(cls, dims=()):
        shape = super().__new__(cls, () if dims is None else dims)
        shape.unknown_rank = dims is None
        return shape

    def as_list(self):
        if self.unknown_rank:
            raise ValueError("as_list() is not defined on a shape of unknown rank "
                             "(a placeholder created with shape=None).")
        return list(self)

    @property
    def rank(self):
        return None if self.unknown_rank else len(self)

    ndims = rank

    def __getitem__(self, key):
        if self.unknown_rank:
            return TensorShape(None) if isinstance(key, slice) else None
        return tuple.__getitem__(self, key)

    def __eq__(self, other):
        if self.unknown_rank or getattr(other, "unknown_rank", False):
            return self is other
        return tuple.__eq__(self, other)

    __hash__ = tuple.__hash__

    def is_fully_defined(self):
        return not self.unknown_rank and all(d is not None for d in self)

    def __repr__(self):  # as a tuple, so error messages read (None, 784)
        return "<unknown>" if self.unknown_rank else tuple.__repr__(self)

    __str__ = __repr__


class SymbolicTensor(Tensor):
    """A graph tensor: shape (with ``None``), dtype, a unique name, and its producer.

    Running it needs values for the inputs it depends on: a functional ``Model``
    call, or ``Session.run`` in TensorFlow-1 code.
    """

    __slots__ = ("node", "index", "name")
    _is_symbolic = True

    def __init__(self, shape, dtype, node, index=0, name=None):
        super().__init__(StaticValue(shape, dtype))
        self.node, self.index = node, index
        self.name = name or f"{node.name}:{index}"

    @property
    def shape(self):
        """The static shape; for a tensor of unknown rank, ops reading it are recorded
        whole (``SymbolicAccess``), while ``get_shape()`` gives the unknown shape."""
        if self._data._shape is None:
            raise SymbolicAccess(f"'{self.name}' has unknown rank (a placeholder with "
                                 f"shape=None): use {self.name.split(':')[0]}.get_shape(), "
                                 f"or give the placeholder a shape.")
        return TensorShape(self._data._shape)

    @property
    def ndim(self):
        """The number of axes of the static shape."""
        return len(self.shape)

    def get_shape(self):
        """The static shape (``TensorShape``; of unknown rank for ``shape=None``)."""
        return TensorShape(self._data._shape)

    @property
    def op(self):
        """The graph node that computes this tensor (TF 1's ``tensor.op``)."""
        return self.node

    def _rename(self, name):
        """Name the producing node ``name`` (unique in its graph), as TF 1's ``name=``."""
        if self.node.kind not in ("op", "call") or name is None:
            return
        self.node.name = self.node.graph.unique_name(str(name))
        self.node.graph.add_node(self.node)
        for tensor in self.node.outputs:
            tensor.name = f"{self.node.name}:{tensor.index}"

    @property
    def graph(self):
        """The graph this tensor belongs to."""
        return self.node.graph

    def _no_value(self, what):
        raise TypeError(
            f"{what} of the symbolic tensor '{self.name}' (shape {self.get_shape()}): it is "
            f"part of a graph and has no value until the graph runs. Build a model with "
            f"keras.Model(inputs, outputs) and call it on data, or in TensorFlow-1 code "
            f"evaluate it with sess.run({self.name.split(':')[0].split('/')[-1]}, "
            f"feed_dict={{...}}).")

    def numpy(self):
        self._no_value("numpy()")

    def __array__(self, dtype=None, copy=None):
        self._no_value("Converting to a NumPy array")

    def __float__(self):
        self._no_value("float()")

    def __int__(self):
        self._no_value("int()")

    def __index__(self):
        self._no_value("Using as an index")

    def __bool__(self):
        self._no_value("Using as a Python bool (if/while)")

    def __len__(self):
        self._no_value("len()")

    def __iter__(self):
        self._no_value("Iterating over the elements")

    __hash__ = Tensor.__hash__

    def __repr__(self):
        return (f"<SymbolicTensor '{self.name}' shape={self.get_shape()} "
                f"dtype={self.dtype.name} "
                f"(part of a graph: it gets a value when the graph runs, e.g. "
                f"sess.run(t, feed_dict=...) or a Model call)>")


def is_symbolic(value):
    """Whether ``value`` (or an element of a list/tuple/dict) is a SymbolicTensor."""
    if isinstance(value, SymbolicTensor):
        return True
    if isinstance(value, (list, tuple)):
        return any(is_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(is_symbolic(v) for v in value.values())
    return False
