"""TF 1's optimizers (``tf.train.*Optimizer``) with TF 1's defaults and update formulas.

``minimize(loss)`` on a graph loss returns an operation: each run of it takes the
gradients of the loss (recorded by the run's tape) with respect to every trainable
variable the loss depends on, and queues the update, applied once the whole run has
succeeded. The update formulas are TF 1's kernels (``ApplyGradientDescent``,
``ApplyMomentum``, ``ApplyAdam``, ``ApplyAdagrad``, ``ApplyRMSProp``), on the slot
buffers of myelin's ``Optimizer`` base.
"""

import math
from contextlib import contextmanager

import numpy as np

from ....autodiff import GradientTape, Tensor, Variable
from ....autodiff.static_value import graph_mode
from ....graph import get_default_graph
from ....graph.tensor import SymbolicTensor
from ....optimizers.optimizer import Optimizer as _Base
from ....optimizers.optimizer import check_hyper
from ....optimizers.sgd import descend, plain_descent_settings
from ..gradients import GradientNode, connected
from ..operation import Operation
from ..variables import TRAINABLE_VARIABLES


@contextmanager
def unregistered():
    """Variables made inside (optimizer state) stay out of the graph's collections."""
    saved, graph_mode[0] = graph_mode[0], False
    try:
        yield
    finally:
        graph_mode[0] = saved


class Optimizer(_Base):
    """Base class of TF 1's optimizers: ``minimize``, ``compute_gradients``,
    ``apply_gradients`` build graph operations for graph losses.

    Args:
        learning_rate: a float.
        name: the name of the operations it creates.
    """

    def __init__(self, learning_rate, name):
        with unregistered():
            super().__init__(learning_rate, name=name)
        self._op_name = name

    def build(self, var_list):
        with unregistered():
            super().build(var_list)

    def compute_gradients(self, loss, var_list=None, gate_gradients=1, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        """``[(gradient, variable), ...]`` of ``loss`` for ``var_list`` (default: every
        trainable variable); the gradient is None where the loss does not depend on it.

        Example:
            >>> grads_and_vars = optimizer.compute_gradients(loss)
            >>> capped = [(tf.clip_by_value(g, -1., 1.), v) for g, v in grads_and_vars]
            >>> training_op = optimizer.apply_gradients(capped)
        """
        where = f"{type(self).__name__}.compute_gradients"
        if callable(loss) and not isinstance(loss, Tensor):  # TF 1 eager style
            variables = list(var_list) if var_list is not None else None
            with GradientTape() as tape:
                value = loss()
            if variables is None:
                raise ValueError(f"{where}: in eager execution pass var_list.")
            return list(zip(tape.gradient(value, variables), variables, strict=True))
        if not isinstance(loss, SymbolicTensor):
            raise TypeError(f"{where}: loss must be a graph tensor (built from placeholders) "
                            f"or, in eager code, a function returning the loss; received "
                            f"{type(loss).__name__}.")
        variables = self._variables(loss, var_list, where)
        reached = connected([loss], variables)
        wanted = [v for v, r in zip(variables, reached, strict=True) if r]
        if not wanted:
            return [(None, v) for v in variables]
        node = GradientNode([loss], wanted, None if grad_loss is None else [grad_loss])
        grads = iter(node.outputs)
        return [(next(grads) if r else None, v) for v, r in zip(variables, reached,
                                                               strict=True)]

    @staticmethod
    def _variables(loss, var_list, where):
        if var_list is None:
            var_list = loss.graph.get_collection(TRAINABLE_VARIABLES)
            if not var_list:
                raise ValueError(f"{where}: the graph has no trainable variables; create "
                                 f"them with tf.Variable before building the optimizer.")
        variables = list(var_list.values() if isinstance(var_list, dict) else var_list)
        for var in variables:
            if not isinstance(var, Variable):
                raise TypeError(f"{where}: var_list must hold Variables, received "
                                f"{type(var).__name__}.")
        return variables

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """An operation applying ``(gradient, variable)`` pairs (gradients None skipped),
        then adding 1 to ``global_step`` if given; eager gradients are applied now."""
        pairs = [(g, v) for g, v in grads_and_vars if g is not None]
        if not pairs:
            names = [v.name for _, v in grads_and_vars]
            raise ValueError(f"No gradients provided for any variable: {names}. Check that "
                             f"the loss depends on them (through differentiable ops).")
        grads, variables = [g for g, _ in pairs], [v for _, v in pairs]
        symbolic = [g for g in grads if isinstance(g, SymbolicTensor)]
        if not symbolic:
            self.apply(grads, variables)
            if global_step is not None:
                global_step.assign_add(1)
            return None

        def effect(values, context):
            computed = iter(values)
            arrays = [next(computed) if isinstance(g, SymbolicTensor) else g for g in grads]
            context.pending.append(lambda: self._update(arrays, variables, global_step))

        touched = variables + ([global_step] if global_step is not None else [])
        return Operation(symbolic, name or self._op_name, effect, touched)

    def _update(self, grads, variables, global_step):
        if self.built and all(isinstance(g, Tensor) and g.dtype == v.dtype
                              for g, v in zip(grads, variables, strict=True)):
            self.apply_trusted(grads, variables)
        else:
            self.apply(grads, variables)
        if global_step is not None:
            global_step.assign_add(1)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None):
        """The operation that takes one step down the gradient of ``loss``.

        Args:
            loss: a graph tensor (or, eagerly, a function returning the loss).
            global_step: an integer Variable incremented by each step.
            var_list: the variables to update (default: every trainable variable the
                loss depends on).

        Example:
            >>> training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
            >>> sess.run(training_op, feed_dict={X: X_batch, y: y_batch})
        """
        pairs = self.compute_gradients(loss, var_list=var_list, grad_loss=grad_loss)
        if all(g is None for g, _ in pairs):
            names = [v.name for _, v in pairs]
            raise ValueError(
                f"{type(self).__name__}.minimize: no gradients provided for any variable: "
                f"the loss '{getattr(loss, 'name', loss)}' depends on none of {names}.")
        return self.apply_gradients(pairs, global_step=global_step, name=name)


