"""Which tapes are recording, and which tensors they track.

An op is recorded when at least one tape is recording and one of its inputs is
tracked: produced by a recorded op, explicitly watched, or a trainable Variable
(while a tape watches accessed variables, TensorFlow's default).
"""

from contextlib import contextmanager

from .tensor import Variable

_tapes = []  # active tapes, innermost last
_paused = [0]


def active():
    return bool(_tapes) and not _paused[0]


def tracked(t):
    if t._node is not None:
        return True
    if isinstance(t, Variable) and t.trainable and any(
            tape._watch_accessed_variables for tape in _tapes):
        return True
    return any(id(t) in tape._watched for tape in _tapes)


def push(tape):
    _tapes.append(tape)


def pop(tape):
    _tapes.remove(tape)


@contextmanager
def paused():
    """Run a block without recording anything (``no_grad``; ``tape.stop_recording``)."""
    _paused[0] += 1
    try:
        yield
    finally:
        _paused[0] -= 1
