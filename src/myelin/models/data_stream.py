"""Feeding fit / evaluate / predict from a Dataset, a generator or a PyDataset.

Arrays take the fast path in ``loops``; everything else becomes a ``Stream``: an
iterator of batches, each unpacked as Keras does (``x``, ``(x,)``, ``(x, y)`` or
``(x, y, sample_weight)``, x possibly a dict) and validated against the model like
arrays are, batch by batch. The first batch is read and checked before training
starts, so a mismatch raises before any weight changes; a later bad batch raises
naming its step and its shapes next to the first batch's.
"""

import collections.abc
import inspect
import itertools
import warnings

import numpy as np

from .. import backend
from ..autodiff import Tensor
from ..data.dataset import Dataset, nest
from ..data.dataset.spec import INFINITE_CARDINALITY
from ..data.py_dataset import BatchLoader, PyDataset

_ENDLESS = (itertools.count, itertools.cycle)
_END = object()


def is_stream(x):
    """Whether ``x`` is fed batch by batch (not an array-like).

    Raises:
        TypeError: for a generator function passed instead of the generator it makes.
    """
    if inspect.isgeneratorfunction(x):
        raise TypeError(f"{x.__name__} is a generator function; pass the generator it "
                        f"returns, e.g. fit({x.__name__}(), steps_per_epoch=...).")
    return isinstance(x, (Dataset, PyDataset)) or (
        isinstance(x, collections.abc.Iterator) and not isinstance(x, (np.ndarray, Tensor)))


def _endless_iterator(x):
    if isinstance(x, _ENDLESS):
        return True
    if isinstance(x, itertools.repeat):
        try:
            x.__length_hint__()
        except TypeError:  # repeat(value) without times
            return True
    return False


def unpack(batch, kind, step):
    """``(x, y, sample_weight)`` from one batch, with Keras's conventions."""
    if isinstance(batch, list):
        batch = tuple(batch)
    if not isinstance(batch, tuple) or hasattr(type(batch), "_fields"):
        return batch, None, None
    if 1 <= len(batch) <= 3:
        return batch + (None,) * (3 - len(batch))
    raise ValueError(f"The {kind} yielded a tuple of {len(batch)} items at batch {step}; "
                     f"expected x, (x,), (x, y) or (x, y, sample_weight).")


def _shape(value):
    if value is None:
        return None
    return nest.map_structure(lambda v: tuple(np.shape(v._data if isinstance(v, Tensor)
                                                       else v)), value)


def _describe(x, y):
    text = f"x of shape {_shape(x)}"
    return text if y is None else f"{text} and y of shape {_shape(y)}"


