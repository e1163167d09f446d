"""What ``fit`` keeps when training is interrupted, fails or diverges.

Keras 3 lets a KeyboardInterrupt, an exception or a NaN loss leave the weights
wherever they were. myelin chooses what loses the user nothing:

* Ctrl-C (SIGINT) is deferred while a training step runs, then raised at the batch
  boundary: every variable holds the result of the last completed step (never a
  half-applied update) and ``model.history`` holds the completed epochs. The
  KeyboardInterrupt still propagates, as in Keras, so a script stops. A second
  Ctrl-C during the same step raises at once (an escape hatch for a hung step).
* An exception (a user callback, a ``MemoryError``) restores the state at the end
  of the last completed epoch, or before ``fit`` if none completed.
* A NaN/inf loss (or non-finite weights at an epoch end) stops training and restores
  the end of the last finite epoch, or the start of ``fit``.
"""

import contextlib
import signal
import threading

from .. import backend

_CLAIM = threading.Lock()  # makes "is this model already training?" check-and-set atomic


class _Deferral:
    """The SIGINT state of the fit running in the main thread (signals go only there)."""

    owner = None  # thread ident of the fit whose steps are protected
    in_step = False
    pending = False
    last = None  # (epoch, step) of the last completed training step


_STATE = _Deferral()


def _handler(signum, frame):
    if _STATE.in_step and not _STATE.pending:
        _STATE.pending = True  # raised by end_step, once the update is complete
        return
    raise KeyboardInterrupt


@contextlib.contextmanager
def deferred_interrupts():
    """Defer SIGINT to batch boundaries for the duration of one ``fit`` (main thread,
    and only while Python's default handler is installed: a user's own handler wins)."""
    if (threading.current_thread() is not threading.main_thread()
            or signal.getsignal(signal.SIGINT) is not signal.default_int_handler
            or _STATE.owner is not None):
        yield
        return
    _STATE.owner, _STATE.in_step, _STATE.pending = threading.get_ident(), False, False
    previous = signal.signal(signal.SIGINT, _handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        _STATE.owner, _STATE.in_step, _STATE.pending = None, False, False


def begin_step():
    """Mark the start of an update that a Ctrl-C must not cut in half."""
    if _STATE.owner == threading.get_ident():
        _STATE.in_step = True


def end_step(epoch, step):
    """Mark a completed update; raise a Ctrl-C that arrived during it."""
    if _STATE.owner != threading.get_ident():
        return
    _STATE.in_step = False
    _STATE.last = (epoch, step)
    if _STATE.pending:
        _STATE.pending = False
        raise KeyboardInterrupt


def add_note(error, text):
    if hasattr(error, "add_note"):  # Python 3.11+
        error.add_note(text)


class FitGuard:
    """The state ``fit`` falls back to: the start of fit, then each finite epoch end."""

    def __init__(self, model):
        with _CLAIM:
            if getattr(model, "_fit_running", False):
                raise RuntimeError(
                    f"fit: model '{model.name}' is already training (fit() was called from "
                    f"another thread or from one of its callbacks). Wait for the running "
                    f"fit() to return, or train another model instance.")
            model._fit_running = True
        self.model = model
        try:
            self.snapshot = model._snapshot()
        except BaseException:
            self.release()
            raise
        self.epoch = None  # the epoch whose end the snapshot holds; None: start of fit
        _STATE.last = None

    def release(self):
        """Let the model be trained again (fit has returned or raised)."""
        self.model._fit_running = False

    def epoch_done(self, epoch):
        """Remember the end of ``epoch`` if its weights are finite; False if not."""
        if not all(backend.all_finite(w._data) for w in self.snapshot[0]):
            return False
        self.snapshot, self.epoch = self.model._snapshot(self.snapshot), epoch
        return True

    def where(self):
        if self.epoch is None:
            return "their values before fit()"
        return f"their values at the end of epoch {self.epoch + 1}"

    def restore_after_failure(self, error):
        self.model._restore(self.snapshot)
        add_note(error, f"myelin: fit() failed, so the weights and the optimizer state were "
                        f"restored to {self.where()} (the last completed epoch); "
                        f"model.history holds the completed epochs.")

    def restore_after_divergence(self, value, epoch, epochs, step):
        """Put back the last finite state; the warning text says which one."""
        self.model._restore(self.snapshot)
        where = (f"at batch {step + 1} of epoch {epoch + 1}/{epochs}" if step is not None
                 else f"in the weights at the end of epoch {epoch + 1}/{epochs}")
        loss = "the weights became non-finite" if value is None else f"the loss became {value}"
        return (f"fit: {loss} {where}; training stopped and the weights and the optimizer "
                f"state were restored to {self.where()}, the last finite state. A learning "
                f"rate that is too high is the usual cause (try a smaller one), or "
                f"inputs/targets with very large values (normalize them).")

    @staticmethod
    def interrupted(error):
        last = _STATE.last
        done = ("no training step had completed" if last is None else
                f"the weights are those after batch {last[1] + 1} of epoch {last[0] + 1}, "
                f"the last completed step")
        add_note(error, f"myelin: fit() was interrupted at a batch boundary; {done}, and "
                        f"model.history holds the completed epochs.")
