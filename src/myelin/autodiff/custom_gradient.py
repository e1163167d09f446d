"""``custom_gradient``, ``recompute_grad`` and ``gradients``: TF 2's decorators and
TF 1's symbolic gradient function, for eager code.

A ``@custom_gradient`` function runs normally (its ops are recorded, so the
tensors it closes over stay differentiable for second derivatives); each of its
outputs is then re-recorded as one ``CustomGradient`` node whose backward is the
user's ``grad_fn``, so the recorded internals are bypassed, as in TF.
"""

import functools
import inspect

from . import recording
from .forward_mode import jvp_by_double_vjp, jvp_rule
from .function import Function
from .higher_order import vjp_rule
from .tensor import Tensor, Variable, convert_to_tensor


class CustomGradient(Function):
    """Output ``index`` of a ``@custom_gradient`` call; its backward calls ``grad_fn``.

    Args:
        value: the output's array, computed by the decorated function.
        index: which output of the call this node is.
        call: the ``_Call`` holding ``grad_fn`` and the call's inputs and outputs.
    """

    def __init__(self, value, index, call):
        self.value, self.index, self.call = value, index, call

    def forward(self, *arrays):
        return self.value

    def backward(self, grad):
        with recording.paused():
            grads = self.call.gradients(self.index, Tensor(grad))
        return tuple(None if g is None else g._data for g in grads)


@vjp_rule(CustomGradient)
def _custom(fn, out, grad):
    return tuple(fn.call.gradients(fn.index, grad))  # recorded: grad_fn may be differentiated


jvp_rule(CustomGradient)(jvp_by_double_vjp)


class _Call:
    """One call of a decorated function: its inputs, outputs and ``grad_fn``."""

    def __init__(self, name, grad_fn, args, variables, outputs):
        self.name, self.grad_fn, self.args = name, grad_fn, args
        self.variables, self.outputs = variables, outputs

    def gradients(self, index, grad):
        """Input and variable gradients for upstream ``grad`` on output ``index``."""
        upstream = [grad if i == index else Tensor(0 * out._data)
                    for i, out in enumerate(self.outputs)]
        if self.variables:
            result = self.grad_fn(*upstream, variables=self.variables)
            if not isinstance(result, (tuple, list)) or len(result) != 2:
                raise ValueError(
                    f"custom_gradient '{self.name}': grad_fn uses variables, so it must "
                    f"return (input_gradients, variable_gradients); received {result!r}."
                )
            input_grads, variable_grads = result
            if len(variable_grads) != len(self.variables):
                raise ValueError(
                    f"custom_gradient '{self.name}': must return gradient for each variable "
                    f"from grad_fn: {len(self.variables)} variables, received "
                    f"{len(variable_grads)} gradients."
                )
        else:
            input_grads, variable_grads = self.grad_fn(*upstream), []
        input_grads = list(input_grads) if isinstance(input_grads, (list, tuple)) else [
            input_grads]
        if len(input_grads) != len(self.args):
            raise ValueError(
                f"custom_gradient '{self.name}': the function has {len(self.args)} tensor "
                f"inputs, so grad_fn must return {len(self.args)} gradients; it returned "
                f"{len(input_grads)}."
            )
        return [None if g is None else convert_to_tensor(g)
                for g in [*input_grads, *variable_grads]]


def _used_variables(outputs, args):
    """Trainable Variables the outputs were computed from inside the function: the
    graph is followed back from the outputs but not into the arguments."""
    found, arg_ids = {}, {id(a) for a in args}
    stack, seen = list(outputs), set()
    while stack:
        t = stack.pop()
        if id(t) in seen or id(t) in arg_ids:
            continue
        seen.add(id(t))
        if isinstance(t, Variable) and t.trainable:
            found[id(t)] = t
        elif t._node is not None:
            stack.extend(t._node.inputs)
    return list(found.values())


def _accepts_variables(grad_fn):
    params = inspect.signature(grad_fn).parameters.values()
    return any(p.name == "variables" or p.kind is p.VAR_KEYWORD for p in params)


def custom_gradient(f):
    """Decorate ``f(*x) -> (y, grad_fn)`` so that ``grad_fn`` gives its gradients.

    ``grad_fn(*upstream)`` returns the gradient for each input; when ``f`` uses
    trainable Variables, ``grad_fn(*upstream, variables=...)`` returns
    ``(input_gradients, variable_gradients)``. A ``grad_fn`` written with myelin ops
    is itself differentiable (second derivatives through it work).

    Args:
        f: a function of Tensors returning ``(output or list of outputs, grad_fn)``.

    Returns:
        The decorated function, returning only the outputs.

    Raises:
        TypeError: when ``f`` uses variables and ``grad_fn`` has no ``variables``.

    Example:
        >>> @custom_gradient
        ... def log1pexp(x):
        ...     e = myelin.exp(x)
        ...     def grad(upstream):
        ...         return upstream * (1 - 1 / (1 + e))
        ...     return myelin.math.log(1 + e), grad
    """
    name = getattr(f, "__name__", "custom_gradient")

    @functools.wraps(f)
    def decorated(*args, **kwargs):
        args = [convert_to_tensor(a) if not isinstance(a, Tensor) else a for a in args]
        if not recording.active():  # nothing records: no gradient can be asked for
            return f(*args, **kwargs)[0]
        from .tape import GradientTape

        with GradientTape(watch_accessed_variables=True) as private:
            private.watch([a for a in args if a.dtype.kind == "f"])
            result, grad_fn = f(*args, **kwargs)
        several = isinstance(result, (list, tuple))
        outputs = [convert_to_tensor(r) for r in (result if several else [result])]
        variables = _used_variables(outputs, args)
        if variables and not _accepts_variables(grad_fn):
            raise TypeError(
                f"custom_gradient '{name}': the function uses the variables "
                f"{[v.name for v in variables]}, so its grad_fn must accept a keyword "
                f"argument 'variables' and return (input_gradients, variable_gradients)."
            )
        call = _Call(name, grad_fn, args, variables, outputs)
        inputs = [*args, *variables]
        wrapped = [CustomGradient.apply(*inputs, value=out._data, index=i, call=call)
                   for i, out in enumerate(outputs)]
        return type(result)(wrapped) if several else wrapped[0]

    return decorated


def recompute_grad(f):
    """Return ``f`` unchanged: a pass-through of TF's ``tf.recompute_grad``.

    TF recomputes ``f``'s forward pass during backprop to save memory; myelin keeps
    the forward results instead, so gradients are identical and only the memory
    saving is missing.

    Args:
        f: the function whose forward pass TF would recompute.

    Returns:
        ``f`` itself.

    Example:
        >>> block = recompute_grad(lambda x: myelin.nn.relu(x))
    """
    return f