class Stream:
    """Batches for one fit/evaluate/predict argument that is not an array.

    Args:
        source: a ``Dataset``, a ``PyDataset``, or a Python generator / iterator.
        where: the argument's name for messages (``"fit"``, ``"fit (validation_data)"``).
        prepare: ``prepare(x, y, sample_weight)`` validating and converting one batch.
        steps: batches per epoch (``steps_per_epoch`` / ``validation_steps`` /
            ``steps``); None: one pass over the data.
        needs_targets: whether batches must carry y (fit, evaluate).
        shuffle: reorder a PyDataset's batches each epoch (fit's ``shuffle``).
        y, sample_weight, class_weight: fit's arguments, refused where Keras does.

    Example:
        >>> stream = Stream(dataset, "fit", prepare, steps=None)
        >>> stream.first()          # validates batch 0, builds the model
        >>> for xb, yb, swb in stream.batches(): ...
    """

    def __init__(self, source, where, prepare, steps=None, needs_targets=True, shuffle=False,
                 y=None, sample_weight=None, class_weight=None):
        self.kind = ("Dataset" if isinstance(source, Dataset) else
                     "PyDataset" if isinstance(source, PyDataset) else "generator")
        for value, name, what in ((y, "y", "the targets"),
                                  (sample_weight, "sample_weight", "the sample weights")):
            if value is not None:
                raise ValueError(f"{where}: when x is a {self.kind}, `{name}` should not be "
                                 f"passed. Instead, {what} should be included as part of "
                                 f"the {self.kind}.")
        if class_weight is not None and self.kind == "generator":
            raise ValueError(f"{where}: class_weight is not supported for Python generator "
                             f"inputs. Yield (x, y, sample_weight) batches instead.")
        self.source, self.where, self._prepare = source, where, prepare
        self.needs_targets, self.shuffle = needs_targets, shuffle
        self.known = self._count()
        self.steps = steps or self.known
        if self.steps is None and self._endless():
            option = self._steps_option()
            raise ValueError(f"{where}: the {self.kind} is infinite, so {option} is "
                             f"needed to know when an epoch ends, e.g. {option}=100. (If "
                             f"it should be finite, do not call .repeat() on it.)")
        self._loader = BatchLoader(source) if self.kind == "PyDataset" else None
        self._iterator = None  # kept across epochs when steps are given, as Keras does
        self._peeked = None
        self._first_shapes = None
        self._in_epoch = False

    def _count(self):
        if self.kind == "Dataset":
            count = self.source._cardinality()
            return count if count >= 0 else None
        if self.kind == "PyDataset":
            return self.source.num_batches
        return None

    def _endless(self):
        if self.kind == "Dataset":
            return self.source._cardinality() == INFINITE_CARDINALITY
        if self.kind == "PyDataset":
            return self.source.num_batches is None
        return _endless_iterator(self.source)

    # --- reading raw batches -----------------------------------------------------------

    def _open(self):
        """A new pass over the source (the same iterator for a generator)."""
        if self.kind == "Dataset":
            return iter(self.source._iter())
        if self.kind == "PyDataset":
            self.source.on_epoch_begin()
            self._in_epoch = True
            count = self.source.num_batches
            if count is None:
                return self._loader.batches(itertools.count())
            order = backend.rng().permutation(count) if self.shuffle else range(count)
            return self._loader.batches(int(i) for i in order)
        return self.source

    def _next_raw(self):
        if self._peeked is not None:
            raw, self._peeked = self._peeked, None
            return raw
        if self._iterator is None:
            self._iterator, self._in_pass = self._open(), 0
        raw = next(self._iterator, _END)
        self._in_pass += raw is not _END
        return raw

    def _drop_iterator(self):
        if self.kind != "generator" and hasattr(self._iterator, "close"):
            self._iterator.close()  # our own iterator: stop its prefetch thread or workers
        self._iterator = None  # a user's generator is left open, as Keras leaves it

    def _end_pass(self):
        self._drop_iterator()
        if self._in_epoch:
            self._in_epoch = False
            self.source.on_epoch_end()

    # --- validated batches -------------------------------------------------------------

    def _validated(self, raw, step):
        x, y, sample_weight = unpack(raw, self.kind, step)
        if self.needs_targets and y is None:
            raise ValueError(f"{self.where}: the {self.kind} yields only inputs x (batch "
                             f"{step} has {_describe(x, None)}), but {self.where} needs "
                             f"targets: yield (x, y) or (x, y, sample_weight) batches.")
        try:
            return self._prepare(x, y, sample_weight)
        except (ValueError, TypeError) as error:
            raise type(error)(self._explain(error, step, x, y)) from None

    def _explain(self, error, step, x, y):
        if step == 0:
            hint = ""
            if self.kind == "Dataset" and not any(  # no batch axis anywhere
                    s.shape is None or (s.shape and s.shape[0] is None)
                    for s in nest.flatten(self.source.element_spec)):
                hint = (" Its elements look like single samples, not batches: call "
                        ".batch(batch_size) on the dataset.")
            return f"{error} (The {self.kind}'s first batch has {_describe(x, y)}.{hint})"
        return (f"{error} (At step {step} the {self.kind} yielded {_describe(x, y)}, while "
                f"the first batch had {self._first_shapes}.)")

    def first(self):
        """Read and validate the first batch (building the model), kept for epoch 1."""
        raw = self._next_raw()
        if raw is _END:
            self._end_pass()
            raise ValueError(f"{self.where}: the {self.kind} yielded no batches. Check that "
                             f"it is not empty or already exhausted.")
        x, y, _ = unpack(raw, self.kind, 0)
        self._first_shapes = _describe(x, y)
        self._validated(raw, 0)
        self._peeked = raw

    def batches(self):
        """One epoch: validated ``(x, y, sample_weight)`` batches.

        Without ``steps`` an epoch is one pass. With ``steps`` it is that many batches
        of one continuing iterator, started over when a pass of known size ends.
        """
        step, self._exhausted = 0, False
        try:
            while self.steps is None or step < self.steps:
                raw = self._next_raw()
                if raw is _END:
                    self._exhausted = True
                    break
                yield self._validated(raw, step)
                step += 1
            if self.kind == "Dataset" and self._in_pass == self.known:
                # The pass is complete: read its end too, so that the pipeline finishes
                # its work (cache() commits what it collected) instead of being closed
                # mid-pass and discarding it, as a pass cut short must.
                next(self._iterator, None)
        finally:
            if self._exhausted or self.steps is None or self._in_pass == self.known:
                self._end_pass()
        self._last_count = step
        if self._exhausted and self.steps is None and self.known is None:
            self.known = step  # the size of a pass, measured
        if self._exhausted and step == 0 and self.kind == "generator":
            raise ValueError(f"{self.where}: the generator is exhausted (an earlier pass "
                             f"consumed it). Pass {self._steps_option()} so each pass takes "
                             f"that many batches, or use a Dataset or PyDataset, which can "
                             f"be iterated again.")

    def _steps_option(self):
        if self.where in ("evaluate", "predict"):
            return "steps"
        return "validation_steps" if "validation" in self.where else "steps_per_epoch"

    def more_data(self):
        """After an epoch with more to come: whether data remains (warns if not, as
        Keras does: a generator cannot start over; a short epoch is reported)."""
        short = self.steps is not None and self._last_count < self.steps
        if self._exhausted and (short or self.kind == "generator"):
            warnings.warn(f"{self.where}: your input ran out of data after "
                          f"{self._last_count} batches; interrupting training. Make sure "
                          f"that your dataset or generator can generate at least "
                          f"`steps_per_epoch * epochs` batches (e.g. call .repeat() on a "
                          f"Dataset).", UserWarning, stacklevel=4)
            return self.kind != "generator"
        return True

    _exhausted, _last_count, _in_pass = False, 0, 0

    def check_passes(self, passes):
        """Refuse, before training, a generator without steps that must be read
        ``passes`` times (it would be empty from the second pass on)."""
        if self.kind == "generator" and self.steps is None and passes > 1:
            raise ValueError(f"{self.where}: a generator can be read only once, but it is "
                             f"needed for {passes} passes. Pass {self._steps_option()} so "
                             f"each pass takes that many batches of an endless generator, "
                             f"or use a Dataset or PyDataset, which can be iterated again.")

    def close(self):
        """Stop our iterator (its prefetch thread) and the PyDataset workers."""
        self._drop_iterator()
        if self._loader is not None:
            self._loader.close()
