"""Listing a folder of class subfolders into file paths and labels (Keras's rules).

Shared by ``image_dataset_from_directory`` and ``text_dataset_from_directory``: class
names are the sorted subfolder names (or ``class_names``), files are walked in
sorted order, shuffled once with ``seed`` when ``shuffle`` is set, and a
``validation_split`` keeps the first part for "training" and the last for
"validation" -- the same seed on both calls gives disjoint subsets.
"""

import os

import numpy as np

from .dataset import Dataset

LABEL_MODES = ("int", "categorical", "binary", None)
SUBSETS = ("training", "validation", "both")


def check_options(where, labels, label_mode, class_names, validation_split, subset, seed,
                  shuffle):
    """Validate the options shared by the ``*_dataset_from_directory`` functions."""
    if labels not in ("inferred", None) and not isinstance(labels, (list, tuple, np.ndarray)):
        raise ValueError(f"{where}: labels must be 'inferred', None or a list of labels, "
                         f"received {labels!r}.")
    if label_mode not in LABEL_MODES:
        raise ValueError(f"{where}: label_mode must be one of {LABEL_MODES}, received "
                         f"{label_mode!r}.")
    if class_names is not None and labels != "inferred":
        raise ValueError(f"{where}: class_names is only used with labels='inferred'.")
    if validation_split is not None and not 0 < validation_split < 1:
        raise ValueError(f"{where}: validation_split must be in (0, 1), received "
                         f"{validation_split!r}.")
    if (validation_split is None) != (subset is None):
        raise ValueError(f"{where}: validation_split and subset go together; received "
                         f"validation_split={validation_split!r}, subset={subset!r}.")
    if subset is not None and subset not in SUBSETS:
        raise ValueError(f"{where}: subset must be one of {SUBSETS}, received {subset!r}.")
    if validation_split and shuffle and seed is None:
        raise ValueError(f"{where}: with validation_split and shuffle=True, pass a seed "
                         f"(e.g. seed=123) so the training and validation subsets do not "
                         f"overlap.")


def index_directory(directory, labels, formats, class_names, shuffle, seed, follow_links,
                    where):
    """``(paths, labels, class_names)`` of the files under ``directory``.

    Args:
        directory: the folder; with ``labels="inferred"`` one subfolder per class.
        labels: ``"inferred"``, None or an explicit list (one per file, sorted order).
        formats: accepted file extensions, lower case with the dot.
        class_names: the explicit class order, or None for the sorted subfolders.
        shuffle, seed: shuffle the file order once with ``seed``.
        follow_links: follow symbolic links to folders.
        where: the caller's name, for errors.

    Returns:
        A list of paths, an int array of labels (or None) and the class names.
    """
    if not os.path.isdir(directory):
        raise ValueError(f"{where}: directory {str(directory)!r} does not exist or is not a "
                         f"folder.")
    entries = sorted(os.listdir(directory))
    if labels == "inferred":
        subdirs = [e for e in entries if os.path.isdir(os.path.join(directory, e))]
        if class_names is not None:
            missing = sorted(set(class_names) - set(subdirs))
            if missing:
                raise ValueError(f"{where}: class_names {missing} have no subfolder in "
                                 f"{str(directory)!r}, which has {subdirs}.")
            subdirs = list(class_names)
        folders = [os.path.join(directory, d) for d in subdirs]
    else:
        subdirs, folders = [], [directory]
    paths, label_ids = [], []
    for i, folder in enumerate(folders):
        found = _walk(folder, formats, follow_links)
        paths += found
        label_ids += [i] * len(found)
    if not paths:
        shown = entries[:10] + (["..."] if len(entries) > 10 else [])
        what = (f"{len(subdirs)} class folders {subdirs[:10]} with no such files"
                if subdirs else f"no class subfolders (entries: {shown})")
        raise ValueError(f"{where}: found no files with extensions {formats} in "
                         f"{str(directory)!r}: it has {what}. Expected "
                         f"{str(directory)!r}/<class name>/<file>, one subfolder per class.")
    if isinstance(labels, (list, tuple, np.ndarray)):
        if len(labels) != len(paths):
            raise ValueError(f"{where}: labels has {len(labels)} entries but "
                             f"{str(directory)!r} holds {len(paths)} files; give one label "
                             f"per file, in sorted file order.")
        label_ids = list(labels)
    label_array = None if labels is None else np.asarray(label_ids)
    if shuffle:
        seed = np.random.randint(1_000_000) if seed is None else seed
        order = np.random.RandomState(seed).permutation(len(paths))
        paths = [paths[i] for i in order]
        label_array = None if label_array is None else label_array[order]
    return paths, label_array, subdirs


