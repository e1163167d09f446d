"""AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2019)."""

from .adam import Adam


class AdamW(Adam):
    """Adam whose weights also shrink by ``weight_decay * learning_rate`` each step.

    The decay is decoupled from the gradient, as in Keras 3: before Adam's update,
    ``w -= w * weight_decay * lr`` for every variable not exempted with
    ``exclude_from_weight_decay``; the moments never see the decay.

    Args:
        learning_rate: float or schedule (default 0.001).
        weight_decay: the decay rate (default 0.004); must be a number.
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: added to the denominator (default 1e-7).
        amsgrad: use the AMSGrad variant.
        **kwargs: ``name``, ``clipnorm``, ``clipvalue``, ``global_clipnorm``.

    Example:
        >>> opt = AdamW(learning_rate=1e-3, weight_decay=1e-4)
        >>> opt.exclude_from_weight_decay(var_names=["bias"])
    """

    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, **kwargs):
        if weight_decay is None:
            raise ValueError("AdamW: weight_decay must be a number, received None. Use "
                             "Adam for no weight decay.")
        super().__init__(learning_rate, beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                         amsgrad=amsgrad, weight_decay=weight_decay, **kwargs)
