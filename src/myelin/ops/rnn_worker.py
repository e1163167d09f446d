"""A helper thread that runs an LSTM call's large products beside its step loop.

The step loop of ``rnn_lstm`` is one Python thread making small single-thread BLAS
calls, so on a machine with two cores the second one idles during it. Work that does
not feed the recurrence (the weights' and the input's gradients of finished groups of
steps, the copy of later inputs into the step operands) can run meanwhile on a second
thread: NumPy and BLAS release the GIL inside their calls.

Jobs run one at a time in submission order, each inside ``backend.one_blas_thread()``
so its products stay on its core, whether on the helper thread or inline. The
arithmetic of a job therefore never depends on the thread timing: partial sums are
added in the order the jobs were submitted.
"""

import queue
import threading

from ..backend import one_blas_thread


def _run(fn, args):
    with one_blas_thread():
        fn(*args)


class Helper:
    """Runs jobs in order on one helper thread (or inline), for one kernel call.

    The thread lives only inside the ``with`` block: leaving it waits for the jobs
    and joins the thread, also when the block raises. A job's exception is raised by
    the next ``wait`` that covers it, or on leaving the block.

    Args:
        threaded: run the jobs on a helper thread; False runs each inline at
            ``submit`` (the same arithmetic, for short calls with nothing to overlap).

    Example:
        >>> out = []
        >>> with Helper(threaded=True) as helper:
        ...     ticket = helper.submit(out.append, 1)
        ...     helper.wait(ticket)
        >>> out
        [1]
    """

    def __init__(self, threaded):
        self.threaded = threaded
        self.submitted = 0
        self.done = 0  # jobs finished, as seen by the calling thread
        self.error = None
        self._thread = None

    def __enter__(self):
        if self.threaded:
            self._jobs, self._finished = queue.SimpleQueue(), queue.SimpleQueue()
            self._thread = threading.Thread(target=self._serve, name="myelin-lstm",
                                            daemon=True)
            self._thread.start()
        return self

    def _serve(self):
        while True:
            job = self._jobs.get()
            if job is None:
                return
            try:
                if self.error is None:  # after a failure the rest are skipped
                    _run(*job)
            except BaseException as error:  # handed to the calling thread
                self.error = error
            self._finished.put(None)

    def submit(self, fn, *args):
        """Queue ``fn(*args)``; returns its ticket for ``wait``.

        Args:
            fn: the job; it must not touch what the caller writes until ``wait``.
            *args: its arguments.

        Returns:
            The job's ticket (its index in submission order).
        """
        if self.threaded:
            self._jobs.put((fn, args))
        else:
            _run(fn, args)
            self.done += 1
        self.submitted += 1
        return self.submitted - 1

    def wait(self, ticket):
        """Block until job ``ticket`` and every earlier job have finished.

        Args:
            ticket: a ticket from ``submit``; a negative one returns at once.

        Raises:
            The first exception a job raised.
        """
        while self.done <= ticket:
            self._finished.get()
            self.done += 1
        if self.error is not None:
            raise self.error

    def __exit__(self, kind, value, trace):
        if self._thread is not None:
            self._jobs.put(None)
            self._thread.join()
            self._thread = None
        if kind is None and self.error is not None:
            raise self.error
        return False
