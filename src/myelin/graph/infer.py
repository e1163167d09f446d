"""Static shapes by abstract evaluation: run the step on small stand-in values.

A symbolic input of shape ``(None, 784)`` is replaced by ones of shape ``(2, 784)``
and then ``(3, 784)``; an output dimension that is the same in both runs is known,
one that follows the stand-in size is ``None``. This gives every op and layer a
static shape rule without writing one per op, and it raises the op's own shape
error while the graph is being built.
"""

import numpy as np

from ..autodiff import Tensor, no_grad
from ..autodiff.static_value import graph_mode
from .structure import flatten, map_structure
from .tensor import SymbolicTensor

# Ranks tried, after the shapes of the other inputs, for an input of unknown rank (TF 1's
# placeholder(shape=None)): the first guess every stand-in run accepts gives the output's
# static shape (labels fed as "float" take the logits' shape, class ids rank 1).
_RANK_GUESSES = (1, 0, 2, 3, 4)


def _guesses(leaves):
    known = [leaf._data._shape for leaf in leaves if leaf._data._shape is not None]
    guesses = list(dict.fromkeys(known))
    guesses += [(None,) * rank for rank in _RANK_GUESSES if (None,) * rank not in guesses]
    return guesses


def _stand_in(fill, guess=None):
    def replace(value):
        if not isinstance(value, SymbolicTensor):
            return value
        known = value._data._shape
        dims = guess if known is None else known
        shape = tuple(fill if d is None else d for d in dims)
        return Tensor(np.ones(shape, dtype=value.dtype))
    return replace


def _symbolic_leaves(args):
    return [leaf for leaf in flatten(args) if isinstance(leaf, SymbolicTensor)]


def _shapes(out):
    leaves = flatten(out)
    for leaf in leaves:
        if not isinstance(leaf, Tensor):
            raise TypeError(f"expected the step to return Tensors, received "
                            f"{type(leaf).__name__}")
    return leaves


def _with_static_shapes(message, args, fill, where):
    """The op's message with the stand-in shapes written as the symbolic ones."""
    for leaf in _symbolic_leaves(args):
        if leaf._data._shape is not None:
            stand_in = tuple(fill if d is None else d for d in leaf.shape)
            message = message.replace(str(stand_in), str(tuple(leaf.shape)))
    return message if message.startswith(where) else f"{where}: {message}"


def _known_sizes(args):
    """The known sizes among ``args``' dimensions: what an unknown dimension combined
    with them (``X * w`` for ``w`` of shape (3, 4)) may have to equal."""
    sizes = []
    for leaf in flatten(args):
        if isinstance(leaf, SymbolicTensor):
            dims = leaf._data._shape or ()
        elif isinstance(leaf, (Tensor, np.ndarray)):
            dims = np.shape(leaf)
        else:
            continue
        sizes.extend(n for n in dims if n is not None and n > 1 and n not in sizes)
    return sizes


def output_specs(run, args, where):
    """``[(shape, dtype), ...]`` of what ``run(*args)`` returns for symbolic ``args``,
    and the structure of its result (with the leaves as indices)."""
    leaves = _symbolic_leaves(args)
    unknown_rank = any(leaf._data._shape is None for leaf in leaves)
    dynamic = unknown_rank or any(d is None for leaf in leaves for d in leaf.shape)
    guesses = _guesses(leaves) if unknown_rank else [None]
    # Unknown sizes are tried as 2 and 3 (a size that follows them stays unknown); if the
    # step refuses them, as the size of a concrete argument (then it is that size).
    fill_sets = [(2, 3)] + [(n,) for n in _known_sizes(args)] if dynamic else [(2,)]
    saved, graph_mode[0] = graph_mode[0], False  # stand-ins compute: TF-1 variables give values
    try:
        found = _evaluate(run, args, where, guesses, fill_sets)
    finally:
        graph_mode[0] = saved
    specs, structure = _specs(found[0], where)
    if len(found) == 2:  # an output whose rank follows the guessed rank has unknown rank
        for i, (a, b) in enumerate(zip(_shapes(found[0][0]), _shapes(found[1][0]),
                                       strict=True)):
            if a.ndim != b.ndim:
                specs[i] = (None, specs[i][1])
    return specs, structure


def _evaluate(run, args, where, guesses, fill_sets):
    """Results of ``run`` on stand-ins, for the first guess and fill set that all work, and
    for a second guess when some input has unknown rank (to see if the rank follows it)."""
    found, first_error = [], None
    for guess in guesses:
        for fills in fill_sets:
            results = []
            with no_grad(), np.errstate(all="ignore"):
                for fill in fills:
                    try:
                        results.append(run(*map_structure(_stand_in(fill, guess), args)))
                    except Exception as error:  # the step's own error, said with static shapes
                        if first_error is None:
                            first_error = (error, fill)
                        break
            if len(results) == len(fills):
                found.append(results)
                break
        if len(found) == (2 if len(guesses) > 1 else 1):
            break
    if not found:
        error, fill = first_error
        raise type(error)(_with_static_shapes(str(error), args, fill, where)) from None
    return found


def _specs(results, where):
    specs = []
    for parts in zip(*(_shapes(out) for out in results), strict=True):
        first = parts[0]
        if any(p.ndim != first.ndim for p in parts):
            raise ValueError(f"{where}: the rank of the result depends on the batch size; "
                             f"such an op cannot be part of a graph.")
        shape = tuple(d if all(p.shape[i] == d for p in parts) else None
                      for i, d in enumerate(first.shape))
        specs.append((shape, first.dtype))
    counter = iter(range(len(specs)))
    structure = map_structure(lambda _: next(counter), results[0])
    return specs, structure
