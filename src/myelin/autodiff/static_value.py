"""The array stand-in inside a symbolic tensor, and the signal it raises.

A symbolic tensor (``myelin.graph``) is a Tensor whose ``_data`` is a ``StaticValue``:
it knows its static shape (``None`` for unknown dimensions) and dtype, and any other
use of it as an array raises ``SymbolicAccess``. ``Function.apply`` catches that
signal around ``forward`` and hands the op to the graph recorder instead, so the
eager path pays nothing for graph mode: no check runs unless an op actually meets a
symbolic input. Public functions that read raw values outside an op (``argmax``,
label checks) are wrapped by ``graph_capable`` and recorded whole the same way.
"""

import functools
import inspect

import numpy as np


class SymbolicAccess(Exception):
    """An op tried to compute with a symbolic value (caught by ``Function.apply``)."""


def _refuse(self, *args, **kwargs):
    raise SymbolicAccess("a symbolic tensor has no value")


class StaticValue:
    """Shape and dtype without values; every numeric use raises ``SymbolicAccess``."""

    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)

    @property
    def ndim(self):
        return len(self.shape)

    def __getattr__(self, name):
        raise SymbolicAccess(f"a symbolic tensor has no '{name}'")

    __array__ = __array_ufunc__ = __array_function__ = _refuse


for _name in ("add", "sub", "mul", "truediv", "floordiv", "mod", "pow", "matmul", "and",
              "or", "xor", "lshift", "rshift", "radd", "rsub", "rmul", "rtruediv",
              "rfloordiv", "rmod", "rpow", "rmatmul", "rand", "ror", "rxor", "lt", "le",
              "gt", "ge", "eq", "ne", "neg", "pos", "abs", "invert", "getitem", "setitem",
              "iter", "len", "float", "int", "index", "bool", "copy", "deepcopy"):
    setattr(StaticValue, f"__{_name}__", _refuse)

# Recorder installed by ``myelin.graph`` (the layer above): ``record(cls, inputs, params)``.
recorder = [None]
# ``record_call(fn, args, kwargs)``, for functions that read raw values outside any op.
call_recorder = [None]


_wrappers = {}  # one wrapper per function, so every namespace exports the same object


def graph_capable(fn):
    """``fn`` recorded whole as one graph step when it meets a symbolic input outside an
    op (e.g. ``argmax`` or a label check reading raw values); free for eager calls."""
    if getattr(fn, "_graph_capable", False):
        return fn
    if fn in _wrappers:
        return _wrappers[fn]

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SymbolicAccess:
            return call_recorder[0](fn, args, kwargs)

    wrapper._graph_capable = True
    _wrappers[fn] = wrapper
    return wrapper


def make_graph_capable(namespace, names):
    """Wrap the public functions ``names`` of a module namespace with ``graph_capable``."""
    for name in names:
        if inspect.isfunction(namespace.get(name)):
            namespace[name] = graph_capable(namespace[name])
