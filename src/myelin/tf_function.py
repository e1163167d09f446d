"""``tf.function``: accepted as TensorFlow spells it, run as plain Python.

TensorFlow traces a decorated function into a graph and runs the graph. myelin has
no graph compiler: the decorated function runs as it is, eagerly, every call, with
the same results (GradientTape, optimizers and metrics behave exactly as inside a
TensorFlow ``tf.function``). Python side effects therefore happen on every call,
not only while tracing. ``jit_compile``, ``autograph``, ``reduce_retracing`` and the
experimental options are accepted and have no effect; ``input_signature`` is
checked, so a call that TensorFlow would reject is rejected here too.
"""

import functools
import inspect

import numpy as np

from .autodiff import Tensor, convert_to_tensor

_OPTIONS = ("input_signature", "autograph", "jit_compile", "reduce_retracing",
            "experimental_implements", "experimental_autograph_options",
            "experimental_attributes", "experimental_relax_shapes",
            "experimental_compile", "experimental_follow_type_hints")


def _is_spec(spec):
    return hasattr(spec, "shape") and hasattr(spec, "dtype")


def _check_spec(spec, value, where):
    """``value`` matched to the TensorSpec-like ``spec`` (nested lists allowed)."""
    if not _is_spec(spec):  # a nested list of specs
        if not isinstance(value, (list, tuple)) or len(value) != len(spec):
            raise TypeError(f"{where}: expected a sequence of {len(spec)} values matching "
                            f"the input_signature, received {value!r}.")
        return type(value)(_check_spec(s, v, where) for s, v in zip(spec, value, strict=True))
    dtype = np.dtype(getattr(spec.dtype, "as_numpy_dtype", spec.dtype))
    if isinstance(value, Tensor):
        if value.dtype != dtype:
            raise TypeError(f"{where}: expected a tensor of dtype {dtype.name}, received "
                            f"dtype {value.dtype.name}. Cast it first, e.g. "
                            f"myelin.cast(x, '{dtype.name}').")
        tensor = value
    else:
        try:
            tensor = convert_to_tensor(value, dtype=dtype)
        except (TypeError, ValueError):
            raise TypeError(f"{where}: cannot convert {value!r} to a tensor of dtype "
                            f"{dtype.name}.") from None
    shape = None if spec.shape is None else tuple(spec.shape)
    if shape is not None and (len(shape) != tensor.ndim or any(
            d is not None and d != n for d, n in zip(shape, tensor.shape, strict=True))):
        expected = "(" + ", ".join("None" if d is None else str(d) for d in shape) + ")"
        raise ValueError(f"{where}: expected shape {expected} (None matches any size), "
                         f"received shape {tuple(tensor.shape)}.")
    return tensor


def _check_specs(signature):
    """Refuse, at decoration time, an input_signature entry that is not spec-like."""
    for spec in signature:
        if _is_spec(spec):
            continue
        if isinstance(spec, (list, tuple)):
            _check_specs(spec)
        else:
            raise TypeError(f"function: input_signature entries must be TensorSpecs (with "
                            f"shape and dtype), received {spec!r}.")


class Function:
    """A Python function called through ``tf.function`` (see the module docstring).

    Attributes:
        python_function: the decorated function.
        input_signature: the specs given, or None.
    """

    def __init__(self, python_function, input_signature=None, options=None):
        self.python_function = python_function
        self.input_signature = None if input_signature is None else list(input_signature)
        self.options = dict(options or {})
        self._signature = inspect.signature(python_function)
        functools.update_wrapper(self, python_function)

    def __call__(self, *args, **kwargs):
        if self.input_signature is not None:
            args, kwargs = self._checked(args, kwargs)
        return self.python_function(*args, **kwargs)

    def _checked(self, args, kwargs):
        name = getattr(self.python_function, "__qualname__", "function")
        where = f"function '{name}'"
        try:
            bound = self._signature.bind(*args, **kwargs)
        except TypeError as error:
            raise TypeError(f"{where}: {error}") from None
        params = [p for p in self._signature.parameters.values()
                  if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        if len(params) < len(self.input_signature):
            raise TypeError(f"{where}: input_signature has {len(self.input_signature)} "
                            f"specs for {len(params)} parameters.")
        for param, spec in zip(params, self.input_signature, strict=False):
            if param.name not in bound.arguments:
                raise TypeError(f"{where}: missing a value for '{param.name}', which "
                                f"input_signature describes.")
            value = bound.arguments[param.name]
            bound.arguments[param.name] = _check_spec(
                spec, value, f"{where}, argument '{param.name}'")
        return bound.args, bound.kwargs

    def __get__(self, instance, owner=None):
        # a decorated method binds like a plain one: self.train_step(x, y)
        if instance is None:
            return self
        return functools.partial(self.__call__, instance)

    def get_concrete_function(self, *args, **kwargs):
        """This function itself: there is no traced graph to return (see the module
        docstring)."""
        return self

    def __repr__(self):
        return f"<myelin.function of {self.python_function!r}>"


def function(func=None, input_signature=None, **options):
    """Decorator with ``tf.function``'s signature; the function runs as plain Python.

    Usable as ``@function``, ``@function(jit_compile=True)`` or
    ``function(f, input_signature=[...])``. myelin runs the function eagerly on every
    call (no tracing, no graph): results are the same as TensorFlow's, and Python
    side effects such as ``print`` happen on every call rather than once per trace.

    Args:
        func: the function to wrap (omit it to get a decorator).
        input_signature: optional list of ``TensorSpec``-like objects (with ``shape``
            and ``dtype``); calls are then checked against it and plain Python
            values converted to tensors of the spec's dtype, as TensorFlow does.
        **options: ``autograph``, ``jit_compile``, ``reduce_retracing`` and the
            ``experimental_*`` options of ``tf.function``; accepted, no effect.

    Returns:
        A callable ``Function`` (or a decorator making one when ``func`` is None).

    Raises:
        TypeError: for an unknown option, or when ``func`` is not callable.

    Example:
        >>> @function(jit_compile=True)
        ... def square(x):
        ...     return x * x
        >>> float(square(myelin.constant(3.0)))
        9.0
    """
    unknown = sorted(set(options) - set(_OPTIONS))
    if unknown:
        raise TypeError(f"function: unexpected keyword argument(s) {unknown}; accepted are "
                        f"{sorted(_OPTIONS)}.")
    if input_signature is not None:
        if not isinstance(input_signature, (list, tuple)):
            raise TypeError(f"function: input_signature must be a list or tuple of "
                            f"TensorSpecs, received {input_signature!r}.")
        _check_specs(input_signature)

    def wrap(fn):
        if not callable(fn):
            raise TypeError(f"function: expected a Python function to wrap, received "
                            f"{fn!r}.")
        return Function(fn, input_signature, options)

    return wrap if func is None else wrap(func)
