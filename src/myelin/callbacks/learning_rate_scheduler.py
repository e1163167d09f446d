"""LearningRateScheduler: set the learning rate at the start of every epoch."""

from numbers import Real

from .callback import Callback


class LearningRateScheduler(Callback):
    """Set ``optimizer.learning_rate = schedule(epoch, lr)`` before each epoch.

    Args:
        schedule: ``f(epoch, lr) -> new lr`` (epoch is 0-based); a one-argument
            ``f(epoch)`` also works.
        verbose: 1 prints each new rate.

    Example:
        >>> def schedule(epoch, lr):
        ...     return lr if epoch < 10 else lr * 0.9
        >>> model.fit(x, y, epochs=15, callbacks=[LearningRateScheduler(schedule)])
    """

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule, self.verbose = schedule, verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        try:
            rate = self.schedule(epoch, float(optimizer.learning_rate))
        except TypeError:  # the older one-argument form
            rate = self.schedule(epoch)
        if isinstance(rate, bool) or not isinstance(rate, Real):
            raise ValueError(f"LearningRateScheduler: the schedule must return a float, "
                             f"received {rate!r} for epoch {epoch}.")
        optimizer.learning_rate = float(rate)
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{float(rate)}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(self.model.optimizer.learning_rate)