def _walk(folder, formats, follow_links):
    found = []
    for root, dirs, files in os.walk(folder, followlinks=follow_links):
        dirs.sort()
        found += [os.path.join(root, f) for f in sorted(files)
                  if os.path.splitext(f)[1].lower() in formats]
    return found


def split(paths, labels, validation_split, subset):
    """The (paths, labels) of ``subset``: training first, validation last, or both."""
    if not validation_split:
        return [(paths, labels)]
    n_val = int(validation_split * len(paths))
    n_train = len(paths) - n_val
    train = (paths[:n_train], None if labels is None else labels[:n_train])
    val = (paths[n_train:], None if labels is None else labels[n_train:])
    return {"training": [train], "validation": [val], "both": [train, val]}[subset]


def encode_labels(labels, label_mode, num_classes, where):
    """Labels as Keras gives them: int32 ids, float32 one-hot, or float32 (n, 1)."""
    if label_mode == "int":
        return labels.astype(np.int32)
    if label_mode == "binary":
        if num_classes != 2:
            raise ValueError(f"{where}: label_mode='binary' needs exactly 2 classes, found "
                             f"{num_classes}. Use label_mode='int' or 'categorical'.")
        return labels.astype(np.float32).reshape(-1, 1)
    return np.eye(num_classes, dtype=np.float32)[labels]


def make_dataset(paths, labels, load_batch, label_mode, num_classes, batch_size, shuffle,
                 seed, class_names, where):
    """A Dataset of ``load_batch(paths)`` batches (with labels unless label_mode is None)."""
    path_array = np.array(paths, dtype=str)
    if label_mode is None or labels is None:
        ds = Dataset.from_tensor_slices(path_array)
    else:
        ds = Dataset.from_tensor_slices(
            (path_array, encode_labels(labels, label_mode, num_classes, where)))
    if shuffle:  # Keras reshuffles the files each epoch with a buffer of 8 batches
        ds = ds.shuffle(1024 if batch_size is None else batch_size * 8, seed=seed)
    if batch_size is not None:
        ds = ds.batch(batch_size)
    if label_mode is None or labels is None:
        ds = ds.map(lambda p: load_batch(np.asarray(p)))
    else:
        ds = ds.map(lambda p, y: (load_batch(np.asarray(p)), y))
    ds.class_names, ds.file_paths = list(class_names), list(paths)
    return ds


def datasets_from_directory(directory, formats, load_one, *, labels, label_mode, class_names,
                            batch_size, shuffle, seed, validation_split, subset,
                            follow_links, verbose, where):
    """Index ``directory`` and return its Dataset (or the training/validation pair).

    ``load_one(path)`` reads one file as an array; batches stack those arrays.
    """
    paths, ids, names = index_directory(directory, labels, formats, class_names, shuffle,
                                        seed, follow_links, where)
    num_classes = label_count(ids, names, label_mode, where)
    if verbose:
        print(f"Found {len(paths)} files belonging to {len(names)} classes.")

    def load_batch(batch_paths):
        if batch_paths.ndim == 0:
            return load_one(str(batch_paths))
        return np.stack([load_one(p) for p in batch_paths.tolist()])

    parts = split(paths, ids, validation_split, subset)
    out = []
    for (part_paths, part_ids), part in zip(parts, ("training", "validation"), strict=False):
        if verbose and validation_split:
            print(f"Using {len(part_paths)} files for "
                  f"{subset if subset != 'both' else part}.")
        out.append(make_dataset(part_paths, part_ids, load_batch, label_mode, num_classes,
                                batch_size, shuffle, seed, names, where))
    return tuple(out) if subset == "both" else out[0]


def label_count(labels, class_names, label_mode, where):
    """The number of classes, checking explicit labels and label_mode agree."""
    if labels is None:
        return 0
    n = len(class_names) if class_names else int(np.max(labels)) + 1
    if label_mode == "binary" and n != 2:
        raise ValueError(f"{where}: label_mode='binary' needs exactly 2 classes, found {n} "
                         f"({class_names}). Use label_mode='int' or 'categorical'.")
    return n