class GradientDescentOptimizer(Optimizer):
    """``var -= learning_rate * grad`` (TF 1).

    Example:
        >>> optimizer = tf.train.GradientDescentOptimizer(0.01)
    """

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        super().__init__(learning_rate, name)
        plain_descent_settings(self)  # as Keras's SGD: one BLAS pass a large variable

    def update_step(self, grad, var, lr):
        descend(self, grad, var, lr)


class MomentumOptimizer(Optimizer):
    """``accum = momentum * accum + grad``; ``var -= lr * accum`` (with Nesterov:
    ``var -= lr * (grad + momentum * accum)``), TF 1's ApplyMomentum.

    Example:
        >>> optimizer = tf.train.MomentumOptimizer(0.01, momentum=0.9, use_nesterov=True)
    """

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False):
        self.momentum = check_hyper("MomentumOptimizer", "momentum", momentum)
        self.use_nesterov = bool(use_nesterov)
        super().__init__(learning_rate, name)

    def slot_names(self):
        return ("momentum",)

    def update_step(self, grad, var, lr):
        accum, tmp = self.slot(var, "momentum"), self.scratch(var)
        accum *= self.momentum
        accum += grad
        if self.use_nesterov:
            np.multiply(accum, self.momentum, out=tmp)
            tmp += grad
        else:
            tmp[...] = accum
        tmp *= lr
        var._data -= tmp


