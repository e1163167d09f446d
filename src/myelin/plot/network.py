"""``plot.network(model)``: the picture the seeds draw of a small dense network.

Neurons are circles in columns (inputs, then each Dense layer); each connection is a
line whose colour gives the weight's sign (blue positive, red negative) and whose width
its size; each neuron is labelled with its bias, each column with its activation. Wide
layers show their first neurons, "…", and the last one. ``before=`` draws the weights
before training beside the current ones.
"""

import numpy as np

from .figures import _finish, _pyplot

_POSITIVE, _NEGATIVE = "#1f77b4", "#d62728"
_GAP = 2.2  # horizontal distance between layers, in neuron spacings


def _dense_stack(model):
    """``[(kernel, bias, activation name), ...]`` of a dense network (or a Perceptron)."""
    if hasattr(model, "weights_") and hasattr(model, "bias_"):  # myelin's Perceptron
        if model.weights_ is None:
            raise ValueError("plot.network: the Perceptron is not trained yet; call fit first.")
        return [(np.asarray(model.weights_, float)[:, None], np.array([model.bias_]), "step")]
    stack = []
    for layer in getattr(model, "layers", []):
        kind = type(layer).__name__
        if kind == "InputLayer":
            continue
        if kind != "Dense":
            raise ValueError(f"plot.network draws dense networks; layer '{layer.name}' is a "
                             f"{kind}. Use keras.utils.plot_model(model) for other models.")
        if not layer.built:
            raise ValueError(f"plot.network: layer '{layer.name}' is not built yet; build the "
                             f"model (or call it on data) first.")
        bias = layer.bias.numpy() if layer.bias is not None else np.zeros(layer.units)
        stack.append((layer.kernel.numpy(), bias, _activation(layer)))
    if not stack:
        raise ValueError(f"plot.network: model {getattr(model, 'name', model)!r} has no Dense "
                         f"layers to draw.")
    return stack


def _activation(layer):
    fn = layer.activation
    return "linear" if fn is None else getattr(fn, "__name__", type(fn).__name__)


def _shown(n, most):
    """Indices of the neurons drawn (None marks the "…" gap)."""
    if n <= most:
        return list(range(n))
    return list(range(most - 1)) + [None, n - 1]


def _with_weights(stack, weights):
    """The stack with kernels and biases replaced by ``weights`` (get_weights order)."""
    flat = list(weights)
    out = []
    for _, _, activation in stack:
        k = np.asarray(flat.pop(0))
        b = np.asarray(flat.pop(0)) if flat and np.ndim(flat[0]) == 1 else np.zeros(k.shape[1])
        out.append((k, b, activation))
    return out


def _draw(ax, stack, max_neurons, title):
    sizes = [stack[0][0].shape[0]] + [k.shape[1] for k, _, _ in stack]
    columns = [_shown(n, max_neurons) for n in sizes]
    tallest = max(len(c) for c in columns)
    positions = []
    for x, column in enumerate(columns):
        offset = (tallest - len(column)) / 2
        positions.append({idx: (_GAP * x, -(offset + row)) for row, idx in enumerate(column)})
    biggest = max(float(np.abs(k).max()) for k, _, _ in stack) or 1.0
    for layer, (kernel, bias, activation) in enumerate(stack):
        left, right = positions[layer], positions[layer + 1]
        for i, (x0, y0) in left.items():
            for j, (x1, y1) in right.items():
                if i is None or j is None:
                    continue
                w = kernel[i, j]
                ax.plot([x0, x1], [y0, y1], color=_POSITIVE if w >= 0 else _NEGATIVE,
                        linewidth=0.3 + 3.2 * abs(w) / biggest, alpha=0.8, zorder=1)
        for j, (x1, y1) in right.items():
            if j is not None:
                ax.text(x1 + 0.12, y1 + 0.18, f"b={bias[j]:.2f}", fontsize=7, zorder=3)
        ax.text(_GAP * (layer + 1), 0.9, activation, ha="center", fontsize=8, style="italic")
    for column in positions:
        for idx, (x, y) in column.items():
            if idx is None:
                ax.text(x, y, "…", ha="center", va="center", fontsize=14)
            else:
                ax.add_patch(_circle(x, y))
    ax.text(0, 0.9, "inputs", ha="center", fontsize=8, style="italic")
    ax.set_xlim(-0.6, _GAP * (len(columns) - 1) + 0.9)
    ax.set_ylim(-tallest - 0.2, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)


def _circle(x, y):
    from matplotlib.patches import Circle

    return Circle((x, y), 0.22, facecolor="white", edgecolor="black", linewidth=1.2, zorder=2)


def network(model, path=None, before=None, max_neurons=8, title=None):
    """Draw a small dense network's neurons and weights.

    Args:
        model: a model of Dense layers (Sequential or functional), or a trained
            ``myelin.models.Perceptron``.
        path: optional PNG/SVG/PDF file to write.
        before: optional weights from before training (``model.get_weights()`` then);
            drawn on the left, the current weights on the right.
        max_neurons: most neurons drawn per layer; wider layers show "…".
        title: optional title (default: the model's name).

    Returns:
        The matplotlib ``Figure``.

    Example:
        >>> before = model.get_weights()
        >>> model.fit(x, y, epochs=300, verbose=0)
        >>> myelin.plot.network(model, before=before, path="xor_network.png")
    """
    if isinstance(max_neurons, bool) or not isinstance(max_neurons, int) or max_neurons < 2:
        raise ValueError(f"plot.network: max_neurons must be an int >= 2, received "
                         f"{max_neurons!r}.")
    stack = _dense_stack(model)
    plt = _pyplot()
    panels = [(stack, title or getattr(model, "name", "network"))]
    if before is not None:
        panels = [(_with_weights(stack, before), "before training"),
                  (stack, "after training")]
    width = max(3.5, 0.9 * _GAP * (len(stack) + 1)) * len(panels)
    height = max(3.0, 0.55 * min(max_neurons, max(k.shape[0] for k, _, _ in stack)) + 1.2)
    fig, axes = plt.subplots(1, len(panels), figsize=(width, height), squeeze=False)
    for ax, (panel_stack, panel_title) in zip(axes[0], panels, strict=True):
        _draw(ax, panel_stack, max_neurons, panel_title)
    fig.tight_layout()
    return _finish(plt, fig, path)
