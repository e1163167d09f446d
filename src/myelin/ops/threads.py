"""Split a kernel's elementwise NumPy work over the batch, one slice per CPU core.

NumPy releases the GIL inside its loops, so slices of one large copy, comparison or
strided add run in parallel threads; BLAS products are left to BLAS's own threads and
are never called from here. Small arrays stay on the calling thread (a hand-off
costs tens of microseconds).
"""

import os
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (
    os.cpu_count() or 1)
_MIN_ELEMENTS = 1 << 18  # below ~1 MB of float32 the hand-off costs more than it saves
_pool = None


def _forget_pool():
    # A forked child inherits the pool object but not its threads: it must make its own.
    global _pool
    _pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def over_batch(fn, batch, elements):
    """Call ``fn(batch_slice)`` for slices covering ``range(batch)``, in parallel.

    Args:
        fn: writes its results for the samples of one slice; the slices are disjoint.
        batch: the number of samples.
        elements: the size of the work (elements touched), to skip threads when small.
    """
    parts = min(_CORES, batch) if elements >= _MIN_ELEMENTS else 1
    if parts <= 1:
        fn(slice(0, batch))
        return
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(_CORES - 1, thread_name_prefix="myelin-batch")
    bounds = [batch * k // parts for k in range(parts + 1)]
    slices = [slice(a, b) for a, b in pairwise(bounds)]
    futures = [_pool.submit(fn, s) for s in slices[1:]]
    fn(slices[0])  # the calling thread takes the first slice itself
    for future in futures:
        future.result()
