"""Pictures of training: loss/metric curves, fitted lines, decision boundaries, digit grids,
convolution filters and feature maps.

Needs the ``plot`` extra (``pip install "myelin[plot]"``, i.e. matplotlib). matplotlib is
imported inside each function, never by ``import myelin``, so the core install stays small.
On a machine without a display the Agg backend is used, so plots work in scripts, CI and
over SSH. Every function returns the matplotlib ``Figure``; with ``path`` it also writes a
PNG (``figsize`` inches x 100 dpi pixels) and detaches the figure from pyplot so that
scripts writing many plots do not pile up open windows.

Example:
    >>> history = model.fit(x, y, validation_split=0.2, epochs=20)
    >>> myelin.plot.history(history, path="output/history.png")
"""

from __future__ import annotations

import inspect
import math
import os
import sys

import numpy as np

_DPI = 100
_INSTALL_HINT = 'myelin.plot needs matplotlib: pip install "myelin[plot]"'


def history(h, path=None):
    """Plot loss and every metric per epoch, training next to validation.

    One panel per quantity (``loss``, ``accuracy``, ...); a ``val_<name>`` series is drawn
    in the panel of ``<name>``.

    Args:
        h: A ``History`` returned by ``model.fit`` or its ``.history`` dict
            (name -> list of per-epoch values).
        path: Where to write a PNG (parent folders are created); None writes nothing.

    Returns:
        The ``matplotlib.figure.Figure`` (one panel 5 x 3.5 inches each, side by side).

    Raises:
        ValueError: ``h`` holds no values.
    """
    logs = getattr(h, "history", h)
    if not isinstance(logs, dict) or not any(len(v) for v in logs.values()):
        raise ValueError(
            f"plot.history: expected a History or a non-empty dict of per-epoch values, "
            f"received {h!r}. Pass the object model.fit(...) returned."
        )
    names = [k for k in logs if not k.startswith("val_")]
    names += [k[4:] for k in logs if k.startswith("val_") and k[4:] not in logs]
    plt = _pyplot()
    fig, axes = plt.subplots(1, len(names), figsize=(5 * len(names), 3.5), dpi=_DPI,
                             squeeze=False, layout="constrained")
    for ax, name in zip(axes[0], names, strict=True):
        for key, label, style in ((name, "training", "o-"), ("val_" + name, "validation", "s--")):
            values = logs.get(key)
            if values is not None and len(values):
                epochs = np.arange(1, len(values) + 1)
                # Markers help when there are few epochs, clutter when there are many.
                ax.plot(epochs, values, style if len(values) <= 30 else style[1:], label=label)
        ax.set_title(name)
        ax.set_xlabel("epoch")
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend()
    return _finish(plt, fig, path)


def predictions(x, y, y_pred, path=None, xlabel="x", ylabel="y"):
    """Scatter the data and draw the model's predictions as a line (1-D regression).

    Args:
        x: Inputs, shape ``(n,)`` or ``(n, 1)``.
        y: True targets, ``n`` values.
        y_pred: Predicted targets, ``n`` values (e.g. ``model.predict(x)``).
        path: Where to write a PNG; None writes nothing.
        xlabel: Label of the horizontal axis.
        ylabel: Label of the vertical axis.

    Returns:
        The ``Figure`` (6 x 4 inches).

    Raises:
        ValueError: The inputs do not hold one value per example.
    """
    x, y, y_pred = (np.asarray(a, dtype=float).reshape(-1) for a in (x, y, y_pred))
    if not len(x) == len(y) == len(y_pred):
        raise ValueError(
            f"plot.predictions: x, y and y_pred must hold one value per example, received "
            f"{len(x)}, {len(y)} and {len(y_pred)} values. Use a single input feature."
        )
    order = np.argsort(x)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(6, 4), dpi=_DPI, layout="constrained")
    ax.scatter(x, y, c="tab:blue", label="data")
    ax.plot(x[order], y_pred[order], c="tab:red", lw=2, label="model")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    ax.legend()
    return _finish(plt, fig, path)


