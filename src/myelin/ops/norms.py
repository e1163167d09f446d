"""Euclidean norms and clipping by norm (``tf.norm``, ``tf.clip_by_norm``).

Both are compositions of differentiable ops, so their gradients (of any order)
come from the ops they are made of; the gradient penalty of WGAN-GP,
``||grad_x D(x)||``, is a ``norm`` of a gradient.
"""

from ..autodiff import convert_to_tensor
from . import elementwise as ew
from .reduce import reduce_sum


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):
    """The Euclidean (2-) norm over ``axis`` (all elements when None).

    Args:
        tensor: a float tensor.
        ord: ``"euclidean"`` or ``2`` (the only norm supported).
        axis: None, an axis or a list of axes.
        keepdims: keep the reduced axes with size 1.

    Returns:
        ``sqrt(sum(tensor ** 2))`` over ``axis``.

    Raises:
        ValueError: for another ``ord``.

    Example:
        >>> norm(constant([3.0, 4.0])).numpy()
        5.0
    """
    if ord not in ("euclidean", 2, 2.0, "fro"):
        raise ValueError(
            f"norm: ord={ord!r} is not supported; use 'euclidean' (the default, also 2)."
        )
    x = convert_to_tensor(tensor)
    return ew.sqrt(reduce_sum(ew.square(x), axis=axis, keepdims=bool(keepdims)))


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """``t`` scaled down so that its L2 norm over ``axes`` is at most ``clip_norm``.

    Computes ``t * clip_norm / maximum(norm(t), clip_norm)``, as TensorFlow does.

    Args:
        t: a float tensor.
        clip_norm: the largest norm allowed (> 0).
        axes: the axes the norm is taken over (all when None).

    Returns:
        The clipped tensor, shaped like ``t``.

    Raises:
        ValueError: when ``clip_norm`` is not positive.

    Example:
        >>> clip_by_norm(constant([3.0, 4.0]), 1.0).numpy()
        array([0.6, 0.8], dtype=float32)
    """
    x = convert_to_tensor(t)
    if float(clip_norm) <= 0:
        raise ValueError(f"clip_by_norm: clip_norm must be > 0, received {clip_norm}.")
    l2 = norm(x, axis=axes, keepdims=True)
    return x * clip_norm / ew.maximum(l2, clip_norm)
