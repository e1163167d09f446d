"""TensorBoard: write training curves, weight histograms and the layer graph for
``tensorboard --logdir`` (the ``tensorboard`` extra: tensorboardX writes the files).

Scalars are named as Keras 3 names them: in ``log_dir/train``, ``epoch_loss``,
``epoch_accuracy``, ``epoch_learning_rate`` (and ``batch_*`` with ``update_freq``);
in ``log_dir/validation``, ``epoch_loss`` ... for the ``val_*`` logs and
``evaluation_<name>_vs_iterations`` after each evaluation.
"""

import os

import numpy as np

from .callback import Callback


def _writer_class():
    try:
        from tensorboardX import SummaryWriter
    except ImportError as error:
        raise ImportError('The TensorBoard callback writes its files with tensorboardX: '
                          'pip install "myelin[tensorboard]"') from error
    return SummaryWriter


class TensorBoard(Callback):
    """Log training for TensorBoard (``tensorboard --logdir logs`` then open the page).

    Args:
        log_dir: folder of the event files (``train/`` and ``validation/`` inside).
        histogram_freq: every N epochs, histograms of every weight (0: never).
        write_graph: write the layer graph (the "Graphs" tab).
        write_images: with ``histogram_freq``, also kernels as images.
        write_steps_per_second: log the training speed too.
        update_freq: ``"epoch"``, ``"batch"`` or N: also log ``batch_*`` scalars every
            N batches (TensorBoard's step is the global batch count).
        profile_batch: accepted for Keras compatibility; only 0 (no profiling) is
            supported, since there is no TensorFlow profiler to run.

    Example:
        >>> model.fit(x, y, epochs=5, callbacks=[TensorBoard(log_dir="logs/run1")])
    """

    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True,
                 write_images=False, write_steps_per_second=False, update_freq="epoch",
                 profile_batch=0, embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        _writer_class()  # fail at construction, not in the middle of fit
        where = "TensorBoard"
        if isinstance(histogram_freq, bool) or not isinstance(histogram_freq, int) \
                or histogram_freq < 0:
            raise ValueError(f"{where}: histogram_freq must be an int >= 0, received "
                             f"{histogram_freq!r}.")
        if update_freq not in ("epoch", "batch") and (
                isinstance(update_freq, bool) or not isinstance(update_freq, int)
                or update_freq < 1):
            raise ValueError(f"{where}: update_freq must be 'epoch', 'batch' or a positive "
                             f"int, received {update_freq!r}.")
        if profile_batch not in (0, None, (0, 0)):
            raise ValueError(f"{where}: profile_batch={profile_batch!r} asks for the "
                             f"TensorFlow profiler, which myelin does not have; use 0, and "
                             f"python -m cProfile to profile.")
        self.log_dir = os.fspath(log_dir)
        self.histogram_freq, self.write_graph = histogram_freq, write_graph
        self.write_images, self.write_steps_per_second = write_images, write_steps_per_second
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self._writers = {}
        self._global_train_batch = 0

    def _writer(self, name):
        if name not in self._writers:
            self._writers[name] = _writer_class()(os.path.join(self.log_dir, name))
        return self._writers[name]

    # --- hooks -----------------------------------------------------------------------

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0
        if self.write_graph:
            from ._tensorboard_graph import write_layer_graph

            write_layer_graph(self._writer("train"), self.model)

    def on_epoch_begin(self, epoch, logs=None):
        import time

        self._epoch_start = time.perf_counter()
        self._epoch_first_iteration = self._iterations()

    def on_train_batch_end(self, batch, logs=None):
        self._global_train_batch += 1
        if self.update_freq == "epoch" or self._global_train_batch % self.update_freq:
            return
        writer = self._writer("train")
        for name, value in (logs or {}).items():
            writer.add_scalar(f"batch_{name}", float(value), self._global_train_batch)

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        train = {k: v for k, v in logs.items() if not k.startswith("val_")}
        val = {k[4:]: v for k, v in logs.items() if k.startswith("val_")}
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            train["learning_rate"] = float(np.asarray(optimizer.learning_rate))
        if self.write_steps_per_second:
            import time

            elapsed = time.perf_counter() - self._epoch_start
            train["steps_per_second"] = (self._iterations() - self._epoch_first_iteration) / \
                max(elapsed, 1e-9)
        for folder, values in (("train", train), ("validation", val)):
            if values:
                writer = self._writer(folder)
                for name, value in values.items():
                    writer.add_scalar(f"epoch_{name}", float(value), epoch)
                writer.flush()
        if self.histogram_freq and epoch % self.histogram_freq == 0:
            self._log_weights(epoch)

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if not logs or optimizer is None or not hasattr(optimizer, "iterations"):
            return
        writer = self._writer("validation")
        step = self._iterations()
        for name, value in logs.items():
            writer.add_scalar(f"evaluation_{name}_vs_iterations", float(value), step)

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}

    # --- weights ---------------------------------------------------------------------

    def _iterations(self):
        optimizer = getattr(self.model, "optimizer", None)
        return int(np.asarray(optimizer.iterations)) if optimizer is not None else 0

    def _log_weights(self, epoch):
        writer = self._writer("train")
        for weight in self.model.weights:
            name = weight.name.replace(":", "_")
            values = np.asarray(weight.numpy(), dtype=np.float64)
            writer.add_histogram(f"{name}/histogram", values, epoch)
            if self.write_images:
                image = _weight_image(values)
                if image is not None:
                    writer.add_images(f"{name}/image", image, epoch, dataformats="NHWC")
        writer.flush()


def _weight_image(values):
    """A weight as TensorBoard images (Keras's layout), scaled to [0, 1]; None if it
    has no image form."""
    w = np.squeeze(values)
    if w.ndim == 1:
        w = w.reshape(1, w.shape[0], 1, 1)
    elif w.ndim == 2:
        w = (w.T if w.shape[0] > w.shape[1] else w)[None, :, :, None]
    elif w.ndim == 3:
        w = np.transpose(w, (2, 0, 1))[..., None]
    else:
        return None
    low, high = w.min(), w.max()
    return (w - low) / (high - low) if high > low else np.zeros_like(w)
