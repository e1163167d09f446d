"""A 2-4-1 network learns XOR (seed 004: "How would A XOR B look like?").

No straight line separates XOR's two classes, so a single neuron cannot learn it (see
perceptron.py); one hidden layer of four tanh units can. Plot: the learned decision
boundary over the four points, and the network's weights before and after training.

Run: python examples/xor.py [--epochs 300] [--out output/xor]
"""

from example_cli import parse_args, plot_or_skip

import myelin as tf
from myelin import plot
from myelin.data.datasets import xor


def train_xor_network(x, y, epochs, verbose=0):
    """Build the 2-4-1 network and fit it to ``x, y`` (full batch).

    Returns:
        The trained ``Sequential`` model, its ``History`` and its weights before training.
    """
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(2,)),
        tf.keras.layers.Dense(4, activation="tanh", name="hidden"),
        tf.keras.layers.Dense(1, activation="sigmoid", name="output"),
    ])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.05),
                  loss="binary_crossentropy", metrics=["accuracy"])
    initial_weights = model.get_weights()
    history = model.fit(x, y, epochs=epochs, batch_size=4, verbose=verbose)
    return model, history, initial_weights


def main(argv=None):
    """Train on the truth table; return how many of the 4 cases the network gets right."""
    args = parse_args(argv, "xor", __doc__, epochs=300, limit=False)
    x, y = xor.load_data()

    model, history, initial_weights = train_xor_network(x, y, args.epochs, verbose=args.verbose)
    probabilities = model.predict(x, verbose=0)
    predicted = (probabilities > 0.5).astype(int)
    correct = int((predicted == y).sum())

    print(f"\n{'A':>2} {'B':>2} {'A XOR B':>8} {'network':>8}")
    rows = zip(x.astype(int), y[:, 0].astype(int), probabilities[:, 0], strict=True)
    for (a, b), target, p in rows:
        print(f"{a:>2} {b:>2} {target:>8} {p:>8.3f}")
    print(f"Correct: {correct}/4, final loss {history.history['loss'][-1]:.4f}")

    plot_or_skip(plot.decision_boundary, model, x, y, path=args.out / "decision_boundary.png")
    plot_or_skip(plot.history, history, path=args.out / "history.png")
    plot_or_skip(plot.network, model, before=initial_weights, path=args.out / "network.png")
    return {"correct": correct, "accuracy": correct / 4, "loss": history.history["loss"]}


if __name__ == "__main__":
    main()
