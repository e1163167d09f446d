"""Extra losses of a layer: ``add_loss``, activity regularization and ``losses`` (Keras 3).

``add_loss(value)`` inside ``call`` records a scalar Tensor; the layer called first
(the entry of a nested call, e.g. the model) clears its whole tree's records, so
``model.losses`` after a forward pass holds exactly that pass's losses, followed by
the penalties of the trainable weights that have a regularizer, computed afresh
(differentiable, so the trainer adds them to the loss it minimizes).
"""

from .. import ops, regularizers
from ..autodiff import Tensor, convert_to_tensor

CALL_DEPTH = [0]  # how many layer calls are in progress (0: the next call is an entry)
_EVER_ADDED = [False]  # no layer ever recorded a loss: entries skip the clearing walk


def all_layers(layer):
    """``layer`` and every layer nested in it, each once, outermost first."""
    out, seen, stack = [], set(), [layer]
    while stack:
        current = stack.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        out.append(current)
        stack.extend(current._sublayers())
    return out


class LossesMixin:
    """The losses half of ``Layer`` (uses ``name``, ``_sublayers()`` and the weights)."""

    def _init_losses(self, activity_regularizer):
        object.__setattr__(self, "_losses", [])  # a list of Tensors: not a layer to track
        try:
            self.activity_regularizer = regularizers.get(activity_regularizer)
        except ValueError as error:
            raise ValueError(f"{type(self).__name__} layer '{self.name}': invalid "
                             f"activity_regularizer: {error}") from None

    def add_loss(self, loss):
        """Record a scalar loss (a Tensor computed in ``call``) that training adds to the
        compiled loss; a list adds each element.

        Args:
            loss: a Tensor, or a list of Tensors, e.g. ``0.01 * reduce_sum(x ** 2)``.

        Raises:
            ValueError: when ``loss`` is not a tensor (nothing is recorded then).

        Example:
            >>> class Penalized(Layer):
            ...     def call(self, x):
            ...         self.add_loss(0.1 * myelin.reduce_sum(x))
            ...         return x
        """
        values = list(loss) if isinstance(loss, (list, tuple)) else [loss]
        for value in values:
            if not isinstance(value, Tensor):
                raise ValueError(f"Layer '{self.name}'.add_loss: expected a Tensor computed "
                                 f"in call(), received {value!r:.80} of type "
                                 f"{type(value).__name__}.")
        _EVER_ADDED[0] = True
        self._losses.extend(values)

    @property
    def losses(self):
        """The losses of the last call (``add_loss``, activity regularizers, of this layer
        and its sublayers), then the penalties of its trainable weights' regularizers."""
        out = []
        for layer in all_layers(self):
            out.extend(getattr(layer, "_losses", ()))
        for variable in self.trainable_weights:
            if variable.regularizer is not None:
                out.append(convert_to_tensor(variable.regularizer(variable)))
        return out

    def _clear_losses(self):
        if _EVER_ADDED[0]:
            for layer in all_layers(self):
                if getattr(layer, "_losses", None):
                    layer._losses.clear()

    def _add_activity_loss(self, outputs):
        """Keras 3: the activity penalty of each output, divided by its batch size."""
        for out in outputs if isinstance(outputs, (list, tuple)) else [outputs]:
            penalty = convert_to_tensor(self.activity_regularizer(out))
            if out.ndim > 0 and out.shape[0]:
                penalty = ops.divide(penalty, float(out.shape[0]))
            self.add_loss(penalty)
