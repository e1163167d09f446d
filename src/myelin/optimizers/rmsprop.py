"""RMSprop: divide the gradient by a running root mean square of recent gradients."""

import numpy as np

from .optimizer import Optimizer, check_hyper


class RMSprop(Optimizer):
    """RMSprop with Keras 3's update rule.

    ``v = rho * v + (1 - rho) * g**2``; centered also tracks
    ``a = rho * a + (1 - rho) * g`` and uses ``v - a**2``;
    ``step = lr * g / sqrt(v (- a**2) + epsilon)``; with momentum
    ``mom = momentum * mom + step`` and ``w -= mom``, else ``w -= step``.

    Args:
        learning_rate: float or schedule (default 0.001).
        rho: discount of the squared-gradient average (default 0.9).
        momentum: default 0.0.
        epsilon: added inside the square root (default 1e-7).
        centered: normalize by the estimated variance instead of the second moment.
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = RMSprop(learning_rate=0.001, rho=0.9)
    """

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7,
                 centered=False, **kwargs):
        self.rho = check_hyper("RMSprop", "rho", rho, 0.0, 1.0)
        self.momentum = check_hyper("RMSprop", "momentum", momentum, 0.0, 1.0)
        self.epsilon = check_hyper("RMSprop", "epsilon", epsilon)
        self.centered = bool(centered)
        super().__init__(learning_rate, **kwargs)

    def slot_names(self):
        return ("velocity",) + (("momentum",) if self.momentum else ()) + (
            ("average_gradient",) if self.centered else ())

    def update_step(self, grad, var, lr):
        v, tmp = self.slot(var, "velocity"), self.scratch(var)
        v *= self.rho
        np.square(grad, out=tmp)
        tmp *= 1 - self.rho
        v += tmp
        if self.centered:
            avg = self.slot(var, "average_gradient")
            avg *= self.rho
            np.multiply(grad, 1 - self.rho, out=tmp)
            avg += tmp
            np.square(avg, out=tmp)
            np.subtract(v, tmp, out=tmp)
            tmp += self.epsilon
        else:
            np.add(v, self.epsilon, out=tmp)
        np.sqrt(tmp, out=tmp)
        np.divide(grad, tmp, out=tmp)
        tmp *= lr
        if self.momentum:
            mom = self.slot(var, "momentum")
            mom *= self.momentum
            mom += tmp
            var._data -= mom
        else:
            var._data -= tmp

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
