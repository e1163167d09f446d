"""``text_dataset_from_directory``: a Dataset of text files (the aclImdb layout).

Each ``.txt`` file is one sample, read as UTF-8 text. Batches are NumPy arrays of
``str`` (myelin's string tensors), ready for TextVectorization.
"""

import numpy as np

from .from_directory import check_options, datasets_from_directory


def _read(path, max_length):
    with open(path, "rb") as f:
        data = f.read()
    if max_length is not None:  # TF's substr counts bytes; drop a cut multi-byte char
        data = data[:max_length]
    return data.decode("utf-8", errors="ignore" if max_length is not None else "replace")


def text_dataset_from_directory(directory, labels="inferred", label_mode="int",
                                class_names=None, batch_size=32, max_length=None,
                                shuffle=True, seed=None, validation_split=None, subset=None,
                                follow_links=False, verbose=True):
    """A Dataset of ``(texts, labels)`` batches from a folder of class subfolders.

    Args:
        directory: holds one subfolder of ``.txt`` files per class, e.g.
            ``aclImdb/train`` with ``pos`` and ``neg``.
        labels: ``"inferred"``, None (texts only) or one label per file.
        label_mode: ``"int"``, ``"categorical"``, ``"binary"`` or None.
        class_names: the class order (default: sorted subfolder names; extra
            subfolders such as ``unsup`` are ignored when not listed).
        batch_size: texts per batch (None: single texts).
        max_length: keep at most this many bytes of each text.
        shuffle, seed, validation_split, subset, follow_links: as
            ``image_dataset_from_directory``.
        verbose: print how many files and classes were found.

    Returns:
        A Dataset with ``class_names`` and ``file_paths`` (a pair for ``subset="both"``).

    Example:
        >>> raw_train = text_dataset_from_directory("aclImdb/train", batch_size=32,
        ...     validation_split=0.2, subset="training", seed=42)
    """
    where = "text_dataset_from_directory"
    check_options(where, labels, label_mode, class_names, validation_split, subset, seed,
                  shuffle)
    if max_length is not None and (not isinstance(max_length, int) or max_length < 1):
        raise ValueError(f"{where}: max_length must be None or a positive integer, "
                         f"received {max_length!r}.")
    return datasets_from_directory(
        directory, (".txt",), lambda path: np.array(_read(path, max_length)),
        labels=labels, label_mode=label_mode, class_names=class_names,
        batch_size=batch_size, shuffle=shuffle, seed=seed, validation_split=validation_split,
        subset=subset, follow_links=follow_links, verbose=verbose, where=where)
