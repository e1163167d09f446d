"""Which tapes are recording, and which tensors they track (per thread, as in TF).

An op is recorded when at least one tape of the current thread is recording and
one of its inputs is tracked: produced by a recorded op, explicitly watched, or a
trainable Variable (while a tape watches accessed variables, TensorFlow's default).
Tapes are per thread: a tape opened in one thread records nothing another thread does.
"""

import threading
from contextlib import ContextDecorator

from .tensor import Variable


class _ThreadState(threading.local):
    def __init__(self):
        self.tapes = []  # active tapes (and forward accumulators), innermost last
        self.paused = 0
        self.on = False  # tapes and not paused: one lookup for the per-op check

    def update(self):
        self.on = bool(self.tapes) and not self.paused


_state = _ThreadState()


def active():
    """Whether ops run now are recorded (some recorder open, recording not paused)."""
    return _state.on


def tracked(t):
    """Whether an op taking ``t`` must be recorded (``t`` is watched or depends on it)."""
    if t._node is not None:
        return True
    tapes = _state.tapes
    if isinstance(t, Variable) and t.trainable and any(
            tape._watch_accessed_variables for tape in tapes):
        return True
    return any(id(t) in tape._watched for tape in tapes)


def push(tape):
    """Start recording on ``tape``. Tapes that overlap in time record one shared graph,
    so none of them may free it after its own gradient: mark them all shared."""
    tapes = _state.tapes
    if tapes:
        tape._shared = True
        for other in tapes:
            other._shared = True
    tapes.append(tape)
    _state.update()


def pop(tape):
    """Stop recording on ``tape`` (a no-op when it already stopped)."""
    if tape in _state.tapes:
        _state.tapes.remove(tape)
        _state.update()


def is_recording(tape):
    """Whether ``tape`` is on this thread's stack of open recorders."""
    return tape in _state.tapes


class Recorder:
    """Base of what records while its context is open (GradientTape,
    ForwardAccumulator, the private watchers of composite rules)."""

    _watch_accessed_variables = False
    _shared = False  # set by push when another recorder overlaps: never free the graph

    def __enter__(self):
        push(self)
        return self

    def __exit__(self, *exc):
        pop(self)
        return False


class paused(ContextDecorator):  # lower case: called like the function it replaced
    """Run a block without recording anything (``no_grad``; ``tape.stop_recording``).

    A class, not a generator-based context manager: predictions and metric updates
    enter it on every call, and a generator costs several times more per ``with``.
    """

    def __enter__(self):
        _state.paused += 1
        _state.on = False

    def __exit__(self, *exc):
        _state.paused -= 1
        _state.update()
        return False
