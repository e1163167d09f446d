"""A single threshold neuron learns AND and OR but not XOR; two layers learn XOR (seed 004).

The Perceptron (one linear threshold unit, Rosenblatt's learning rule) separates any set
that a straight line can split: AND and OR it learns in a few epochs. For XOR no line
exists, so it never stops making mistakes and gets at most 3 of the 4 cases right. The
multi-layer perceptron of xor.py (2-4-1) learns XOR. Plots: the decision boundaries, the
perceptron's weights, and the MLP's weights before and after training.

Run: python examples/perceptron.py [--epochs 300] [--out output/perceptron]
"""

import numpy as np
from example_cli import parse_args, plot_or_skip
from xor import train_xor_network

from myelin import plot
from myelin.data.datasets import xor
from myelin.models import Perceptron


def main(argv=None):
    """Fit the perceptron to AND, OR and XOR and the MLP to XOR; return their accuracies."""
    args = parse_args(argv, "perceptron", __doc__, epochs=300, limit=False)
    x, y_xor = xor.load_data()
    y_xor = y_xor[:, 0].astype(int)
    truth_tables = {"AND": np.array([0, 0, 0, 1]), "OR": np.array([0, 1, 1, 1]), "XOR": y_xor}

    results, plots = {}, []
    print(f"{'':<22} {'accuracy':>8} {'epochs':>7}  mistakes per epoch")
    for name, y in truth_tables.items():
        perceptron = Perceptron(max_epochs=20).fit(x, y)
        accuracy = float(np.mean(perceptron.predict(x) == y))
        results[f"perceptron {name}"] = accuracy
        print(f"{'perceptron on ' + name:<22} {accuracy:>8.2f} {len(perceptron.errors_):>7}  "
              f"{perceptron.errors_}{'' if perceptron.converged_ else ' (never converges)'}")
        plots.append((perceptron, y, f"perceptron_{name.lower()}.png"))

    mlp, _, initial_weights = train_xor_network(x, y_xor[:, None].astype(np.float32),
                                                args.epochs)
    accuracy = float(np.mean((mlp.predict(x, verbose=0)[:, 0] > 0.5) == y_xor))
    results["MLP XOR"] = accuracy
    print(f"{'2-4-1 MLP on XOR':<22} {accuracy:>8.2f} {args.epochs:>7}")
    plots.append((mlp, y_xor, "mlp_xor.png"))
    for model, y, filename in plots:
        plot_or_skip(plot.decision_boundary, model, x, y, path=args.out / filename)
    plot_or_skip(plot.network, plots[0][0], title="perceptron (AND)",
                 path=args.out / "perceptron_network.png")
    plot_or_skip(plot.network, mlp, before=initial_weights, path=args.out / "mlp_network.png")
    return results


if __name__ == "__main__":
    main()
