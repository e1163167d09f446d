"""Learning-rate schedules: ``schedule(step) -> learning rate``, as in Keras 3.

An optimizer given a schedule evaluates it at its ``iterations`` count before each
update.

Example:
    >>> lr = ExponentialDecay(0.1, decay_steps=100, decay_rate=0.5)
    >>> float(lr(100))
    0.05
"""

import math

from .._lookup import from_config, to_config


class LearningRateSchedule:
    """Base class: subclasses implement ``__call__(step)`` and ``get_config``."""

    def __call__(self, step):
        raise NotImplementedError

    def get_config(self):
        raise NotImplementedError

    @classmethod
    def from_config(cls, config):
        return cls(**config)


def _positive(value, what, where):
    if not value > 0:
        raise ValueError(f"{where}: {what} must be positive, received {value!r}.")


class _Decay(LearningRateSchedule):
    """Shared arguments of the decays driven by ``p = step / decay_steps``."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name=None):
        _positive(decay_steps, "decay_steps", type(self).__name__)
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps, self.decay_rate = decay_steps, decay_rate
        self.staircase, self.name = staircase, name or type(self).__name__

    def _progress(self, step):
        p = float(step) / self.decay_steps
        return math.floor(p) if self.staircase else p

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "decay_rate": self.decay_rate,
                "staircase": self.staircase, "name": self.name}


class ExponentialDecay(_Decay):
    """``initial_learning_rate * decay_rate ** (step / decay_steps)``.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps over which the rate is multiplied by ``decay_rate``.
        decay_rate: the multiplier per ``decay_steps``.
        staircase: decay in whole periods (``step // decay_steps``).
    """

    def __call__(self, step):
        return self.initial_learning_rate * self.decay_rate ** self._progress(step)


class InverseTimeDecay(_Decay):
    """``initial_learning_rate / (1 + decay_rate * step / decay_steps)``."""

    def __call__(self, step):
        return self.initial_learning_rate / (1 + self.decay_rate * self._progress(step))


class PiecewiseConstantDecay(LearningRateSchedule):
    """``values[i]`` while ``boundaries[i-1] < step <= boundaries[i]``.

    Example:
        >>> s = PiecewiseConstantDecay([100], [1.0, 0.5])
        >>> s(100), s(101)
        (1.0, 0.5)
    """

    def __init__(self, boundaries, values, name="PiecewiseConstant"):
        if len(values) != len(boundaries) + 1:
            raise ValueError(
                f"PiecewiseConstantDecay: expected len(values) == len(boundaries) + 1, "
                f"received {len(values)} values and {len(boundaries)} boundaries."
            )
        self.boundaries, self.values, self.name = list(boundaries), list(values), name

    def __call__(self, step):
        step = float(step)
        for boundary, value in zip(self.boundaries, self.values, strict=False):
            if step <= boundary:
                return value
        return self.values[-1]

    def get_config(self):
        return {"boundaries": self.boundaries, "values": self.values, "name": self.name}


class PolynomialDecay(LearningRateSchedule):
    """From ``initial_learning_rate`` to ``end_learning_rate`` along a power curve.

    ``(initial - end) * (1 - step / decay_steps) ** power + end``, with ``step``
    capped at ``decay_steps``; with ``cycle=True`` the horizon grows instead to the
    first multiple of ``decay_steps`` past ``step`` (so the rate rises again).

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: steps to reach ``end_learning_rate`` (> 0).
        end_learning_rate: the final rate (default 0.0001).
        power: the curve's exponent (default 1.0, linear).
        cycle: restart the decay past ``decay_steps``.
        name: optional name.

    Example:
        >>> s = PolynomialDecay(0.1, 10, end_learning_rate=0.0)
        >>> round(s(5), 6)
        0.05
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001,
                 power=1.0, cycle=False, name="PolynomialDecay"):
        _positive(decay_steps, "decay_steps", "PolynomialDecay")
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.end_learning_rate, self.power = end_learning_rate, power
        self.cycle, self.name = cycle, name

    def __call__(self, step):
        step, horizon = float(step), float(self.decay_steps)
        if self.cycle:
            horizon *= math.ceil(step / horizon) if step > 0 else 1.0
        else:
            step = min(step, horizon)
        span = self.initial_learning_rate - self.end_learning_rate
        return span * (1 - step / horizon) ** self.power + self.end_learning_rate

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "end_learning_rate": self.end_learning_rate,
                "power": self.power, "cycle": self.cycle, "name": self.name}


def _cosine(fraction, alpha):
    """Keras's cosine factor: from 1 at ``fraction=0`` down to ``alpha`` at 1."""
    return (1 - alpha) * 0.5 * (1.0 + math.cos(math.pi * fraction)) + alpha


