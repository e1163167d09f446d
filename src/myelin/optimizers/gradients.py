"""What an optimizer checks and reshapes before it updates anything: hyper-parameters,
the ``(gradient, variable)`` pairs it receives, and gradient clipping.

Kept apart from the Optimizer class so that its file holds the update machinery only;
every check here runs before any state changes, so a bad call leaves the optimizer
and the variables untouched.
"""

import warnings
from numbers import Real

import numpy as np

from ..autodiff import Tensor, Variable


def check_rate(value, where):
    """Validate a numeric learning rate: a non-negative real number.

    Args:
        value: the rate to check.
        where: the caller's name, for the error message.

    Returns:
        The rate as a float.

    Raises:
        ValueError: for a negative, non-numeric or boolean rate.

    Example:
        >>> check_rate(0.01, "SGD")
        0.01
    """
    if isinstance(value, bool) or not isinstance(value, Real) or not value >= 0:
        raise ValueError(
            f"{where}: learning_rate must be a non-negative number or a "
            f"LearningRateSchedule, received {value!r}."
        )
    return float(value)


def check_hyper(where, name, value, low=0.0, high=None, below_high=False):
    """Validate a hyper-parameter up front: a number in ``[low, high]`` (or ``[low, high)``).

    Args:
        where: the caller's name, for the error message.
        name: the hyper-parameter's name.
        value: the value to check.
        low: the smallest allowed value.
        high: the largest allowed value (None: no upper bound).
        below_high: exclude ``high`` itself.

    Returns:
        ``value`` unchanged.

    Raises:
        ValueError: when ``value`` is not a number in the range.

    Example:
        >>> check_hyper("Adam", "beta_1", 0.9, 0.0, 1.0, below_high=True)
        0.9
    """
    ok = not isinstance(value, bool) and isinstance(value, Real) and value >= low
    if ok and high is not None:
        ok = value < high if below_high else value <= high
    if not ok:
        upper = "" if high is None else f", {high}{')' if below_high else ']'}"
        span = f"[{low}{upper}" if high is not None else f">= {low}"
        raise ValueError(f"{where}: {name} must be a number in {span}, received {value!r}.")
    return value


def check_clipping(where, clipnorm, clipvalue, global_clipnorm):
    """Validate the clipping arguments: at most one set, and that one positive.

    Args:
        where: the optimizer's class name, for messages.
        clipnorm: the per-gradient norm limit, or None.
        clipvalue: the per-element limit, or None.
        global_clipnorm: the global norm limit, or None.

    Raises:
        ValueError: when more than one is set, or the one set is not a positive number.

    Example:
        >>> check_clipping("SGD", 1.0, None, None)
    """
    clips = {"clipnorm": clipnorm, "clipvalue": clipvalue, "global_clipnorm": global_clipnorm}
    given = {k: v for k, v in clips.items() if v is not None}
    if len(given) > 1:
        raise ValueError(f"{where}: only one of clipnorm, clipvalue and global_clipnorm can "
                         f"be set, received {given}.")
    for key, value in given.items():
        if isinstance(value, bool) or not isinstance(value, Real) or not value > 0:
            raise ValueError(f"{where}: {key} must be a positive number, received {value!r}.")


def checked_pairs(where, grads, variables):
    """Validate gradients against their variables before anything changes.

    Pairs whose gradient is None are dropped with a warning (Keras does the same).

    Args:
        where: the optimizer's class name, for messages.
        grads: gradients (Tensors, arrays or None), one per variable.
        variables: the Variables to update.

    Returns:
        ``(arrays, variables)``: gradient arrays in each variable's dtype, and the
        variables they belong to.

    Raises:
        ValueError: on a length or shape mismatch, or when every gradient is None.
        TypeError: when a target is not a Variable, or a gradient is not real numbers.

    Example:
        >>> w = myelin.Variable([1.0])
        >>> checked_pairs("SGD", [np.ones(1)], [w])[0][0]
        array([1.], dtype=float32)
    """
    if len(grads) != len(variables):
        raise ValueError(f"{where}: received {len(grads)} gradients for "
                         f"{len(variables)} variables.")
    kept, missing = [], []
    for grad, var in zip(grads, variables, strict=True):
        if not isinstance(var, Variable):
            raise TypeError(f"{where}: expected Variables to update, received "
                            f"{type(var).__name__}.")
        if grad is None:
            missing.append(var.name)
            continue
        array = np.asarray(grad._data if isinstance(grad, Tensor) else grad)
        if array.dtype.kind not in "biuf":  # strings, objects, complex: no real step
            raise TypeError(f"{where}: the gradient for variable '{var.name}' has dtype "
                            f"{array.dtype}; expected real numbers like the variable's "
                            f"{var.dtype}.")
        if array.shape != var.shape:
            raise ValueError(f"{where}: the gradient for variable '{var.name}' has shape "
                             f"{array.shape}, expected the variable's shape {var.shape}.")
        kept.append((array.astype(var.dtype, copy=False), var))
    if not kept:
        raise ValueError(f"{where}: no gradients provided for any variable: {missing}. "
                         f"Check that the loss depends on the variables.")
    if missing:
        warnings.warn(f"{where}: gradients do not exist for variables {missing} when "
                      f"minimizing the loss; they are left unchanged.", stacklevel=3)
    return [g for g, _ in kept], [v for _, v in kept]


def clip(grads, clipnorm=None, clipvalue=None, global_clipnorm=None):
    """Clip gradient arrays as Keras 3 does (at most one of the three is set).

    Args:
        grads: the gradient arrays.
        clipnorm: scale each gradient down to at most this L2 norm.
        clipvalue: clip each element to ``[-clipvalue, clipvalue]``.
        global_clipnorm: scale all gradients together to at most this global norm.

    Returns:
        New arrays when clipping applies, else ``grads`` itself.

    Example:
        >>> clip([np.array([3.0, 4.0])], clipnorm=1.0)
        [array([0.6, 0.8])]
    """
    if clipnorm:
        return [g * (clipnorm / max(float(np.linalg.norm(g)), clipnorm)) for g in grads]
    if global_clipnorm:
        norm = float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads)))
        # a non-finite norm makes the scale NaN, as in Keras: the step is visibly bad
        scale = global_clipnorm / max(norm, global_clipnorm) + (norm - norm)
        return [g * scale for g in grads]
    if clipvalue:
        return [np.clip(g, -clipvalue, clipvalue) for g in grads]
    return grads
