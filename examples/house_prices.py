"""One neuron learns house prices from house areas (seed 001, "Neural Nets for Web Developers").

A single Dense(1) unit (a weight and a bias, identity activation) is trained with the mean
absolute error and plain SGD for 100 epochs on the tutorial's 15 houses, then predicts the
prices. Plots: the loss per epoch and the fitted line over the data.

Run: python examples/house_prices.py [--epochs 100] [--out output/house_prices]
"""

import numpy as np
from example_cli import parse_args, plot_or_skip

import myelin as tf
from myelin import plot
from myelin.data.datasets import house_prices as house_prices_data


def main(argv=None):
    """Train, predict, plot; return the final loss and the learned weight and bias."""
    args = parse_args(argv, "house_prices", __doc__, epochs=100)
    house_areas, house_prices = house_prices_data.load_data()
    house_areas, house_prices = house_areas[: args.limit], house_prices[: args.limit]

    ml_model = tf.keras.Sequential([tf.keras.layers.Dense(1)])  # 1
    ml_model.compile(loss="mae", optimizer=tf.keras.optimizers.SGD())  # 2
    ml_model.build((None, 1))  # 3
    ml_model.summary()  # 4
    print(ml_model.weights)  # 5: a random weight, a zero bias

    ml_model_history = ml_model.fit(house_areas, house_prices, epochs=args.epochs,
                                    verbose=args.verbose)
    house_prices_pred = ml_model.predict(house_areas, verbose=0)

    loss = ml_model_history.history["loss"]
    weight, bias = (w.numpy().item() for w in ml_model.weights)
    print(f"\nMAE loss: epoch 1 {loss[0]:,.0f} USD -> epoch {len(loss)} {loss[-1]:,.0f} USD")
    print(f"Learned price = {weight:,.1f} USD/sq. ft * area + {bias:,.2f} USD")
    print(f"{'area (sq. ft)':>14} {'price (USD)':>14} {'predicted':>14}")
    rows = zip(house_areas[:, 0], house_prices, house_prices_pred[:, 0], strict=True)
    for area, price, pred in rows:
        print(f"{area:>14,.0f} {price:>14,.0f} {pred:>14,.0f}")
    relative = np.mean(np.abs(house_prices_pred[:, 0] - house_prices)) / np.mean(house_prices)

    plot_or_skip(plot.history, ml_model_history, path=args.out / "loss.png")
    plot_or_skip(plot.predictions, house_areas, house_prices, house_prices_pred,
                 path=args.out / "fitted_line.png",
                 xlabel="House area (sq. ft)", ylabel="House price (USD)")
    return {"loss": loss, "final MAE (USD)": loss[-1], "MAE / mean price": relative,
            "weight": weight, "bias": bias}


if __name__ == "__main__":
    main()
