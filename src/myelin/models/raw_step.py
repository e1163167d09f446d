"""A tape-free training step for a chain of fused Dense layers (Sequential or functional).

On a tiny network most of a training step is bookkeeping: Tensors for every result,
recording each op, ordering the graph and walking it back. When a model is a plain
chain of ``Dense`` layers (activations fused into the kernel) trained on a built-in
loss with a one-op batch mean, the graph is known in advance, so this step calls the
very same ``Function`` objects' ``forward`` and ``backward`` on raw arrays in that
order and hands the gradients to the optimizer. Being the same kernels in the same
order, it produces bit-identical weights to the tape (the tests compare both paths).

Everything else falls back to the tape: sample or class weights, regularizers other
than built-in L1/L2 weight penalties, loss weights, other layers, subclassed models,
frozen layers, optimizers that redefine ``apply``, and a fit run inside a user's
``GradientTape``.
"""

import numpy as np

from ..autodiff import recording
from ..autodiff.tape import unbroadcast
from ..layers.core import Dense
from ..losses.batch_mean import batch_mean_kernel
from ..ops import fused
from ..optimizers.optimizer import Optimizer
from ..regularizers import penalty as penalties


def _chain(model):
    """The layers of a Sequential, or of a functional model that is one chain from its
    input to its output (each layer called once, on the previous one's output), in
    order; None for any other model."""
    from .functional import Functional  # these import the trainer, which imports us
    from .sequential import Sequential

    kind = type(model)
    if kind.call is Sequential.call and kind._forward_fn is Sequential._forward_fn:
        return model.layers
    if (kind.call is not Functional.call or kind._forward_fn is not Functional._forward_fn
            or model._multi_io or len(model._operations) != len(model._nodes)):
        return None  # raw ops between layers, or more than one input or output
    nodes, tensor = [], model.outputs[0]
    while tensor.node.kind == "layer" and len(tensor.node.inputs) == 1 \
            and not tensor.node.kwargs:
        nodes.append(tensor.node)
        tensor = tensor.node.inputs[0]
    if tensor is not model.inputs[0] or len(nodes) != len(model._nodes) - 1:
        return None
    return [node.layer for node in reversed(nodes)]


def _dense_layers(model, variables):
    """The model's layers when each is a plain, fully trainable fused Dense, else None."""
    layers = _chain(model)
    if layers is None:
        return None
    owned = []
    for layer in layers:
        if (type(layer) is not Dense or layer._after is not None or not layer.built
                or layer.activity_regularizer is not None or layer._losses):
            return None
        owned += [layer.kernel] if layer.bias is None else [layer.kernel, layer.bias]
    if not layers or [id(v) for v in owned] != [id(v) for v in variables]:
        return None  # a frozen layer or a reordered weight list: the tape handles it
    return layers


class RawStep:
    """One optimizer update from raw arrays; ``None`` from ``plan`` when the model does not
    qualify.

    Args:
        steps: the ``loops.Steps`` of the fit (loss, fusion, optimizer, metrics).
        layers: the model's Dense layers, first to last.
        loss_kernel: ``(Function class, params)`` of the loss's batch mean.
    """

    def __init__(self, steps, layers, loss_kernel):
        self.steps = steps
        self.variables = steps.variables
        last = len(layers) - 1
        self.chain = []  # (fused Dense op, kernel, bias or None) per layer
        for i, layer in enumerate(layers):
            # with a from-logits loss the last layer's softmax/sigmoid lives in the loss
            fn = fused.Dense("linear" if steps.fused and i == last else layer._fused)
            fn.needs = (i > 0, True) if layer.bias is None else (i > 0, True, True)
            self.chain.append((fn, layer.kernel, layer.bias))
        cls, params = loss_kernel
        self.loss = cls(**params)
        self.loss.needs = (True, False)
        self.penalty = None
        regularized = [v for v in self.variables if v.regularizer is not None]
        if regularized:
            self.penalty = penalties.WeightPenalty(
                tuple(penalties.factors(v.regularizer) for v in regularized))
            self.penalty.needs = (True,) * len(regularized)
        self.regularized = regularized
        position = {id(v): i for i, v in enumerate(self.variables)}
        self.penalized = [position[id(v)] for v in regularized]

    @classmethod
    def plan(cls, steps):
        """A ``RawStep`` for the fit's ``steps``, or None when the tape must run.

        Args:
            steps: a ``loops.Steps``.

        Returns:
            A ``RawStep`` or None.
        """
        if steps.mean_loss is None or not steps.variables:
            return None
        if steps.extra_losses and steps.penalty is None:
            return None  # activity regularizers, add_loss, or a custom weight penalty
        kind = type(steps.optimizer)
        if kind.apply_trusted is not Optimizer.apply_trusted or kind.apply is not Optimizer.apply:
            return None  # the optimizer redefines how the trainer's gradients arrive
        layers = _dense_layers(steps.model, steps.variables)
        if layers is None:
            return None
        return cls(steps, layers, batch_mean_kernel(steps.loss_fn))

    def __call__(self, xb, yb):
        """Forward, backward and update on one batch; returns ``(loss, output array)``,
        or None (nothing changed) when a tape is recording and must see the step."""
        if recording.active():
            return None
        h = xb
        for fn, kernel, bias in self.chain:
            h = fn.forward(h, kernel._data) if bias is None else \
                fn.forward(h, kernel._data, bias._data)
        value = self.loss.forward(h, yb)  # Tensor(yb) would hold yb unchanged
        if self.penalty is not None:
            value = value + self.penalty.forward(*[v._data for v in self.regularized])
        # the tape's seed; the sum with the penalty passes it on unchanged to both terms
        seed = np.ones_like(value)
        grad = _as_input_grad(self.loss.backward(seed)[0], h)
        grads = []  # last layer first, bias before kernel: reversed below
        for fn, kernel, bias in reversed(self.chain):
            parts = fn.backward(grad)
            if bias is not None:
                grads.append(_as_input_grad(parts[2], bias._data))
            grads.append(_as_input_grad(parts[1], kernel._data))
            if fn.needs[0]:
                grad = _as_input_grad(parts[0], fn.x)
        grads.reverse()  # now in ``variables`` order (``plan`` checked it is the layers')
        if self.penalty is not None:
            extra = self.penalty.backward(seed)
            for i, var, g in zip(self.penalized, self.regularized, extra, strict=True):
                grads[i] = grads[i] + _as_input_grad(g, var._data)
        optimizer = self.steps.optimizer
        if not optimizer.built:
            optimizer.build(self.variables)
        optimizer._step(grads, self.variables)
        return float(value), h


def _as_input_grad(g, x):
    """What the tape's walk makes of an op's gradient for input ``x`` (shape, dtype)."""
    if type(g) is np.ndarray and g.shape == x.shape and g.dtype == x.dtype:
        return g  # the usual case, decided without the calls below
    g = unbroadcast(np.asarray(g), x.shape)
    return g if g.dtype == x.dtype else g.astype(x.dtype)
