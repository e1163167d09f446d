"""Run the tutorials' programs one after another and print what each achieved.

Order: the bundled data first (house prices, the perceptron, XOR: seconds), then the real
datasets (IMDB reviews, the IMDB LSTM, MNIST digits with the Keras API and by hand,
Keras's simple MNIST convnet for 3 epochs, and the TF-1 graph programs of seeds 004 and
002). Every example runs with its tutorial's settings (IMDB on the full set when imdb.npz
is there, else on the 500-word subset; the LSTM needs the full set); on 2 CPU cores the
whole demo takes several minutes, most of it the 40-epoch trainings, the LSTM's 3 epochs
and the convnet. For a quicker look pass e.g. --mnist-epochs 5 (the LSTM and the convnet
keep their 3 epochs).

Datasets come from $MYELIN_DATASETS, the cache (~/.myelin/datasets) or a download. When
they cannot be had (no files and no network), only the bundled examples run, and the
table says so. Plots are written under --out (default: output/).

Run: python examples/demo.py [--mnist-epochs 40] [--out output]   (or: make demo)
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path

# The examples sit next to this file; make them importable however the demo is started.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import house_prices  # noqa: E402
import imdb_lstm  # noqa: E402
import imdb_sentiment  # noqa: E402
import mnist_convnet  # noqa: E402
import mnist_dnn  # noqa: E402
import mnist_low_level  # noqa: E402
import perceptron  # noqa: E402
import tf1_mnist  # noqa: E402
import tf1_mnist_series  # noqa: E402
import xor  # noqa: E402

from myelin.data.download import DatasetError  # noqa: E402


def _runs(mnist_epochs):
    """(name, seed, module, extra arguments, what to report) for each example, in order."""
    return [
        ("house_prices", "001", house_prices, [],
         lambda r: [("MAE / mean price", f"{r['MAE / mean price']:.1%}")]),
        ("perceptron", "004", perceptron, [],
         lambda r: [(f"{k} accuracy", f"{v:.2f}") for k, v in r.items()]),
        ("xor", "004", xor, [], lambda r: [("correct", f"{r['correct']}/4")]),
        ("imdb_sentiment", "000", imdb_sentiment, [],
         lambda r: [(f"test accuracy ({r['vocabulary']:,} words)", f"{r['test accuracy']:.4f}")]),
        ("imdb_lstm", "000", imdb_lstm, [],
         lambda r: [("test accuracy (Embedding, LSTM(32), 3 epochs)",
                     f"{r['test accuracy']:.4f}")]),
        ("mnist_dnn", "004", mnist_dnn, ["--epochs", str(mnist_epochs)],
         lambda r: [(f"test accuracy ({mnist_epochs} epochs)", f"{r['test accuracy']:.4f}")]),
        ("mnist_low_level", "004", mnist_low_level, ["--epochs", str(mnist_epochs)],
         lambda r: [(f"test accuracy ({mnist_epochs} epochs)", f"{r['test accuracy']:.4f}")]),
        ("mnist_convnet", "keras.io", mnist_convnet, [],
         lambda r: [("test accuracy (3 epochs)", f"{r['test accuracy']:.4f}")]),
        ("tf1_mnist", "004", tf1_mnist, ["--epochs", str(mnist_epochs)],
         lambda r: [(f"test accuracy ({mnist_epochs} epochs, TF-1 graph)",
                     f"{r['test accuracy']:.4f}"),
                    ("restored in a new Session", f"{r['restored accuracy']:.4f}"),
                    ("initializer run again", f"{r['reinitialized accuracy']:.4f}")]),
        ("tf1_mnist_series", "002", tf1_mnist_series, [],
         lambda r: [("test accuracy (10 epochs, Adam, TF-1 graph)",
                     f"{r['test accuracy']:.4f}")]),
    ]


def main(argv=None):
    """Run every example; return the results table as (example, metric, value, seconds) rows."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mnist-epochs", type=int, default=40,
                        help="epochs for both MNIST examples (default: the tutorial's 40)")
    parser.add_argument("--out", type=Path, default=Path("output"), metavar="DIR",
                        help="folder for the plots (default: output)")
    parser.add_argument("--only", nargs="+", metavar="EXAMPLE",
                        help="run only these examples (e.g. --only xor perceptron)")
    args = parser.parse_args(argv)

    rows, missing = [], []
    for name, tutorial, module, extra, report in _runs(args.mnist_epochs):
        if args.only and name not in args.only:
            continue
        print(f"\n{'=' * 20} {name} (tutorial {tutorial}) {'=' * 20}", flush=True)
        start = time.perf_counter()
        try:
            result = module.main([*extra, "--quiet", "--out", str(args.out / name)])
        except DatasetError as error:
            print(f"Skipped: {error}")
            missing.append(name)
            rows.append((name, "skipped: dataset not available", "-", "-"))
            continue
        seconds = f"{time.perf_counter() - start:.1f}"
        rows.extend((name, metric, value, seconds) for metric, value in report(result))

    _print_table(rows)
    if missing:
        print("\n" + textwrap.fill(
            f"No dataset files for {', '.join(missing)} (no $MYELIN_DATASETS, no cache, no "
            "network): only the bundled examples ran. Set MYELIN_DATASETS to a folder holding "
            "mnist/mnist.npz and imdb/imdb_subset_500words.npz (or imdb.npz) and run again.",
            width=88))
    print(f"\nPlots: {args.out.resolve()}")
    return rows


def _print_table(rows):
    header = ("example", "metric", "value", "seconds")
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
    print("\n" + "Results".center(sum(widths) + 6))
    for i, row in enumerate([header, *rows]):
        print("  ".join(str(c).ljust(w) if j < 2 else str(c).rjust(w)
                        for j, (c, w) in enumerate(zip(row, widths, strict=True))))
        if i == 0:
            print("  ".join("-" * w for w in widths))


if __name__ == "__main__":
    main()
