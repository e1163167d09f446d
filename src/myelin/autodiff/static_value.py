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
    """Shape and dtype without values; every numeric use raises ``SymbolicAccess``.

    ``shape`` may be None (a TF-1 ``placeholder(shape=None)``: unknown rank); reading
    it then raises ``SymbolicAccess`` too, so the function asking is recorded whole.
    """

    __slots__ = ("_shape", "dtype")

    def __init__(self, shape, dtype):
        self._shape = None if shape is None else tuple(shape)
        self.dtype = np.dtype(dtype)

    @property
    def shape(self):
        if self._shape is None:
            raise SymbolicAccess("a symbolic tensor of unknown rank has no static shape")
        return self._shape

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

# TF-1 graph mode (``myelin.compat.v1``): random ops record their recipe as a graph node
# and new Variables register with the default graph (``variable_recorder(var, value)``
# returns the variable's array), so an initializer can run them again.
graph_mode = [False]
variable_recorder = [None]

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
            out = fn(*args, **kwargs)
        except SymbolicAccess:
            out = call_recorder[0](fn, args, kwargs)
        except (ValueError, TypeError):
            # A check comparing static shapes with unknown (None) sizes: record the call
            # whole; its stand-in run raises the op's real error if the shapes are wrong.
            if not _any_symbolic((args, kwargs)):
                raise
            out = call_recorder[0](fn, args, kwargs)
        if "name" in kwargs and getattr(out, "_is_symbolic", False):
            out._rename(kwargs["name"])  # TF-1 graphs name nodes by the name= argument
        return out

    wrapper._graph_capable = True
    _wrappers[fn] = wrapper
    return wrapper


def _any_symbolic(value):
    if isinstance(value, (list, tuple)):
        return any(_any_symbolic(v) for v in value)
    if isinstance(value, dict):
        return any(_any_symbolic(v) for v in value.values())
    return getattr(value, "_is_symbolic", False)


def recorded_in_graph_mode(fn):
    """``fn`` (a random op) recorded as a graph node while TF-1 graph mode is on, so
    that each run of the graph (an initializer) draws anew; free for eager calls."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if graph_mode[0]:
            return call_recorder[0](fn, args, kwargs)
        return fn(*args, **kwargs)

    wrapper._graph_capable = True
    return wrapper


def make_graph_capable(namespace, names):
    """Wrap the public functions ``names`` of a module namespace with ``graph_capable``."""
    for name in names:
        if inspect.isfunction(namespace.get(name)):
            namespace[name] = graph_capable(namespace[name])
