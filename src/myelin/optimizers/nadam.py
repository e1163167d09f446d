"""Nadam: Adam with Nesterov momentum and Keras 3's momentum schedule."""

import numpy as np

from .. import backend
from ..autodiff import Variable
from .adam import update_moments
from .optimizer import Optimizer, check_hyper

_DECAY = 0.96  # Keras's momentum-schedule base: u_t = beta_1 * (1 - 0.5 * 0.96**t)


class Nadam(Optimizer):
    """Nadam with Keras 3's update rule.

    With ``u_t = beta_1 * (1 - 0.5 * 0.96**t)`` and ``P_t = u_1 * ... * u_t`` (kept in
    the ``u_product`` variable): ``m += (g - m) * (1 - beta_1)``,
    ``v += (g**2 - v) * (1 - beta_2)``,
    ``m_hat = u_{t+1} * m / (1 - P_t * u_{t+1}) + (1 - u_t) * g / (1 - P_t)``,
    ``w -= lr * m_hat / (sqrt(v / (1 - beta_2**t)) + epsilon)``.

    Args:
        learning_rate: float or schedule (default 0.001).
        beta_1: decay of the first moment (default 0.9).
        beta_2: decay of the second moment (default 0.999).
        epsilon: added to the denominator (default 1e-7).
        **kwargs: ``name``, ``weight_decay``, ``clipnorm``, ``clipvalue``,
            ``global_clipnorm``.

    Example:
        >>> opt = Nadam(learning_rate=0.002)
    """

    scratch_buffers = 2

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7,
                 **kwargs):
        self.beta_1 = check_hyper("Nadam", "beta_1", beta_1, 0.0, 1.0, below_high=True)
        self.beta_2 = check_hyper("Nadam", "beta_2", beta_2, 0.0, 1.0, below_high=True)
        self.epsilon = check_hyper("Nadam", "epsilon", epsilon)
        super().__init__(learning_rate, **kwargs)
        self._u_product = Variable(np.ones((), dtype=backend.floatx()), trainable=False,
                                   name="u_product")
        self._own_variables.append(self._u_product)  # saved and restored with the slots

    def slot_names(self):
        return ("momentum", "velocity")

    def _u(self, t):
        return self.beta_1 * (1.0 - 0.5 * _DECAY ** t)

    def _step(self, grads, variables):
        # the schedule's product advances once per step, before any variable moves
        self._u_product._data *= self._u(int(self.iterations._data) + 1)
        return super()._step(grads, variables)

    def update_step(self, grad, var, lr):
        t = int(self.iterations._data) + 1
        u_t, u_next = self._u(t), self._u(t + 1)
        product = float(self._u_product._data)
        m, v = self.slot(var, "momentum"), self.slot(var, "velocity")
        tmp, part = self.scratch(var, 0), self.scratch(var, 1)
        update_moments(grad, m, v, tmp, self.beta_1, self.beta_2)
        np.multiply(m, u_next / (1 - product * u_next), out=tmp)
        np.multiply(grad, (1 - u_t) / (1 - product), out=part)
        tmp += part  # m_hat
        np.divide(v, 1 - self.beta_2 ** t, out=part)
        np.sqrt(part, out=part)
        part += self.epsilon
        tmp /= part
        tmp *= lr
        var._data -= tmp

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
