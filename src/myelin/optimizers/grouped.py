"""Many small variables updated as one: one ``update_step`` over flat copies.

A small network's update costs Python per variable: Adam runs seven passes on
each of a Dense layer's kernel and bias, a few microseconds each however few the
elements. ``Group`` makes the values and slot buffers of all small variables views
into one flat array each, gathers the gradients into one more, and runs the
optimizer's ``update_step`` once on them (through a ``chunks.Chunk``, exactly as a
slice of a large variable is updated). Every update rule
is elementwise, so the numbers are the same as variable by variable (tests compare
every optimizer bit for bit).
"""

import operator

import numpy as np

from .chunks import Chunk

# Above this many elements a variable's own passes cost more than its Python overhead,
# and gathering its gradient would add a copy of it.
GROUP_MAX_SIZE = 8192


class Group:
    """The flat state of the small variables (of one dtype) of a list of variables.

    Args:
        optimizer: the (built) Optimizer whose slots the group takes over.
        members: every variable ``_step`` receives, in order.
        small: the indices of those to group (see ``plan``).
    """

    def __init__(self, optimizer, members, small):
        self.members = tuple(members)
        self.small = small
        grouped = set(small)
        self.rest = [i for i in range(len(members)) if i not in grouped]
        variables = [members[i] for i in small]
        bounds = np.cumsum([0] + [v._data.size for v in variables])
        self.parts = [slice(int(lo), int(hi))
                      for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]
        total, dtype = int(bounds[-1]), variables[0].dtype
        self.grads = np.empty(total, dtype)
        self.views = []  # (Variable, the view of a flat buffer it must still hold)
        flats = {}
        for name in ("",) + tuple(optimizer.slot_names()):  # "": the weights themselves
            flat = flats[name] = np.empty(total, dtype)
            for var, part in zip(variables, self.parts, strict=True):
                holder = optimizer._slots[id(var)][1][name] if name else var
                view = flat[part].reshape(var._data.shape)
                np.copyto(view, holder._data)
                # every writer (assign, set_weights, set_state, the updates) writes in
                # place, so the variable keeps the view; ``serves`` checks it does
                holder._data = view
                self.views.append((holder, view))
        self.chunk = Chunk(flats.pop(""), flats, variables[0])
        optimizer.reserve_scratch(dtype, total)

    @classmethod
    def plan(cls, optimizer, variables):
        """A group of ``variables``' small ones, or None when fewer than two qualify.

        Args:
            optimizer: the (built) Optimizer.
            variables: the variables of one ``_step``.

        Returns:
            A ``Group`` or None.
        """
        small, dtype = [], None
        for i, var in enumerate(variables):
            data = var._data
            if (data.size <= GROUP_MAX_SIZE and var.constraint is None
                    and data.flags.c_contiguous and (dtype is None or data.dtype == dtype)):
                dtype = data.dtype
                small.append(i)
        return cls(optimizer, variables, small) if len(small) > 1 else None

    def serves(self, variables):
        """Whether this group was made for exactly ``variables`` and is still intact."""
        return (len(variables) == len(self.members)
                and all(map(operator.is_, variables, self.members))
                and all(holder._data is view for holder, view in self.views))

    def update(self, optimizer, grads, lr):
        """Gather the small variables' gradients, then one ``update_step`` over the flat
        buffers.

        Args:
            optimizer: the Optimizer (its ``update_step``).
            grads: gradient arrays, one per member, in ``members`` order.
            lr: this step's learning rate.
        """
        for i, part in zip(self.small, self.parts, strict=True):
            self.grads[part] = grads[i].reshape(-1)
        optimizer.update_step(self.grads, self.chunk, lr)
