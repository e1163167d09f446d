"""TF 1's ``tf.nn``: TF 2's functions plus the TF-1 forms that changed meaning.

``softmax_cross_entropy_with_logits`` is TF 1's: no gradient flows into ``labels``
(``_v2`` is TF 2's, which differentiates both). ``in_top_k`` accepts TF 1's argument
order ``(predictions, targets, k)`` as well as TF 2's.
"""

from ...nn import *  # noqa: F403  (the TF 2 namespace, unchanged)
from ...nn import __all__ as _nn_all
from ...nn import softmax_cross_entropy_with_logits as softmax_cross_entropy_with_logits_v2
from .ops import stop_gradient


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """Per-example cross-entropy of ``logits`` against the distributions ``labels``;
    as in TF 1 the labels get no gradient.

    Example:
        >>> cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(
        ...     logits=prediction, labels=y))
    """
    if _sentinel is not None:
        raise ValueError("softmax_cross_entropy_with_logits: pass labels and logits by "
                         "name: softmax_cross_entropy_with_logits(labels=y, logits=z).")
    if labels is not None:
        labels = stop_gradient(labels)
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits,
                                                axis=dim if axis is None else axis)


__all__ = [*_nn_all, "softmax_cross_entropy_with_logits_v2"]
