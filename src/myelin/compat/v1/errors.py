"""TensorFlow's run-time error classes (``tf.errors``), as raised by ``Session.run``."""


class OpError(Exception):
    """Base class of the errors a graph run raises."""


class FailedPreconditionError(OpError, RuntimeError):
    """The run needs state that is not there yet (an uninitialised variable)."""


class InvalidArgumentError(OpError, ValueError):
    """A fed value does not fit its placeholder, or an op refused its input."""


__all__ = ["FailedPreconditionError", "InvalidArgumentError", "OpError"]
