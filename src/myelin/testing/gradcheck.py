"""Numerical gradient checking: the test oracle for every differentiable op."""

import numpy as np

from ..autodiff import GradientTape, Tensor, Variable, no_grad
from ..ops.shape import concat, reshape


def _value(fn, inputs, seed, order):
    if order > 1:  # fn computes gradients itself: its tapes must record
        return float(np.sum(np.asarray(fn(*inputs)._data, dtype=np.float64) * seed))
    with no_grad():
        return float(np.sum(np.asarray(fn(*inputs)._data, dtype=np.float64) * seed))


def _seed(shape, level):
    return np.random.default_rng(1234 + level).uniform(0.5, 1.5, shape)


def _first_derivative(fn, level):
    """``x -> concat(d sum(fn(x) * seed) / dx_i)`` over the float inputs: differentiable
    when a tape records around it, so gradcheck of it checks second derivatives."""
    def derivative(*tensors):
        checked = [t for t in tensors if t.dtype.kind == "f"]
        with GradientTape() as tape:
            tape.watch(checked)
            out = fn(*tensors)
        grads = tape.gradient(out, checked, output_gradients=_seed(out.shape, level),
                              unconnected_gradients="zero")
        return concat([reshape(g, [-1]) for g in grads], axis=0)
    return derivative


def gradcheck(fn, *inputs, eps=1e-6, atol=1e-5, rtol=1e-4, seed_grad=None, order=1,
              _level=1):
    """Compare ``fn``'s analytic gradients with central finite differences.

    With ``order=2`` the checked function is the first derivative itself (the
    gradients of ``sum(fn(x) * seed)`` for all float inputs, concatenated), computed
    with a nested tape: its analytic gradient, a second derivative, is compared
    with finite differences of the analytic first derivative; ``order=3`` and up
    recurse the same way.

    Float inputs are copied to float64 Variables; integer and bool inputs (indices,
    labels) are passed through unchanged and not differentiated. The scalar checked
    is ``sum(fn(*inputs) * seed_grad)``, so every output element matters; the seed is
    drawn from a fixed private Generator (the library's random stream is untouched).
    Each input element is nudged by ``+-eps``, so keep inputs small and away from
    kinks (relu at 0, ties in max).

    Args:
        fn: a function of Tensors returning one Tensor.
        *inputs: arrays, numbers or Tensors.
        eps: the finite-difference step.
        atol, rtol: an element passes when ``|analytic - numeric| <= atol + rtol * |numeric|``.
        seed_grad: the output gradient to use (shape of ``fn``'s output); random if None
            (used by order 1 only).
        order: which derivative to check (1: gradients, 2: second derivatives, ...).

    Returns:
        True when every element passes.

    Raises:
        AssertionError: describing the worst element (input and element index, both
            gradients, absolute and relative error).

    Example:
        >>> gradcheck(lambda x: x * x, np.array([1.0, 2.0]))
        True
    """
    if not isinstance(order, int) or order < 1:
        raise ValueError(f"gradcheck: order must be an integer >= 1, received {order!r}.")
    if order > 1:
        return gradcheck(_first_derivative(fn, order), *inputs, eps=eps, atol=atol,
                         rtol=rtol, order=order - 1, _level=order)
    originals = [x._data if isinstance(x, Tensor) else np.asarray(x) for x in inputs]
    tensors = [Variable(x.astype(np.float64)) if x.dtype.kind == "f" else Tensor(x)
               for x in originals]
    checked = [i for i, t in enumerate(tensors) if isinstance(t, Variable)]
    if not checked:
        raise ValueError("gradcheck: no float input to differentiate.")
    with GradientTape() as tape:
        out = fn(*tensors)
    seed = (_seed(out.shape, 0) if seed_grad is None
            else np.broadcast_to(np.asarray(seed_grad, dtype=np.float64), out.shape))
    grads = tape.gradient(out, [tensors[i] for i in checked],
                          output_gradients=seed, unconnected_gradients="zero")
    worst = None
    for i, grad in zip(checked, grads, strict=True):
        data = tensors[i]._data
        analytic = grad._data.astype(np.float64)
        numeric = np.empty_like(data)
        for j in np.ndindex(data.shape):
            saved = data[j]
            data[j] = saved + eps
            plus = _value(fn, tensors, seed, _level)
            data[j] = saved - eps
            minus = _value(fn, tensors, seed, _level)
            data[j] = saved
            numeric[j] = (plus - minus) / (2 * eps)
        excess = np.abs(analytic - numeric) - (atol + rtol * np.abs(numeric))
        if excess.size and (worst is None or excess.max() > worst[0]):
            j = np.unravel_index(int(np.argmax(excess)), excess.shape)
            worst = (float(excess.max()), i, j, analytic[j], numeric[j])
    if worst is not None and worst[0] > 0:
        _, i, j, a, n = worst
        raise AssertionError(
            f"gradcheck: analytic and numeric gradients differ for input {i} at element "
            f"{tuple(int(k) for k in j)}: analytic {a:.8g}, numeric {n:.8g}, abs error "
            f"{abs(a - n):.3g}, rel error {abs(a - n) / max(abs(n), 1e-12):.3g} "
            f"(atol={atol}, rtol={rtol})."
        )
    return True
