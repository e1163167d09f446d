"""PyDataset (Keras 3's ``keras.utils.PyDataset``, formerly ``Sequence``) and the
loader that runs its ``__getitem__`` ahead of training in threads or processes.

Subclass PyDataset to serve batches from anywhere (files, a database, augmentation):
``__len__`` gives the number of batches and ``__getitem__(i)`` returns batch ``i`` as
``x``, ``(x, y)`` or ``(x, y, sample_weight)``. ``fit`` reads each batch once per epoch,
in order or shuffled, and only ``max_queue_size`` batches are in memory ahead of it.
"""

import collections
import warnings
from concurrent.futures import ThreadPoolExecutor


class PyDataset:
    """Base class for datasets that produce whole batches from Python code.

    Args:
        workers: threads (or processes) computing batches ahead of training; 1 reads
            them in the training loop itself.
        use_multiprocessing: use processes instead of threads (for CPU-bound Python
            code; the dataset is shared with the workers by forking).
        max_queue_size: batches computed ahead at most (bounds the memory used).

    Example:
        >>> class Batches(PyDataset):
        ...     def __init__(self, x, y, batch_size, **kwargs):
        ...         super().__init__(**kwargs)
        ...         self.x, self.y, self.batch_size = x, y, batch_size
        ...     def __len__(self):
        ...         return -(-len(self.x) // self.batch_size)
        ...     def __getitem__(self, idx):
        ...         part = slice(idx * self.batch_size, (idx + 1) * self.batch_size)
        ...         return self.x[part], self.y[part]
        >>> model.fit(Batches(x_train, y_train, 32, workers=2), epochs=3)
    """

    def __init__(self, workers=1, use_multiprocessing=False, max_queue_size=10):
        self._workers = workers
        self._use_multiprocessing = use_multiprocessing
        self._max_queue_size = max_queue_size

    def _setting(self, name, default):
        if not hasattr(self, name):
            warnings.warn("Your `PyDataset` class should call `super().__init__(**kwargs)` in "
                          "its constructor. `**kwargs` can include `workers`, "
                          "`use_multiprocessing`, `max_queue_size`.", stacklevel=3)
            setattr(self, name, default)
        return getattr(self, name)

    @property
    def workers(self):
        """Threads or processes computing batches ahead (1: none)."""
        return self._setting("_workers", 1)

    @workers.setter
    def workers(self, value):
        self._workers = value

    @property
    def use_multiprocessing(self):
        """Whether the workers are processes rather than threads."""
        return self._setting("_use_multiprocessing", False)

    @use_multiprocessing.setter
    def use_multiprocessing(self, value):
        self._use_multiprocessing = value

    @property
    def max_queue_size(self):
        """Batches computed ahead at most."""
        return self._setting("_max_queue_size", 10)

    @max_queue_size.setter
    def max_queue_size(self, value):
        self._max_queue_size = value

    def __getitem__(self, index):
        """Batch number ``index`` (subclasses implement it)."""
        raise NotImplementedError(f"{type(self).__name__} must implement __getitem__(self, "
                                  f"index) returning batch `index`, e.g. (x, y).")

    @property
    def num_batches(self):
        """The number of batches (``len(self)``), or None for an endless dataset."""
        if hasattr(self, "__len__"):
            return len(self)
        raise NotImplementedError(f"{type(self).__name__} must implement __len__ (the number "
                                  f"of batches) or the num_batches property (None: endless).")

    def __iter__(self):
        count = self.num_batches
        index = 0
        while count is None or index < count:
            yield self[index]
            index += 1

    def on_epoch_begin(self):
        """Called at the start of every epoch (e.g. to reshuffle file lists)."""

    def on_epoch_end(self):
        """Called at the end of every epoch."""


Sequence = PyDataset  # Keras 2's name

_WORKER_DATASET = None  # the dataset inside a worker process (inherited by fork)


def _install(dataset):
    global _WORKER_DATASET
    _WORKER_DATASET = dataset


def _item(index):
    return _WORKER_DATASET[index]


class BatchLoader:
    """Reads ``dataset[i]`` for a sequence of indices, ``workers`` at a time, in order.

    With ``workers <= 1`` (and no multiprocessing) batches are read on demand in the
    caller's thread, as Keras does; otherwise a pool works up to ``max_queue_size``
    batches ahead. The pool lives until ``close()``, across epochs.

    Args:
        dataset: the PyDataset.

    Example:
        >>> loader = BatchLoader(dataset)
        >>> for batch in loader.batches(range(len(dataset))): ...
        >>> loader.close()
    """

    def __init__(self, dataset):
        self.dataset = dataset
        workers, processes = int(dataset.workers or 0), bool(dataset.use_multiprocessing)
        self.ahead = max(int(dataset.max_queue_size or 1), 1)
        self._pool = None
        if processes and workers > 0:
            # Imported here: multiprocessing is slow to import and seldom used.
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # fork shares the dataset with the workers without pickling it
            context = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(workers, mp_context=context,
                                             initializer=_install, initargs=(dataset,))
            self._fetch = _item
        elif workers > 1:
            self._pool = ThreadPoolExecutor(workers, thread_name_prefix="myelin-pydataset")
            self._fetch = dataset.__getitem__

    def batches(self, indices):
        """The batches at ``indices`` (any iterable, possibly endless), in order."""
        if self._pool is None:
            for index in indices:
                yield self.dataset[index]
            return
        pending = collections.deque()
        try:
            for index in indices:
                pending.append(self._pool.submit(self._fetch, index))
                if len(pending) >= self.ahead:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:
                future.cancel()

    def close(self):
        """Stop the workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
