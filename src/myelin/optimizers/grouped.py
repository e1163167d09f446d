"""Many small variables updated as one: one ``update_step`` over flat copies.

A small network's update costs Python per variable: Adam runs twelve NumPy passes on
each of a Dense layer's kernel and bias, a few microseconds each however few the
elements. ``Group`` makes the values and slot buffers of all small variables views
into one flat array each, gathers the gradients into one more, and runs the
optimizer's ``update_step`` once on them (through a ``chunks.Chunk``, exactly as a
slice of a large variable is updated). Every update rule
is elementwise, so the numbers are the same as variable by variable (tests compare
every optimizer bit for bit).
"""

import numpy as np

from .chunks import Chunk

# Above this many elements a variable's own passes cost more than its Python overhead,
# and gathering its gradient would add a copy of it.
GROUP_MAX_SIZE = 8192


class Group:
    """The flat state of a list of small variables of one dtype.

    Args:
        optimizer: the (built) Optimizer whose slots the group takes over.
        variables: the Variables, each with slots in ``optimizer``.
    """

    def __init__(self, optimizer, variables):
        self.variables = variables
        self.key = tuple(id(v) for v in variables)
        sizes = [v._data.size for v in variables]
        bounds = np.cumsum([0] + sizes)
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
                # place, so the variable keeps the view; ``intact`` checks it does
                holder._data = view
                self.views.append((holder, view))
        self.chunk = Chunk(flats.pop(""), flats, variables[0])
        optimizer.reserve_scratch(dtype, total)

    def intact(self):
        """Whether every variable and slot still holds its view of the flat buffers."""
        return all(holder._data is view for holder, view in self.views)

    def update(self, optimizer, grads, lr):
        """Gather the gradients, then one ``update_step`` over the flat buffers.

        Args:
            optimizer: the Optimizer (its ``update_step``).
            grads: gradient arrays, one per variable, in ``variables`` order.
            lr: this step's learning rate.
        """
        for grad, part in zip(grads, self.parts, strict=True):
            self.grads[part] = grad.reshape(-1)
        optimizer.update_step(self.grads, self.chunk, lr)


def split(optimizer, grads, variables):
    """Separate the variables to update as one group from the others.

    Args:
        optimizer: the Optimizer.
        grads: gradient arrays, one per variable.
        variables: the Variables.

    Returns:
        ``(small, rest)``: two lists of ``(grad, var)`` pairs; ``small`` is empty when
        fewer than two variables qualify.
    """
    small, rest = [], []
    dtype = None
    for grad, var in zip(grads, variables, strict=True):
        data = var._data
        if (data.size <= GROUP_MAX_SIZE and var.constraint is None
                and data.flags.c_contiguous and (dtype is None or data.dtype == dtype)):
            dtype = data.dtype
            small.append((grad, var))
        else:
            rest.append((grad, var))
    if len(small) < 2:
        return [], small + rest
    return small, rest
