"""Writes the real IMDB reviews (from imdb.npz) out as the aclImdb folder layout."""

import os

import numpy as np

from myelin.data.safe_npz import load_npz
from myelin.datasets import imdb


def write_acl_imdb(root, n_train, n_test):
    """``root/aclImdb/{train,test}/{pos,neg}/<i>_<label>.txt`` with the first reviews.

    Returns:
        The path of ``aclImdb``.
    """
    # the raw arrays (word ranks, grouped by label) load twice as fast as load_data
    arrays = load_npz(os.path.join(os.environ["MYELIN_DATASETS"], "imdb", "imdb.npz"))
    pick = np.random.RandomState(113)
    parts = []
    for x, y in ((arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])):
        order = pick.permutation(len(x))
        parts += [x[order], y[order]]
    x_train, y_train, x_test, y_test = parts
    words = imdb.get_word_index()
    words = {rank: word for word, rank in words.items()}
    base = os.path.join(root, "aclImdb")
    for part, xs, ys, n in (("train", x_train, y_train, n_train),
                            ("test", x_test, y_test, n_test)):
        for folder in ("pos", "neg"):
            os.makedirs(os.path.join(base, part, folder), exist_ok=True)
        for i in range(min(n, len(xs))):
            text = " ".join(words[t] for t in xs[i] if t in words)
            folder = "pos" if ys[i] == 1 else "neg"
            with open(os.path.join(base, part, folder, f"{i}_{int(ys[i])}.txt"), "w",
                      encoding="utf-8") as f:
                f.write(text)
    # the real archive also holds unlabeled reviews, which the tutorial deletes
    os.makedirs(os.path.join(base, "train", "unsup"), exist_ok=True)
    return base
