"""The pictures ``myelin train`` saves: the loss history and a confusion matrix or
predicted-vs-true scatter (matplotlib, the ``plot`` extra)."""

import numpy as np


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


def save_plots(out, history, task, y_true, y_pred, classes):
    """Write ``history.png`` and ``confusion.png`` / ``predicted_vs_true.png``; returns
    the paths written (none without matplotlib)."""
    plt = _pyplot()
    if plt is None:
        return []
    paths = []
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, values in history.items():
        if key.endswith("loss"):
            ax.plot(range(1, len(values) + 1), values, label=key)
    ax.set(xlabel="epoch", ylabel="loss", title="Training history")
    ax.legend()
    paths.append(_save(fig, out / "history.png", plt))
    fig, ax = plt.subplots(figsize=(5, 5))
    if task == "classification":
        n = len(classes)
        matrix = np.zeros((n, n), dtype=int)
        np.add.at(matrix, (y_true, y_pred), 1)
        ax.imshow(matrix, cmap="Blues")
        for (i, j), count in np.ndenumerate(matrix):
            ax.text(j, i, str(count), ha="center", va="center")
        ax.set_xticks(range(n), classes, rotation=45)
        ax.set_yticks(range(n), classes)
        ax.set(xlabel="predicted", ylabel="true", title="Confusion matrix (test rows)")
        paths.append(_save(fig, out / "confusion.png", plt))
    else:
        ax.scatter(y_true, y_pred, s=10)
        low, high = float(min(y_true.min(), y_pred.min())), float(max(y_true.max(),
                                                                       y_pred.max()))
        ax.plot([low, high], [low, high], color="gray", linestyle="--")
        ax.set(xlabel="true", ylabel="predicted", title="Predicted vs true (test rows)")
        paths.append(_save(fig, out / "predicted_vs_true.png", plt))
    return paths


def _save(fig, path, plt):
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
