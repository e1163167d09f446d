"""Background work for a pipeline: prefetching in a thread and parallel ``map``.

A prefetch thread runs the upstream pipeline (file reads, gathers, ``map``) while the
caller trains on the previous batch; NumPy's BLAS releases the GIL, so the two
overlap. The queue is bounded, so memory stays within ``buffer_size`` elements.
"""

import collections
import queue
import threading
from concurrent.futures import ThreadPoolExecutor

from .base import Unary, check_count
from .spec import AUTOTUNE

AUTOTUNE_BUFFER = 2  # elements prefetched for AUTOTUNE: enough to hide one slow batch
_END = object()


class _Failure:
    """An exception raised in the producer thread, re-raised to the consumer."""

    def __init__(self, error):
        self.error = error


def _put(q, item, stop):
    while not stop.is_set():
        try:
            q.put(item, timeout=0.1)
            return True
        except queue.Full:
            continue
    return False


def background(iterator, buffer_size):
    """``iterator``'s items, produced up to ``buffer_size`` ahead by a daemon thread.

    Closing the returned generator (or dropping it) stops the thread.

    Example:
        >>> for batch in background(iter(batches), 2): ...
    """
    items = queue.Queue(maxsize=buffer_size)
    stop = threading.Event()

    def produce():
        final = _END
        try:
            for item in iterator:
                if not _put(items, item, stop):
                    return
        except BaseException as error:  # handed to the consumer, raised there
            final = _Failure(error)
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()
        _put(items, final, stop)

    thread = threading.Thread(target=produce, name="myelin-prefetch", daemon=True)
    thread.start()
    return _consume(items, stop)


def _consume(items, stop):
    try:
        while True:
            item = items.get()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stop.set()  # the producer notices within 0.1 s and exits


def parallel_map(fn, items, workers):
    """``map(fn, items)`` computed by ``workers`` threads, in order, a few ahead."""
    pool = ThreadPoolExecutor(workers, thread_name_prefix="myelin-map")
    pending = collections.deque()
    try:
        for item in items:
            pending.append(pool.submit(fn, item))
            if len(pending) >= 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class Prefetch(Unary):
    """Elements produced ahead by a thread: see ``Dataset.prefetch``."""

    def __init__(self, upstream, buffer_size):
        super().__init__(upstream)
        size = check_count(buffer_size, "buffer_size", "Dataset.prefetch", minimum=AUTOTUNE)
        self._size = AUTOTUNE_BUFFER if size == AUTOTUNE else size

    def _first(self):
        return self._upstream._first()

    def _iter(self):
        # The upstream iterator is created here, on the caller's thread: nodes that
        # draw random numbers when a pass starts do so in a reproducible order.
        elements = self._upstream._iter()
        return elements if self._size == 0 else background(elements, self._size)
