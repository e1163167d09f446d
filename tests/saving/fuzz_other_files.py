"""Mutation fuzzing of ``.keras`` archives and ``tf.train.Saver`` checkpoints (issue 17).

The contract is the ``.myelin`` fuzzer's (``fuzz_model_files.py``): a ``.keras`` mutant
loads into a model predicting finite values of the right shape, or is refused with a
``ValueError``/``TypeError`` subclass; a checkpoint mutant restores every variable with
its shape and dtype, or is refused and leaves every variable as it was. Seeds: files
real Keras 3 saved (``keras_files/``) plus one myelin wrote; a small TF-1 graph's
checkpoint (an ``.npz``, so its .npy headers are edited too).

Usage (the long runs whose numbers are in docs/RELIABILITY.md):
    python tests/saving/fuzz_other_files.py --kind keras --mutants 20000 --seed 0
    python tests/saving/fuzz_other_files.py --kind saver --mutants 20000 --seed 0
"""

import argparse
import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
import fuzz_model_files as base  # noqa: E402

import myelin as tf  # noqa: E402
from myelin import layers  # noqa: E402
from myelin.models import Sequential  # noqa: E402

KERAS_SEEDS = ["seq_dense", "seq_conv", "seq_recurrent", "seq_embedding"]
NPY_KINDS = tuple(k for k in base.KINDS if k != "json")  # plus npy_header edits (20%)
HEADER_EDITS = [(b"'<f4'", [b"'|O'", b"'<f8'", b"'>f4'", b"'<U9'", b"'<i8'", b"'|b1'"]),
                (b"'fortran_order': False", [b"'fortran_order': True"]),
                (b"'shape': (", [b"'shape': (0, ", b"'shape': (99999999, ", b"'shape': (-1, ",
                                 b"'shape': (", b"'shape': ((), "])]


def keras_seeds(folder):
    """Real Keras 3 files, and one .keras file myelin wrote (compiled, Adam)."""
    here = Path(__file__).parent / "keras_files"
    seeds = [(here / f"{name}.keras").read_bytes() for name in KERAS_SEEDS]
    model = Sequential([layers.Dense(5, activation="relu", input_shape=(4,)),
                        layers.BatchNormalization(), layers.Dense(2)])
    model.compile("adam", "mse")
    path = Path(folder) / "mlp.keras"
    model.save(path)
    return seeds + [path.read_bytes()]


def npy_header_edit(rng, data):
    """Edit the dtype, order or shape text in one .npy member's header (CRCs recomputed)."""
    members = [(i.filename, payload) for i, payload in base._members(data)]
    i = rng.randrange(len(members))
    name, payload = members[i]
    old, choices = rng.choice(HEADER_EDITS)
    members[i] = (name, payload.replace(old, rng.choice(choices), 1))
    return base._zip(members)


class SaverTarget:
    """A TF-1 graph with a Saver, its session and a valid checkpoint's bytes."""

    def __init__(self, folder):
        tf.disable_eager_execution()  # tf.Variable joins the graph the Saver collects
        tf.reset_default_graph()
        with tf.name_scope("dnn"):
            self.variables = [tf.Variable(tf.random_normal((3, 2)), name="kernel"),
                              tf.Variable(tf.zeros([2]), name="bias"),
                              tf.Variable(0, name="step")]
        self.saver = tf.train.Saver()
        self.sess = tf.Session()
        self.sess.run(tf.global_variables_initializer())
        self.path = str(Path(folder) / "model.ckpt")
        self.saver.save(self.sess, self.path)
        self.seed = Path(self.path + ".index").read_bytes()

    def check(self, data):
        """'restored' or 'refused (...)'; asserts the contract otherwise."""
        Path(self.path + ".index").write_bytes(data)
        before = [v.numpy().copy() for v in self.variables]
        try:
            self.saver.restore(self.sess, self.path)
        except base.ALLOWED as error:
            for old, var in zip(before, self.variables, strict=True):
                assert np.array_equal(old, var.numpy(), equal_nan=True), \
                    "a refused checkpoint changed a variable"
            return f"refused ({type(error).__name__})"
        for old, var in zip(before, self.variables, strict=True):
            value = var.numpy()
            assert value.shape == old.shape and value.dtype == old.dtype, \
                f"restored {value.dtype}{value.shape} into {old.dtype}{old.shape}"
        return "restored"

    def close(self):
        self.sess.close()
        tf.enable_eager_execution()
        tf.reset_default_graph()


def run(kind, count, seed, folder, report_every=0):
    """Fuzz ``count`` mutants of ``kind`` ('keras' or 'saver'); failures are listed."""
    rng = random.Random(seed)
    target = SaverTarget(folder) if kind == "saver" else None
    seeds = [target.seed] if target else keras_seeds(folder)

    def draw():
        data = rng.choice(seeds)
        if target and rng.random() < 0.2:
            return "npy_header", npy_header_edit(rng, data)
        if target:
            return base.mutate(rng, data, NPY_KINDS)
        return base.mutate(rng, data)

    try:
        result = base.tally(count, draw, target.check if target else base.check, report_every)
    finally:
        if target:
            target.close()
    return {"kind": kind, **result}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kind", choices=["keras", "saver"], required=True)
    parser.add_argument("--mutants", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    return base.report(lambda folder: run(args.kind, args.mutants, args.seed, folder,
                                          report_every=2000))


if __name__ == "__main__":
    sys.exit(main())
