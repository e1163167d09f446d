"""Function: one differentiable operation, forward and backward on raw arrays.

A subclass implements ``forward(*arrays) -> array`` and ``backward(grad) -> grads``
(one array per input, or ``None`` for an input that gets no gradient), saving on
``self`` only what its backward needs. ``apply`` runs forward and records the node
only while a tape is recording and some input is being tracked; ``self.needs`` then
says which inputs want a gradient, so backward can skip the rest. When ``forward``
touches a symbolic input (graph mode), ``apply`` records the op in the graph instead
(see ``static_value``); eager calls never pay for that check.

Example:
    class Square(Function):
        def forward(self, x):
            self.x = x
            return x * x

        def backward(self, grad):
            return 2 * self.x * grad
"""

from . import recording
from .static_value import SymbolicAccess, recorder
from .tensor import Tensor


class Function:
    inputs = ()
    needs = ()  # per input: does it want a gradient? Backward may skip the others.

    def forward(self, *arrays):
        raise NotImplementedError

    def backward(self, grad):
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs, **params):
        """Run the op on Tensors; ``params`` go to the subclass's ``__init__``."""
        fn = cls(**params) if params else cls()
        try:
            if recording.active():
                fn.needs = tuple(recording.tracked(t) for t in inputs)
                out = fn.forward(*[t._data for t in inputs])
                if any(fn.needs):
                    fn.inputs = inputs
                    return Tensor(out, fn)
                return Tensor(out)
            return Tensor(fn.forward(*[t._data for t in inputs]))
        except SymbolicAccess:  # a graph-mode input: record the op instead (myelin.graph)
            return recorder[0](cls, inputs, params)
        except ValueError as error:
            if "broadcast" not in str(error):
                raise
            shapes = " and ".join(str(t.shape) for t in inputs)
            raise ValueError(
                f"{fn.name}: input shapes {shapes} are not compatible: each axis must match "
                f"or be 1 (NumPy broadcasting). Check the shapes, or reshape one input."
            ) from None

    @property
    def name(self):
        return type(self).__name__.lower()
