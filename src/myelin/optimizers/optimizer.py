"""The Optimizer base class: learning rate, gradient clipping, slot buffers, state.

A subclass names its per-variable slot buffers in ``slot_names()`` and implements
``update_step(grad, var, lr)``, which updates ``var._data`` in place from the raw
gradient array. Slot buffers are allocated once per variable (keyed by ``id``) by
``build``, so a training loop allocates nothing per step for them.
"""

import warnings

import numpy as np

from .. import backend
from ..autodiff import GradientTape, Tensor, Variable
from . import chunks, grouped, schedules
from .gradients import check_clipping, check_hyper, check_rate, checked_pairs, clip
from .subnormal import FLUSH_EVERY, flush_subnormals


class _VariableList(list):
    """A list that may also be called: ``opt.variables`` (Keras 3) and
    ``opt.variables()`` (TensorFlow 2.x) both work."""

    def __call__(self):
        return self


class Optimizer:
    """Base class of the optimizers (Keras 3 API).

    Args:
        learning_rate: a float, a ``LearningRateSchedule`` or a callable returning one.
        name: optional name (default: the class name in lower case).
        weight_decay: decoupled weight decay: before each update every variable
            not excluded (see ``exclude_from_weight_decay``) shrinks by
            ``var * weight_decay * learning_rate``, as in Keras 3.
        clipnorm: clip each gradient to this L2 norm.
        clipvalue: clip each gradient element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: clip all gradients together to this global L2 norm.

    Example:
        >>> opt = myelin.optimizers.SGD(learning_rate=0.1)
        >>> w = myelin.Variable([1.0])
        >>> opt.apply_gradients([(myelin.constant([2.0]), w)])
        >>> w.numpy()
        array([0.8], dtype=float32)
    """

    def __init__(self, learning_rate, name=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, weight_decay=None, **kwargs):
        cls = type(self).__name__
        if "lr" in kwargs:  # TF 1.x / early Keras spelling, still common in tutorials
            warnings.warn(f"{cls}: 'lr' is deprecated, use 'learning_rate'.", stacklevel=3)
            learning_rate = kwargs.pop("lr")
        if kwargs:
            raise TypeError(f"{cls}: unexpected argument(s) {sorted(kwargs)}.")
        check_clipping(cls, clipnorm, clipvalue, global_clipnorm)
        if weight_decay is not None:
            check_hyper(cls, "weight_decay", weight_decay)
        self.name = name or cls.lower()
        self.weight_decay = weight_decay
        self._no_decay_ids, self._no_decay_names = set(), ()
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self._iterations = Variable(np.int64(0), trainable=False, name="iteration")
        self._learning_rate = None
        self.learning_rate = learning_rate
        self._slots = {}  # id(var) -> (var, {slot name: Variable})
        self._own_variables = []  # per-optimizer state of a subclass (Nadam's u_product)
        self._scratch = {}  # dtype -> one flat buffer as large as the largest variable
        self._groups = {}  # ids of a step's variables -> their small ones as one Group
        self.built = False

    # --- learning rate --------------------------------------------------------------

    @property
    def learning_rate(self):
        """The current rate: a Variable (settable), or a schedule's value now."""
        if isinstance(self._learning_rate, Variable):
            return self._learning_rate
        return Tensor(np.asarray(self._current_learning_rate(), dtype=backend.floatx()))

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(value, schedules.LearningRateSchedule) or (
                callable(value) and not isinstance(value, Tensor)):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            raise TypeError(
                f"{type(self).__name__}: this optimizer was created with a "
                f"LearningRateSchedule, so its learning rate cannot be set to a number. "
                f"Create it with a float learning_rate to change the rate during training."
            )
        value = check_rate(float(value) if isinstance(value, Tensor) else value,
                            type(self).__name__)
        if isinstance(self._learning_rate, Variable):
            self._learning_rate.assign(value)
        else:
            self._learning_rate = Variable(value, trainable=False, name="learning_rate",
                                           dtype=backend.floatx())

    lr = learning_rate  # TensorFlow 2.x alias

    def _current_learning_rate(self):
        rate = self._learning_rate
        if isinstance(rate, Variable):
            return float(rate._data)
        if isinstance(rate, schedules.LearningRateSchedule):
            return float(rate(self.iterations._data))
        return float(rate())

    @property
    def iterations(self):
        """The number of update steps applied so far (an int64 Variable)."""
        return self._iterations

    # --- slots ----------------------------------------------------------------------

    def slot_names(self):
        """Names of the per-variable buffers this optimizer keeps (subclasses)."""
        return ()

    def slot_initial_value(self, name):
        """The value a new slot buffer starts at (0 unless the optimizer says otherwise).

        Args:
            name: the slot's name, one of ``slot_names``.

        Returns:
            A number.
        """
        return 0.0

    def build(self, var_list):
        """Allocate the slot buffers of every variable not seen before (once each)."""
        for var in var_list:
            if id(var) in self._slots:
                continue
            slots = {name: Variable(np.full_like(var._data, self.slot_initial_value(name)),
                                    trainable=False, name=f"{var.name}/{name}")
                     for name in self.slot_names()}
            self._slots[id(var)] = (var, slots)
            self.reserve_scratch(var.dtype, var._data.size)
        self.built = True

    def reserve_scratch(self, dtype, size):
        """Make ``scratch`` able to hand out ``size`` elements of ``dtype``.

        Args:
            dtype: the NumPy dtype of the variables to update.
            size: the number of elements of the largest of them.
        """
        buffer = self._scratch.get(dtype)
        if buffer is None or buffer.shape[1] < size:
            self._scratch[dtype] = np.empty((self.scratch_buffers, size), dtype=dtype)

    def slot(self, var, name):
        """The raw array of slot ``name`` for ``var`` (updated in place)."""
        if type(var) is chunks.Chunk:
            return var.slots[name]
        return self._slots[id(var)][1][name]._data

    scratch_buffers = 1  # how many temporaries ``update_step`` needs at once

    def scratch(self, var, index=0):
        """A temporary array shaped like ``var``: per-step arithmetic without allocation.

        Variables are updated one at a time, so they all share the same buffers (as
        large as the largest variable) instead of each holding a copy of its own size;
        a subclass that needs two temporaries at once sets ``scratch_buffers = 2``.
        """
        return self._scratch[var.dtype][index, :var._data.size].reshape(var._data.shape)

    # --- weight decay ---------------------------------------------------------------

    def exclude_from_weight_decay(self, var_list=None, var_names=None):
        """Exempt variables from ``weight_decay`` (call before the first update).

        Args:
            var_list: Variables to exempt.
            var_names: substrings; a variable whose name contains one is exempt
                (``var_names=["bias"]`` exempts every bias).

        Raises:
            ValueError: when the optimizer has already been built.
        """
        if self.built:
            raise ValueError(
                f"{type(self).__name__}.exclude_from_weight_decay: the optimizer is already "
                f"built (it has updated variables); call it before the first update."
            )
        names = list(var_names or ())
        if not all(isinstance(n, str) for n in names):
            raise TypeError(f"{type(self).__name__}.exclude_from_weight_decay: var_names "
                            f"must be strings, received {names!r}.")
        self._no_decay_ids = {id(v) for v in var_list or ()}
        self._no_decay_names = tuple(names)

    def _decays(self, var):
        return id(var) not in self._no_decay_ids and not any(
            n in var.name for n in self._no_decay_names)

    def _apply_weight_decay(self, variables, lr):
        """Keras 3's decoupled decay: ``var -= var * weight_decay * lr`` before the step."""
        if not self.weight_decay:
            return
        rate = self.weight_decay * lr
        for var in variables:
            if self._decays(var):
                tmp = self.scratch(var)
                np.multiply(var._data, rate, out=tmp)
                var._data -= tmp

    # --- applying gradients ---------------------------------------------------------

    def apply_gradients(self, grads_and_vars):
        """Apply ``(gradient, variable)`` pairs; pairs whose gradient is None are skipped.

        Returns:
            The ``iterations`` Variable.
        """
        pairs = list(grads_and_vars)
        return self.apply([g for g, _ in pairs], [v for _, v in pairs])

    def apply(self, grads, trainable_variables):
        """Apply ``grads`` to ``trainable_variables`` (two lists of the same length)."""
        grads, variables = checked_pairs(type(self).__name__, list(grads),
                                         list(trainable_variables))
        self.build(variables)
        return self._step(grads, variables)

    def apply_trusted(self, grads, variables):
        """``apply`` without the per-call checks, for the trainer's hot loop.

        The tape already guarantees one gradient Tensor (or None, for a weight the loss
        does not reach) of each variable's shape and dtype; checking that again every
        step would cost more than the update of a small layer.
        """
        if None in grads or not self.built:
            return self.apply(grads, variables)
        return self._step([g._data for g in grads], variables)

    def _step(self, grads, variables):
        """Clip, update every variable in place, count the iteration (arrays checked)."""
        grads = clip(grads, self.clipnorm, self.clipvalue, self.global_clipnorm)
        lr = self._current_learning_rate()
        self._apply_weight_decay(variables, lr)
        pairs = zip(grads, variables, strict=True)
        group = self._group_for(variables) if self.group_small else None
        if group is not None:
            group.update(self, grads, lr)
            pairs = [(grads[i], variables[i]) for i in group.rest]
        for grad, var in pairs:
            if var._data.size > self.chunk_size and var._data.flags.c_contiguous:
                chunks.update_in_chunks(self, grad, var, lr)
            else:
                self.update_step(grad, var, lr)
            if var.constraint is not None:  # Keras: project right after the update
                var.assign(var.constraint(var))
        self._iterations._data += 1
        if self._iterations._data % FLUSH_EVERY == 0 and self._slots:
            self._flush_slots()
        return self._iterations

    def _flush_slots(self):
        # decaying moments of zero gradients would turn subnormal (see subnormal.py)
        for _, slots in self._slots.values():
            for slot in slots.values():
                flush_subnormals(slot._data)

    chunk_size = chunks.CHUNK_SIZE  # larger variables are updated slice by slice, in cache
    group_small = True  # update small variables as one flat group (an elementwise rule)

    def _group_for(self, variables):
        """The ``grouped.Group`` of these variables' small ones, or None (too few).

        Kept per list of variables (a GAN's two models each have theirs), a few at most.
        """
        key = tuple(map(id, variables))
        if key in self._groups:
            group = self._groups[key]
            if group is None or group.serves(variables):
                return group
        if len(self._groups) >= 4:
            self._groups.clear()
        group = self._groups[key] = grouped.Group.plan(self, variables)
        return group

    def update_step(self, grad, var, lr):
        """Update ``var._data`` in place from the gradient array ``grad`` (subclasses)."""
        raise NotImplementedError

    def minimize(self, loss, var_list, tape=None):
        """Compute gradients of ``loss`` and apply them to ``var_list``.

        Args:
            loss: a zero-argument callable returning the loss (TensorFlow style), or
                a loss Tensor together with the ``tape`` that recorded it.
            var_list: the variables to update (or a callable returning them).
            tape: the GradientTape that recorded ``loss`` when it is a Tensor.
        """
        if callable(var_list):
            var_list = var_list()
        if callable(loss):
            with GradientTape() as tape:
                value = loss()
        elif tape is None:
            raise ValueError(
                f"{type(self).__name__}.minimize: when loss is a Tensor, pass the "
                f"GradientTape that recorded it: minimize(loss, var_list, tape=tape)."
            )
        else:
            value = loss
        grads = tape.gradient(value, list(var_list))
        return self.apply_gradients(zip(grads, var_list, strict=True))

    # --- config and state -----------------------------------------------------------

    def get_config(self):
        """The constructor arguments as a JSON-serialisable dict (a schedule as its config).

        Returns:
            A dict that ``from_config`` turns back into an equal optimizer (without its slots).
        """
        rate = self._learning_rate
        if isinstance(rate, schedules.LearningRateSchedule):
            rate = schedules.serialize(rate)
        elif isinstance(rate, Variable):
            rate = float(rate._data)
        config = {"name": self.name, "learning_rate": rate, "weight_decay": self.weight_decay,
                  "clipnorm": self.clipnorm,
                  "global_clipnorm": self.global_clipnorm, "clipvalue": self.clipvalue}
        if self._no_decay_names:
            # kept so a reloaded optimizer decays the same variables (Keras forgets this)
            config["exclude_from_weight_decay"] = list(self._no_decay_names)
        return config

    @classmethod
    def from_config(cls, config):
        """Make an optimizer from the dict ``get_config`` returned.

        Args:
            config: the dict of constructor arguments.

        Returns:
            A new optimizer with no slots yet.
        """
        config = dict(config)
        if isinstance(config.get("learning_rate"), dict):
            config["learning_rate"] = schedules.deserialize(config["learning_rate"])
        excluded = config.pop("exclude_from_weight_decay", None)
        optimizer = cls(**config)
        if excluded:
            optimizer.exclude_from_weight_decay(var_names=excluded)
        return optimizer

    @property
    def variables(self):
        """Iterations, the learning rate (when a number), a subclass's own state and
        every slot, in build order."""
        out = [self._iterations]
        if isinstance(self._learning_rate, Variable):
            out.append(self._learning_rate)
        out.extend(self._own_variables)
        for _, slots in self._slots.values():
            out.extend(slots.values())
        return _VariableList(out)

    def get_state(self):
        """Copies of ``variables`` as NumPy arrays (for checkpoints)."""
        return [v.numpy() for v in self.variables]

    def set_state(self, arrays):
        """Restore ``get_state()``'s arrays in place; build with the same variables first."""
        targets = self.variables
        if len(arrays) != len(targets):
            raise ValueError(
                f"{type(self).__name__}.set_state: expected {len(targets)} arrays, received "
                f"{len(arrays)}. Call optimizer.build(model.trainable_variables) first so "
                f"that the slot buffers exist."
            )
        for target, array in zip(targets, arrays, strict=True):
            if np.shape(array) != target.shape:
                raise ValueError(f"{type(self).__name__}.set_state: '{target.name}' has shape "
                                 f"{target.shape}, received {np.shape(array)}.")
        for target, array in zip(targets, arrays, strict=True):
            target.assign(array)

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"
