"""What every example script shares: its command line and where its plots go.

Not part of the tutorials; the examples import it so that each one keeps only the
tutorial's own code.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import myelin as tf


def parse_args(argv, name: str, doc: str, epochs: int, add_arguments=None, limit=True):
    """Parse an example's command line and seed the library's random generator.

    Every example takes ``--epochs``, ``--out DIR`` (default ``output/<name>``), ``--seed``,
    ``--quiet`` and ``--logdir DIR`` (TensorBoard logs, for the examples that train with
    ``fit``); those that train on a dataset also take ``--limit N`` (train on the first N
    rows, for smoke tests).

    Args:
        argv: The arguments (None reads ``sys.argv``).
        name: The example's name, used for the default output folder.
        doc: The example's description (its module docstring).
        epochs: The tutorial's number of epochs, the default of ``--epochs``.
        add_arguments: Optional function adding the example's own options to the parser.
        limit: Whether the example offers ``--limit`` (not for the 4-row truth tables).

    Returns:
        The parsed ``argparse.Namespace``; ``out`` is a ``Path`` and ``verbose`` is the
        Keras ``verbose`` value to pass to ``fit`` and ``evaluate``.
    """
    parser = argparse.ArgumentParser(
        prog=f"{name}.py", description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--epochs", type=int, default=epochs,
                        help=f"training epochs (default: {epochs}, as in the tutorial)")
    if limit:
        parser.add_argument("--limit", type=int, default=None, metavar="N",
                            help="train on the first N rows only (smoke tests)")
    parser.add_argument("--out", type=Path, default=Path("output") / name, metavar="DIR",
                        help=f"folder for the plots (default: output/{name})")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default: 42)")
    parser.add_argument("--quiet", action="store_true", help="no per-epoch progress")
    parser.add_argument("--logdir", type=Path, default=None, metavar="DIR",
                        help="also write TensorBoard logs here (needs myelin[tensorboard]); "
                             "view them with: tensorboard --logdir DIR")
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args(argv)
    if not limit:
        args.limit = None
    if args.epochs < 1 or (args.limit is not None and args.limit < 1):
        parser.error(f"--epochs and --limit must be >= 1, received {args.epochs} and "
                     f"{args.limit}")
    args.verbose = 0 if args.quiet else 2
    tf.random.set_seed(args.seed)
    return args


def fit_callbacks(args):
    """The callbacks the command line asks for: TensorBoard with ``--logdir``."""
    return [tf.keras.callbacks.TensorBoard(args.logdir)] if args.logdir else []


def plot_or_skip(draw, *args, path, **kwargs):
    """Call a ``myelin.plot`` function, or say why there is no plot (matplotlib missing).

    Returns:
        ``path`` when the PNG was written, else None.
    """
    try:
        draw(*args, path=path, **kwargs)
    except ImportError as error:
        print(f"(no plot: {error})")
        return None
    print(f"Saved {path}")
    return path
