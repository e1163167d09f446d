"""The ``myelin`` command: train a network from a CSV file, predict, describe a model.

    myelin train data.csv --target COLUMN [--hidden 64,32] [--epochs N] [--output DIR]
    myelin predict DIR/model.myelin new.csv [-o predictions.csv] [--proba]
    myelin summary DIR/model.myelin

Errors about the input (a missing file, an unknown column, a cell that is not a
number) are printed as one line on stderr with exit status 2, without a traceback.
"""

import argparse
import sys

from .errors import CliError


def _hidden(text):
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected sizes like 64,32, received {text!r}") \
            from None
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"expected positive sizes like 64,32, received "
                                         f"{text!r}")
    return sizes


def _positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, received {text!r}")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        prog="myelin", description="Train and use neural networks on CSV files.")
    commands = parser.add_subparsers(dest="command", required=True)
    train = commands.add_parser("train", help="train a network on a CSV file",
                                description="Train an MLP to predict one column of a CSV "
                                "file from the others; prints test metrics next to a "
                                "trivial baseline and saves the model and plots.")
    train.add_argument("csv", help="the CSV file (a header row, then one row per sample)")
    train.add_argument("--target", required=True, help="the column to predict")
    train.add_argument("--task", choices=["classification", "regression"],
                       help="override the guess made from the target column")
    train.add_argument("--hidden", type=_hidden, default=[64, 32],
                       help="hidden layer sizes (default: 64,32)")
    train.add_argument("--epochs", type=_positive, default=200,
                       help="most epochs; early stopping usually ends sooner (default: 200)")
    train.add_argument("--batch-size", type=_positive, default=32)
    train.add_argument("--patience", type=_positive, default=15,
                       help="epochs without validation improvement before stopping")
    train.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    train.add_argument("--output", help="folder for model.myelin and the plots "
                       "(default: <csv name>_model)")
    train.add_argument("--quiet", action="store_true", help="no progress display")
    predict = commands.add_parser("predict", help="predict with a trained model",
                                  description="Add a prediction column to each row of a CSV.")
    predict.add_argument("model", help="model.myelin written by `myelin train`")
    predict.add_argument("csv", help="rows to predict (the target column may be absent)")
    predict.add_argument("-o", "--output", help="write here instead of standard output")
    predict.add_argument("--proba", action="store_true",
                         help="also write each class's probability")
    summary = commands.add_parser("summary", help="describe a trained model")
    summary.add_argument("model", help="model.myelin written by `myelin train`")
    return parser


def main(argv=None):
    """Run the command line; returns the exit status."""
    args = build_parser().parse_args(argv)
    from . import commands

    try:
        return getattr(commands, args.command)(args)
    except CliError as error:
        print(f"myelin {args.command}: error: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into a command that stopped reading (head)
        sys.stderr.close()
        return 0