class AdamOptimizer(Optimizer):
    """Adam with TF 1's defaults (learning_rate 0.001, beta1 0.9, beta2 0.999,
    epsilon 1e-8): ``lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t)``,
    ``var -= lr_t * m / (sqrt(v) + epsilon)``.

    Example:
        >>> optimizer = tf.train.AdamOptimizer().minimize(cost)
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 use_locking=False, name="Adam"):
        self.beta1 = check_hyper("AdamOptimizer", "beta1", beta1, 0.0, 1.0, below_high=True)
        self.beta2 = check_hyper("AdamOptimizer", "beta2", beta2, 0.0, 1.0, below_high=True)
        self.epsilon = check_hyper("AdamOptimizer", "epsilon", epsilon)
        super().__init__(learning_rate, name)

    def slot_names(self):
        return ("m", "v")

    def update_step(self, grad, var, lr):
        t = int(self.iterations._data) + 1
        lr_t = lr * math.sqrt(1 - self.beta2 ** t) / (1 - self.beta1 ** t)
        m, v, tmp = self.slot(var, "m"), self.slot(var, "v"), self.scratch(var)
        m *= self.beta1
        m += np.multiply(grad, 1 - self.beta1, out=tmp)
        v *= self.beta2
        np.square(grad, out=tmp)
        tmp *= 1 - self.beta2
        v += tmp
        np.sqrt(v, out=tmp)
        tmp += self.epsilon
        np.divide(m, tmp, out=tmp)
        tmp *= lr_t
        var._data -= tmp


class AdagradOptimizer(Optimizer):
    """``accum += grad**2``; ``var -= lr * grad / sqrt(accum)``, the accumulator starting
    at ``initial_accumulator_value`` (TF 1: 0.1).

    Example:
        >>> optimizer = tf.train.AdagradOptimizer(0.1)
    """

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad"):
        self.initial_accumulator_value = check_hyper(
            "AdagradOptimizer", "initial_accumulator_value", initial_accumulator_value)
        if not initial_accumulator_value > 0:
            raise ValueError(f"AdagradOptimizer: initial_accumulator_value must be positive, "
                             f"received {initial_accumulator_value!r}.")
        super().__init__(learning_rate, name)

    def slot_names(self):
        return ("accumulator",)

    def slot_initial_value(self, name):
        return self.initial_accumulator_value

    def update_step(self, grad, var, lr):
        accum, tmp = self.slot(var, "accumulator"), self.scratch(var)
        accum += np.square(grad, out=tmp)
        np.sqrt(accum, out=tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= lr
        var._data -= tmp


class RMSPropOptimizer(Optimizer):
    """TF 1's RMSProp: ``ms = decay * ms + (1 - decay) * grad**2`` (``ms`` starts at 1),
    ``mom = momentum * mom + lr * grad / sqrt(ms + epsilon)``, ``var -= mom``; centered
    subtracts the squared mean gradient from ``ms``.

    Example:
        >>> optimizer = tf.train.RMSPropOptimizer(0.001, decay=0.9)
    """

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp"):
        self.decay = check_hyper("RMSPropOptimizer", "decay", decay, 0.0, 1.0)
        self.momentum = check_hyper("RMSPropOptimizer", "momentum", momentum)
        self.epsilon = check_hyper("RMSPropOptimizer", "epsilon", epsilon)
        self.centered = bool(centered)
        super().__init__(learning_rate, name)

    def slot_names(self):
        return ("rms", "momentum", "mg") if self.centered else ("rms", "momentum")

    def slot_initial_value(self, name):
        return 1.0 if name == "rms" else 0.0

    def update_step(self, grad, var, lr):
        ms, mom, tmp = self.slot(var, "rms"), self.slot(var, "momentum"), self.scratch(var)
        ms *= self.decay
        ms += np.square(grad, out=tmp) * (1 - self.decay)
        denominator = ms
        if self.centered:
            mg = self.slot(var, "mg")
            mg *= self.decay
            mg += grad * (1 - self.decay)
            denominator = ms - mg * mg
        np.add(denominator, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= lr
        mom *= self.momentum
        mom += tmp
        var._data -= mom


def get_or_create_global_step(graph=None):
    """The graph's ``global_step`` (an int64 Variable starting at 0), created once.

    Example:
        >>> global_step = tf.train.get_or_create_global_step()
        >>> training_op = optimizer.minimize(loss, global_step=global_step)
    """
    graph = graph or get_default_graph()
    found = graph.get_collection("global_step")
    if found:
        return found[0]
    step = Variable(np.int64(0), trainable=False, name="global_step")
    graph.add_to_collection("global_step", step)
    return step


def get_global_step(graph=None):
    """The graph's ``global_step`` Variable, or None if none was created."""
    found = (graph or get_default_graph()).get_collection("global_step")
    return found[0] if found else None


__all__ = ["AdagradOptimizer", "AdamOptimizer", "GradientDescentOptimizer",
           "MomentumOptimizer", "Optimizer", "RMSPropOptimizer", "get_global_step",
           "get_or_create_global_step"]
