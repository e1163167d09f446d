"""Tensor (an immutable array that remembers the op that made it) and Variable.

A Tensor wraps one backend array. When it was produced by a recorded op, ``_node``
holds that op's Function, which holds the input tensors: following ``_node`` links
from a result walks the graph backward. Variables are the mutable leaves.
Python operators (``+``, ``@``, ``[]`` ...) are attached by ``myelin.ops.operators``.
"""

import numpy as np

from .. import backend
from .static_value import SymbolicAccess, graph_mode, variable_recorder

_NUMERIC_KINDS = "biuf"


def _refuse_dtype(dtype, where):
    raise TypeError(
        f"{where}: unsupported dtype {dtype}; expected a numeric or bool array "
        f"(float16/32/64, int32/64, bool). Convert strings or objects to numbers first."
    )


def as_array(value, dtype=None, where="convert_to_tensor"):
    """Turn a Python/NumPy value into a backend array with TensorFlow's dtype rules.

    Python floats become the default float dtype and Python ints int32; NumPy arrays
    keep their dtype. Strings, objects and complex numbers are refused by name.
    """
    if isinstance(value, Tensor):
        array = value._data
    elif isinstance(value, np.ndarray):
        array = value
    else:
        array = np.asarray(value)
        if dtype is None:
            if array.dtype == np.float64 and not isinstance(value, np.floating):
                array = array.astype(backend.floatx())
            elif array.dtype == np.int64 and not isinstance(value, np.integer):
                array = array.astype(np.int32)
    if array.dtype.kind not in _NUMERIC_KINDS:
        _refuse_dtype(array.dtype, where)
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype.kind not in _NUMERIC_KINDS:
            _refuse_dtype(dtype, where)
        if array.dtype != dtype:
            array = array.astype(dtype)
    return array


class Tensor:
    """An immutable n-dimensional array with a dtype and a shape.

    Example:
        >>> t = myelin.constant([[1.0, 2.0]])
        >>> t.shape, t.dtype
        ((1, 2), dtype('float32'))
    """

    __slots__ = ("_data", "_node", "__weakref__")
    __array_priority__ = 100  # ndarray <op> Tensor defers to Tensor's reflected operator

    def __init__(self, data, _node=None):
        self._data = data
        self._node = _node

    @property
    def shape(self):
        """The shape as a tuple of ints (NumPy's; TensorFlow returns a ``TensorShape``)."""
        return self._data.shape

    def get_shape(self):
        """The shape as a tuple of ints (TF 1 spelling of ``.shape``)."""
        return self._data.shape

    @property
    def dtype(self):
        """The NumPy dtype of the value (``float32`` unless made otherwise)."""
        return self._data.dtype

    @property
    def ndim(self):
        """The number of axes (the rank)."""
        return self._data.ndim

    def numpy(self):
        """The value as a NumPy array."""
        return self._data

    def __array__(self, dtype=None, copy=None):
        if dtype is not None and dtype != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._data

    def _scalar(self, kind):
        if self._data.size != 1:
            raise TypeError(
                f"{kind}() needs a tensor with one element, received shape {self.shape}. "
                f"Reduce it first (e.g. reduce_sum) or index one element."
            )
        return self._data.reshape(()).item()

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        return int(self._scalar("index"))

    def __bool__(self):
        return bool(self._scalar("bool"))

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a scalar tensor (shape ()) is undefined.")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("Cannot iterate over a scalar tensor (shape ()).")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = object.__hash__  # identity, so tensors can key dicts although == is elementwise

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="tf.Tensor(")
        return f"tf.Tensor({body}, shape={self.shape}, dtype={self.dtype.name})"


class Variable(Tensor):
    """A mutable tensor: the weights and biases that training changes.

    Args:
        initial_value: array-like, or a callable returning one.
        trainable: whether tapes watch it automatically and optimizers update it.
        name: a label shown in reprs, summaries and saved files.
        dtype: optional dtype to cast the initial value to.

    Example:
        >>> w = myelin.Variable([1.0, 2.0], name="w")
        >>> w.assign_add([0.5, 0.5]).numpy()
        array([1.5, 2.5], dtype=float32)
    """

    # ``regularizer`` and ``constraint`` are set by ``Layer.add_weight`` (None otherwise):
    # ``layer.losses`` reads the first, the optimizer applies the second after updates.
    __slots__ = ("name", "trainable", "regularizer", "constraint")

    def __init__(self, initial_value, trainable=True, name=None, dtype=None):
        if callable(initial_value):
            initial_value = initial_value()
        self.name = name or "Variable"
        self.trainable = bool(trainable)
        self.regularizer = self.constraint = None
        try:
            data = np.array(as_array(initial_value, dtype, where="Variable"), copy=True)
        except SymbolicAccess:  # a graph initial value (TF 1): the graph computes it
            data = None
        if graph_mode[0] or data is None:  # TF-1 graph mode registers the variable
            data = variable_recorder[0](self, initial_value, data, dtype)
        super().__init__(data)

    def numpy(self):
        return self._data.copy()

    def value(self):
        """A Tensor snapshot of the current value."""
        return Tensor(self._data.copy())

    read_value = value

    def _checked(self, value, method):
        array = as_array(value, self.dtype, where=f"Variable '{self.name}'.{method}")
        if array.shape != self._data.shape:
            try:
                array = np.broadcast_to(array, self._data.shape)
            except ValueError:
                raise ValueError(
                    f"Variable '{self.name}'.{method}: expected a value of shape "
                    f"{self._data.shape}, received shape {array.shape}."
                ) from None
        return array

    def assign(self, value):
        """Overwrite the value in place (same shape); returns the variable."""
        np.copyto(self._data, self._checked(value, "assign"))
        return self

    def assign_add(self, delta):
        """Add ``delta`` to the value in place; returns the variable.

        Args:
            delta: a number or array broadcastable to the variable's shape.

        Returns:
            The variable itself.

        Example:
            >>> v = tf.Variable([1.0, 2.0])
            >>> v.assign_add([0.5, 0.5]).numpy()
            array([1.5, 2.5], dtype=float32)
        """
        np.add(self._data, self._checked(delta, "assign_add"), out=self._data)
        return self

    def assign_sub(self, delta):
        """Subtract ``delta`` from the value in place; returns the variable.

        Args:
            delta: a number or array broadcastable to the variable's shape.

        Returns:
            The variable itself.
        """
        np.subtract(self._data, self._checked(delta, "assign_sub"), out=self._data)
        return self

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="numpy=array(")
        return (
            f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
            f"numpy=array({body}, dtype={self.dtype.name})>"
        )


def constant(value, dtype=None, shape=None, name=None):
    """A Tensor holding a copy of ``value`` (broadcast to ``shape`` if given)."""
    array = np.array(as_array(value, dtype, where="constant"), copy=True)
    if shape is not None:
        shape = tuple(shape)
        if array.size == int(np.prod(shape)):
            array = array.reshape(shape)
        else:
            try:
                array = np.broadcast_to(array, shape).copy()
            except ValueError:
                raise ValueError(
                    f"constant: a value of shape {array.shape} cannot fill shape {shape}."
                ) from None
    return Tensor(array)


def convert_to_tensor(value, dtype=None, dtype_hint=None, name=None):
    """Return ``value`` as a Tensor; a Tensor of the right dtype is returned unchanged."""
    if isinstance(value, Tensor) and (dtype is None or np.dtype(dtype) == value.dtype):
        return value
    if dtype is None and dtype_hint is not None and not isinstance(value, np.ndarray):
        dtype = dtype_hint
    return Tensor(as_array(value, dtype))