def decision_boundary(model, x, y, path=None, resolution=200):
    """Shade what a 2-D classifier predicts over the plane and overlay the labelled points.

    Args:
        model: Anything with ``predict(points)``: probabilities ``(m,)``/``(m, 1)``
            (the 0.5 level is drawn as the boundary), class labels, or ``(m, k)``
            class scores (the argmax is shaded).
        x: Points, shape ``(n, 2)``.
        y: Their labels, ``n`` values.
        path: Where to write a PNG; None writes nothing.
        resolution: Grid points per axis.

    Returns:
        The ``Figure`` (5 x 5 inches).

    Raises:
        ValueError: ``x`` is not ``(n, 2)`` or ``y`` has another length.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y).reshape(-1)
    if x.ndim != 2 or x.shape[1] != 2 or len(y) != len(x):
        raise ValueError(
            f"plot.decision_boundary: expected x of shape (n, 2) and n labels, received x "
            f"{x.shape} and {len(y)} labels. Only two input features can be drawn."
        )
    lo, hi = x.min(axis=0), x.max(axis=0)
    margin = np.maximum(0.25 * (hi - lo), 0.5)
    g0, g1 = np.meshgrid(
        np.linspace(lo[0] - margin[0], hi[0] + margin[0], resolution),
        np.linspace(lo[1] - margin[1], hi[1] + margin[1], resolution),
    )
    grid = np.column_stack([g0.ravel(), g1.ravel()]).astype(np.float32)
    scores = np.asarray(_predict_quietly(model, grid))
    if scores.ndim == 2 and scores.shape[1] > 1:
        scores = scores.argmax(axis=1)
    z = scores.reshape(g0.shape).astype(float)
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(5, 5), dpi=_DPI, layout="constrained")
    low, high = min(z.min(), 0.0), max(z.max(), 1.0)
    filled = ax.contourf(g0, g1, z, levels=np.linspace(low, high, 21), cmap="RdBu", alpha=0.6)
    fig.colorbar(filled, ax=ax, shrink=0.8, label="prediction")
    if z.min() < 0.5 < z.max():
        ax.contour(g0, g1, z, levels=[0.5], colors="black", linewidths=1.5)
    classes = np.unique(y)
    colors = plt.get_cmap("RdBu")(np.linspace(0, 1, len(classes)))
    for i, label in enumerate(classes):
        pts = x[y == label]
        ax.scatter(pts[:, 0], pts[:, 1], marker="os^vDP*X"[i % 8], s=60, edgecolors="black",
                   color=colors[i], label=f"class {_text(label)}")
    ax.set_xlabel("x1")
    ax.set_ylabel("x2")
    ax.legend(loc="best")
    return _finish(plt, fig, path)


def images(x, y, y_pred=None, path=None, n=25):
    """Draw a grid of images titled with their labels; wrong predictions in red.

    Args:
        x: Images, ``(N, h, w)`` or flattened square images ``(N, h * w)``.
        y: True labels, ``N`` values.
        y_pred: Predicted labels ``(N,)`` or class scores ``(N, k)`` (argmax taken);
            None titles each image with its true label only.
        path: Where to write a PNG; None writes nothing.
        n: How many of the first images to draw.

    Returns:
        The ``Figure`` (1.5 inches per image, ``ceil(sqrt(n))`` per row).

    Raises:
        ValueError: Flattened images are not square, or the label counts disagree.
    """
    x = np.asarray(x)
    y = np.asarray(y).reshape(-1)
    if x.ndim == 2:
        side = math.isqrt(x.shape[1])
        if side * side != x.shape[1]:
            raise ValueError(
                f"plot.images: flattened images must be square, received {x.shape[1]} "
                f"pixels per image. Pass x with shape (N, height, width)."
            )
        x = x.reshape(len(x), side, side)
    if y_pred is not None:
        y_pred = np.asarray(y_pred)
        y_pred = y_pred.argmax(axis=1) if y_pred.ndim == 2 else y_pred.reshape(-1)
    if len(y) != len(x) or (y_pred is not None and len(y_pred) != len(x)):
        raise ValueError(
            f"plot.images: expected one label (and prediction) per image, received {len(x)} "
            f"images, {len(y)} labels and "
            f"{'no' if y_pred is None else len(y_pred)} predictions."
        )
    n = min(n, len(x))
    cols = math.ceil(math.sqrt(n))
    rows = math.ceil(n / cols)
    plt = _pyplot()
    fig, axes = plt.subplots(rows, cols, figsize=(1.5 * cols, 1.5 * rows + 0.2), dpi=_DPI,
                             squeeze=False, layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i >= n:
            continue
        ax.imshow(x[i], cmap="gray_r")
        if y_pred is None:
            ax.set_title(_text(y[i]), fontsize=10)
        else:
            wrong = y_pred[i] != y[i]
            ax.set_title(f"{_text(y_pred[i])} (true {_text(y[i])})", fontsize=9,
                         color="red" if wrong else "black", weight="bold" if wrong else None)
            if wrong:
                # A red frame makes the mistakes findable at a glance.
                ax.axis("on")
                ax.set_xticks([])
                ax.set_yticks([])
                for spine in ax.spines.values():
                    spine.set_color("red")
                    spine.set_linewidth(2)
    return _finish(plt, fig, path)


def filters(kernel, path=None, n=32, channel=0):
    """Draw the filters of a convolution: one small image per output channel.

    Weights are drawn with a diverging colormap centred on 0 (red positive, blue
    negative), each filter scaled to its own largest absolute weight.

    Args:
        kernel: A ``Conv2D`` layer (its kernel is used) or an array
            ``(kh, kw, in_channels, filters)``.
        path: Where to write a PNG; None writes nothing.
        n: How many of the first filters to draw.
        channel: Which input channel of each filter to draw.

    Returns:
        The ``Figure`` (1 inch per filter, 8 per row).

    Raises:
        ValueError: ``kernel`` is not 4-D or ``channel`` is out of range.
    """
    k = np.asarray(getattr(kernel, "kernel", kernel))
    if k.ndim != 4 or not 0 <= channel < k.shape[2]:
        raise ValueError(f"plot.filters: expected a Conv2D layer or a kernel of shape (kh, kw, "
                         f"in_channels, filters) and a channel below in_channels, received "
                         f"shape {k.shape} and channel={channel}.")
    n = min(n, k.shape[3])
    cols = min(n, 8)
    rows = math.ceil(n / cols)
    plt = _pyplot()
    fig, axes = plt.subplots(rows, cols, figsize=(cols, rows + 0.3), dpi=_DPI, squeeze=False,
                             layout="constrained")
    for i, ax in enumerate(axes.flat):
        ax.axis("off")
        if i < n:
            w = k[:, :, channel, i]
            scale = float(np.abs(w).max()) or 1.0
            ax.imshow(w, cmap="bwr", vmin=-scale, vmax=scale)
            ax.set_title(str(i), fontsize=8)
    return _finish(plt, fig, path)


def feature_maps(model, image, path=None, n=8):
    """Run one image through a ``Sequential`` and draw what its image-shaped layers output.

    One row per layer whose output is ``(height, width, channels)`` (convolutions,
    poolings), showing its first ``n`` channels; the input image is drawn first.

    Args:
        model: A built ``Sequential`` (or any object with a ``layers`` list).
        image: One image ``(height, width, channels)``.
        path: Where to write a PNG; None writes nothing.
        n: Channels drawn per layer.

    Returns:
        The ``Figure`` (1.2 inches per map).

    Raises:
        ValueError: ``image`` is not 3-D or no layer has an image-shaped output.
    """
    x = np.asarray(image, dtype=np.float32)
    if x.ndim != 3:
        raise ValueError(f"plot.feature_maps: expected one image (height, width, channels), "
                         f"received shape {x.shape}; pass x[0] rather than a batch.")
    rows, out = [("input", x)], x[None]
    for layer in model.layers:
        out = layer(out, training=False)
        if out.ndim == 4:
            rows.append((layer.name, np.asarray(out.numpy()[0])))
    if len(rows) == 1:
        raise ValueError("plot.feature_maps: no layer of the model outputs feature maps "
                         "(height, width, channels).")
    cols = min(n, max(m.shape[-1] for _, m in rows))
    plt = _pyplot()
    fig, axes = plt.subplots(len(rows), cols, figsize=(1.2 * cols, 1.3 * len(rows)), dpi=_DPI,
                             squeeze=False, layout="constrained")
    for (name, maps), line in zip(rows, axes, strict=True):
        for c, ax in enumerate(line):
            ax.axis("off")
            if c < maps.shape[-1]:
                ax.imshow(maps[:, :, c], cmap="viridis")
        line[0].set_title(name, fontsize=9, loc="left")
    return _finish(plt, fig, path)


def _text(label):
    # Labels often arrive as floats (y of shape (n, 1) float32): print 1.0 as "1".
    if isinstance(label, (int, float, np.number)) and float(label).is_integer():
        return str(int(label))
    return str(label)


def _predict_quietly(model, points):
    # Keras-style predict prints a progress bar and batches by 32; ask for neither when
    # the model's predict accepts them (a Perceptron's does not).
    params = inspect.signature(model.predict).parameters
    takes_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    options = {k: v for k, v in (("verbose", 0), ("batch_size", len(points)))
               if takes_any or k in params}
    return model.predict(points, **options)


def _pyplot():
    try:
        import matplotlib
    except ImportError as error:
        raise ImportError(_INSTALL_HINT) from error
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    # Respect a backend the user (or Jupyter, via MPLBACKEND) already chose.
    if headless and "MPLBACKEND" not in os.environ and "matplotlib.pyplot" not in sys.modules:
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _finish(plt, fig, path):
    if path is not None:
        folder = os.path.dirname(os.fspath(path))
        if folder:
            os.makedirs(folder, exist_ok=True)
        fig.savefig(path, dpi=_DPI)
        # Saved figures stay usable but leave pyplot's registry (no "too many figures").
        plt.close(fig)
    elif "inline" in plt.get_backend():
        # In a notebook the returned Figure renders as the cell's result; left open in
        # pyplot, the inline backend would show it a second time.
        plt.close(fig)
    return fig
