"""BackupAndRestore: resume an interrupted ``fit`` exactly where it stopped.

At the end of every epoch the whole training state is written, atomically, to one
file in ``backup_dir``: the weights, the optimizer state (slots, iteration count,
learning rate), the epoch counter and the random state (the library Generator and
the Generators of seeded layers such as ``Dropout(seed=...)``). One file means the
parts can never come from different epochs. When ``fit`` starts again with the same
callback, the state is restored and training continues from the next epoch, so the
final weights equal those of an uninterrupted run bit for bit.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np

from .. import backend
from ..saving.archive import (
    UnsafeFileError,
    array_bytes,
    json_bytes,
    open_zip,
    read_arrays,
    read_json,
    read_member,
    write_archive,
)
from ..saving.state import max_state_bytes, restore_state, state_arrays
from .callback import Callback

BACKUP_NAME = "latest.myelin-backup"
_MEMBERS = ("metadata.json", "training_state.json", "weights.npz")
_FORMAT_VERSION = 1
_JSON_CAP = 1 << 20


class BackupAndRestore(Callback):
    """Back up the training state every epoch and restore it when ``fit`` restarts.

    Run the same script again after a crash (or a kill): ``fit`` resumes after the
    last completed epoch. The backup is deleted when ``fit`` finishes normally.

    Args:
        backup_dir: Directory for the backup file (created if needed). Use a
            directory only this training run writes to.
        save_freq: ``"epoch"`` (exact resume), or a number of batches: the state
            is then also saved mid-epoch and a resume replays that epoch from its
            start (its shuffle order is the same) with the mid-epoch weights, as
            Keras does.
        delete_checkpoint: Delete the backup when training completes.

    Example:
        >>> backup = BackupAndRestore("/tmp/backup")
        >>> model.fit(x, y, epochs=10, callbacks=[backup])  # killed during epoch 4
        >>> model.fit(x, y, epochs=10, callbacks=[backup])  # trains epochs 4..10 only
    """

    def __init__(self, backup_dir, save_freq="epoch", delete_checkpoint=True):
        super().__init__()
        if not backup_dir:
            raise ValueError("BackupAndRestore: backup_dir must be a directory path, "
                             f"received {backup_dir!r}.")
        if save_freq != "epoch" and (isinstance(save_freq, bool) or not isinstance(
                save_freq, int) or save_freq <= 0):
            raise ValueError("BackupAndRestore: save_freq must be 'epoch' or a positive "
                             f"number of batches, received {save_freq!r}.")
        self.backup_dir = os.fspath(backup_dir)
        self.save_freq = save_freq
        self.delete_checkpoint = delete_checkpoint
        self._path = os.path.join(self.backup_dir, BACKUP_NAME)
        self._epoch = 0
        self._epoch_start_rng = None
        self._batches_since_save = 0
        self._resumed_at = None

    def on_train_begin(self, logs=None):
        self._resumed_at = None
        if os.path.exists(self._path):
            self._resumed_at = restore_backup(self.model, self._path)
            # The trainer starts its epoch loop here instead of at initial_epoch.
            self.model._initial_epoch = self._resumed_at

    def on_epoch_begin(self, epoch, logs=None):
        if self._resumed_at is not None and epoch != self._resumed_at:
            raise RuntimeError(
                f"BackupAndRestore: restored the state after epoch {self._resumed_at} but "
                f"training started at epoch {epoch}; this trainer does not read "
                "model._initial_epoch after on_train_begin, so resuming cannot be exact."
            )
        self._resumed_at = None
        self._epoch = epoch
        self._epoch_start_rng = _random_state(self.model)

    def on_train_batch_end(self, batch, logs=None):
        if self.save_freq == "epoch":
            return
        self._batches_since_save += 1
        if self._batches_since_save >= self.save_freq:
            self._batches_since_save = 0
            self._save(self._epoch, self._epoch_start_rng)

    def on_epoch_end(self, epoch, logs=None):
        if self.save_freq == "epoch":
            self._save(epoch + 1, _random_state(self.model))

    def on_train_end(self, logs=None):
        # Not reached when fit raises or the process dies, so the backup survives those.
        if self.delete_checkpoint:
            with contextlib.suppress(FileNotFoundError):
                os.remove(self._path)
            with contextlib.suppress(OSError):  # left in place if anything else is there
                os.rmdir(self.backup_dir)

    def _save(self, next_epoch, random_state):
        os.makedirs(self.backup_dir, exist_ok=True)
        write_backup(self.model, self._path, next_epoch, random_state)


def write_backup(model, path, next_epoch: int, random_state: dict) -> None:
    """Atomically write the training state; ``next_epoch`` is where a resume starts."""
    write_archive(path, {
        "metadata.json": json_bytes({"format_version": _FORMAT_VERSION}),
        "training_state.json": json_bytes({"epoch": next_epoch, **random_state}),
        "weights.npz": array_bytes(state_arrays(model)),
    }, stored=("weights.npz",))


def restore_backup(model, path) -> int:
    """Restore ``write_backup``'s state into ``model`` and the random Generators.

    Everything is read and checked before anything changes.

    Returns:
        The epoch to resume from.
    """
    where = f"BackupAndRestore backup '{path}'"
    with open_zip(path, where, _MEMBERS.__contains__, len(_MEMBERS), 1 << 40) as archive:
        meta = read_json(archive, "metadata.json", _JSON_CAP, where)
        state = read_json(archive, "training_state.json", _JSON_CAP, where)
        cap = max_state_bytes(model)
        arrays = read_arrays(read_member(archive, "weights.npz", cap, where), where, cap)
    if meta.get("format_version") != _FORMAT_VERSION:
        raise UnsafeFileError(f"{where}: unsupported format_version "
                              f"{meta.get('format_version')!r}; delete the backup directory.")
    epoch = state.get("epoch")
    if isinstance(epoch, bool) or not isinstance(epoch, int) or epoch < 0:
        raise UnsafeFileError(f"{where}: invalid epoch {epoch!r}; delete the backup directory.")
    generators = _check_random_state(model, state, where)
    restore_state(model, arrays, where, strict_optimizer=True)
    backend.set_rng_state(state["rng"])
    for generator, saved in zip(generators, state["layer_rngs"], strict=True):
        generator.bit_generator.state = saved
    return epoch


def _random_state(model) -> dict:
    return {"rng": backend.get_rng_state(),
            "layer_rngs": [g.bit_generator.state for g in _layer_generators(model)]}


def _layer_generators(model) -> list[np.random.Generator]:
    """The private Generators of seeded layers (``Dropout(seed=...)``), in layer order."""
    found, stack = [], list(reversed(model._sublayers()))
    while stack:
        layer = stack.pop()
        if isinstance(getattr(layer, "_rng", None), np.random.Generator):
            found.append(layer._rng)
        stack.extend(reversed(layer._sublayers()))
    return found


def _check_random_state(model, state, where):
    generators = _layer_generators(model)
    saved = state.get("layer_rngs")
    if not isinstance(saved, list) or len(saved) != len(generators):
        raise UnsafeFileError(f"{where}: the backup's random state does not match this "
                              "model's seeded layers; was the model changed?")
    for value in [state.get("rng"), *saved]:
        try:  # a scratch Generator validates the state without touching the real ones
            np.random.default_rng().bit_generator.state = value
        except (TypeError, ValueError, KeyError) as error:
            raise UnsafeFileError(f"{where}: invalid random state ({error}).") from None
    return generators