class CosineDecay(LearningRateSchedule):
    """A cosine decay, optionally after a linear warmup (Keras 3's schedule).

    Without warmup: ``initial * ((1 - alpha) * 0.5 * (1 + cos(pi * s / decay_steps))
    + alpha)`` with ``s = min(step, decay_steps)``. With ``warmup_target``, the rate
    first rises linearly from ``initial_learning_rate`` to ``warmup_target`` over
    ``warmup_steps``, then decays from ``warmup_target`` as above.

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: length of the cosine decay (> 0).
        alpha: the final rate as a fraction of the decay's starting rate (default 0).
        name: optional name.
        warmup_target: the rate reached by the warmup; None for no warmup.
        warmup_steps: length of the warmup (default 0).

    Example:
        >>> s = CosineDecay(0.0, 100, warmup_target=0.1, warmup_steps=10)
        >>> round(s(5), 6), round(s(10), 6), round(s(110), 6)
        (0.05, 0.1, 0.0)
    """

    def __init__(self, initial_learning_rate, decay_steps, alpha=0.0, name="CosineDecay",
                 warmup_target=None, warmup_steps=0):
        _positive(decay_steps, "decay_steps", "CosineDecay")
        self.initial_learning_rate, self.decay_steps = initial_learning_rate, decay_steps
        self.alpha, self.name = alpha, name
        self.warmup_target, self.warmup_steps = warmup_target, warmup_steps

    def __call__(self, step):
        step = float(step)
        if self.warmup_target is None:
            fraction = min(step, self.decay_steps) / self.decay_steps
            return self.initial_learning_rate * _cosine(fraction, self.alpha)
        step = min(step, self.decay_steps + self.warmup_steps)
        if step < self.warmup_steps:
            rise = self.warmup_target - self.initial_learning_rate
            return rise * (step / self.warmup_steps) + self.initial_learning_rate
        fraction = (step - self.warmup_steps) / self.decay_steps
        return self.warmup_target * _cosine(fraction, self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "decay_steps": self.decay_steps, "alpha": self.alpha, "name": self.name,
                "warmup_target": self.warmup_target, "warmup_steps": self.warmup_steps}


class CosineDecayRestarts(LearningRateSchedule):
    """Cosine decay with warm restarts (SGDR, Loshchilov & Hutter 2016).

    The first period lasts ``first_decay_steps``; each next one is ``t_mul`` times
    longer and starts from ``m_mul`` times the previous peak. Within a period the
    factor falls as ``(1 - alpha) * 0.5 * (1 + cos(pi * fraction)) + alpha``.

    Args:
        initial_learning_rate: the first peak.
        first_decay_steps: length of the first period (> 0).
        t_mul: growth of each period's length (default 2.0).
        m_mul: scale of each period's peak (default 1.0).
        alpha: the floor as a fraction of ``initial_learning_rate`` (default 0).
        name: optional name.

    Example:
        >>> s = CosineDecayRestarts(1.0, 10)
        >>> s(0), round(s(10), 6), round(s(20), 6)
        (1.0, 1.0, 0.5)
    """

    def __init__(self, initial_learning_rate, first_decay_steps, t_mul=2.0, m_mul=1.0,
                 alpha=0.0, name="SGDRDecay"):
        _positive(first_decay_steps, "first_decay_steps", "CosineDecayRestarts")
        _positive(t_mul, "t_mul", "CosineDecayRestarts")
        self.initial_learning_rate, self.first_decay_steps = (initial_learning_rate,
                                                              first_decay_steps)
        self.t_mul, self.m_mul, self.alpha, self.name = t_mul, m_mul, alpha, name

    def __call__(self, step):
        fraction = float(step) / self.first_decay_steps
        if self.t_mul == 1.0:
            restart = math.floor(fraction)
            fraction -= restart
        else:
            # periods 1, t, t**2 ...: the restart index solves a geometric sum
            restart = math.floor(math.log(1.0 - fraction * (1.0 - self.t_mul))
                                 / math.log(self.t_mul))
            done = (1.0 - self.t_mul ** restart) / (1.0 - self.t_mul)
            fraction = (fraction - done) / self.t_mul ** restart
        peak = self.m_mul ** restart
        decayed = (1 - self.alpha) * peak * 0.5 * (1.0 + math.cos(math.pi * fraction))
        return self.initial_learning_rate * (decayed + self.alpha)

    def get_config(self):
        return {"initial_learning_rate": self.initial_learning_rate,
                "first_decay_steps": self.first_decay_steps, "t_mul": self.t_mul,
                "m_mul": self.m_mul, "alpha": self.alpha, "name": self.name}


_SCHEDULES = {c.__name__: c for c in (ExponentialDecay, InverseTimeDecay,
                                      PiecewiseConstantDecay, PolynomialDecay, CosineDecay,
                                      CosineDecayRestarts)}


def serialize(schedule):
    """``{"class_name": ..., "config": ...}`` for a built-in schedule."""
    return to_config(schedule)


def deserialize(config):
    """Rebuild a schedule from ``serialize``'s output (built-in names only)."""
    return from_config(config, _SCHEDULES, "learning rate schedule")
