"""``tf.train.Saver``: variable values to a checkpoint file and back, TF 1's paths.

``saver.save(sess, "./my_model_final.ckpt")`` writes ``my_model_final.ckpt.index`` (so
TF's "does ``path + '.index'`` exist?" idiom works) and the folder's ``checkpoint``
file naming the newest checkpoints, both atomically. The checkpoint is an ``.npz`` of
plain arrays keyed by variable name, read back by the saving package's safe reader
(no pickles, size caps), so loading one never executes anything.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import numpy as np

from ....saving.archive import UnsafeFileError, array_bytes, read_arrays
from ....saving.atomic import atomic_write
from ..session import Session
from ..variables import global_variables

_MARKER = "myelin_tf1_checkpoint"  # one extra entry that says what the file is
_SUFFIX = ".index"


def _key(var):
    return var.name.split(":")[0]


class Saver:
    """Saves and restores variables (default: every variable of the graph).

    Args:
        var_list: Variables, or ``{name: Variable}``; default ``tf.global_variables()``.
        max_to_keep: how many recent checkpoints to keep (older ones are deleted;
            ``None`` or 0 keeps all).

    Example:
        >>> saver = tf.train.Saver()
        >>> save_path = saver.save(sess, "./my_model_final.ckpt")
        >>> saver.restore(sess, "./my_model_final.ckpt")
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5, **kwargs):
        if var_list is None:
            var_list = global_variables()
        if isinstance(var_list, dict):
            self._vars = dict(var_list)
        else:
            self._vars = {_key(v): v for v in var_list}
        if not self._vars:
            raise ValueError("Saver: no variables to save. Create the variables before the "
                             "Saver (as TF 1 requires), or pass var_list.")
        self.max_to_keep = max_to_keep
        self._kept = []

    def save(self, sess, save_path, global_step=None, latest_filename=None,
             write_meta_graph=True, **kwargs):
        """Write every variable's value; returns the checkpoint path (``save_path``, or
        ``save_path-<global_step>``)."""
        _check_session(sess, "save")
        if global_step is not None:
            step = int(np.asarray(global_step._data if hasattr(global_step, "_data")
                                  else global_step))
            save_path = f"{save_path}-{step}"
        path = os.fspath(save_path)
        folder = os.path.dirname(path) or "."
        if not os.path.isdir(folder):
            raise FileNotFoundError(f"Saver.save: the folder {folder!r} of {path!r} does not "
                                    f"exist; create it first (os.makedirs).")
        arrays = {name: var.numpy() for name, var in self._vars.items()}
        arrays[_MARKER] = np.array(1)
        with atomic_write(path + _SUFFIX) as f:
            f.write(array_bytes(arrays))
        self._remember(path, folder, latest_filename or "checkpoint")
        return path

    def _remember(self, path, folder, index_name):
        if path in self._kept:
            self._kept.remove(path)
        self._kept.append(path)
        while self.max_to_keep and len(self._kept) > self.max_to_keep:
            old = self._kept.pop(0)
            Path(old + _SUFFIX).unlink(missing_ok=True)
        rel = [os.path.relpath(p, folder) for p in self._kept]
        lines = [f'model_checkpoint_path: "{rel[-1]}"']
        lines += [f'all_model_checkpoint_paths: "{r}"' for r in rel]
        with atomic_write(os.path.join(folder, index_name)) as f:
            f.write(("\n".join(lines) + "\n").encode("utf-8"))

    def restore(self, sess, save_path):
        """Set every variable from the checkpoint at ``save_path`` (all are checked first:
        a missing variable or a shape mismatch leaves every variable as it was)."""
        _check_session(sess, "restore")
        if save_path is None:
            raise ValueError("Saver.restore: save_path is None (tf.train.latest_checkpoint "
                             "found no checkpoint?). Pass the path saver.save returned.")
        path = os.fspath(save_path)
        file = path + _SUFFIX
        if not os.path.isfile(file):
            hint = (" That is TensorFlow's own checkpoint format, which myelin cannot read."
                    if os.path.isfile(path + ".data-00000-of-00001") else "")
            raise FileNotFoundError(
                f"Saver.restore: no checkpoint at {path!r} (looked for {file!r}).{hint} "
                f"Use the path saver.save returned, or tf.train.latest_checkpoint(folder).")
        arrays = self._read(file)
        values = []
        for name, var in self._vars.items():
            if name not in arrays:
                held = sorted(k for k in arrays if k != _MARKER)
                raise ValueError(f"Saver.restore: the checkpoint {path!r} has no value for "
                                 f"variable '{name}'; it holds {held}. Was it saved from "
                                 f"another graph?")
            if arrays[name].shape != tuple(var.shape):
                raise ValueError(f"Saver.restore: variable '{name}' has shape "
                                 f"{tuple(var.shape)} in the graph but {arrays[name].shape} "
                                 f"in the checkpoint {path!r}.")
            values.append((var, arrays[name]))
        for var, value in values:
            var.assign(value)
        sess._initialized.update(id(var) for var, _ in values)

    def _read(self, file):
        budget = sum(math.prod(v.shape) * 8 + 4096 for v in self._vars.values()) + (1 << 16)
        try:
            arrays = read_arrays(file, f"Saver.restore: {file!r}", max_total=2 * budget)
        except UnsafeFileError as error:
            raise ValueError(f"{error} (a myelin checkpoint written by saver.save is "
                             f"expected)") from None
        if _MARKER not in arrays:
            raise ValueError(f"Saver.restore: {file!r} is not a myelin checkpoint (it lacks "
                             f"the '{_MARKER}' entry); it may be another program's file.")
        return arrays


def _check_session(sess, method):
    if not isinstance(sess, Session):
        raise TypeError(f"Saver.{method}: the first argument must be the tf.Session, "
                        f"received {type(sess).__name__}.")


_LINE = re.compile(r'^model_checkpoint_path:\s*"(.*)"\s*$')


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The newest checkpoint path recorded in ``checkpoint_dir``'s ``checkpoint`` file,
    or None when there is none (or its file is gone).

    Example:
        >>> saver.restore(sess, tf.train.latest_checkpoint("./checkpoints"))
    """
    index = Path(checkpoint_dir) / (latest_filename or "checkpoint")
    if not index.is_file():
        return None
    for line in index.read_text(encoding="utf-8").splitlines():
        match = _LINE.match(line.strip())
        if match:
            path = match.group(1)
            if not os.path.isabs(path):
                path = os.path.join(os.fspath(checkpoint_dir), path)
            return path if os.path.isfile(path + _SUFFIX) else None
    return None


__all__ = ["Saver", "latest_checkpoint"]
