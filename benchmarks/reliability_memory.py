"""Long-run memory check (issue 17, item 5): RSS over 300 epochs and 20,000 predicts.

Usage: python benchmarks/reliability_memory.py [--epochs 300] [--predicts 20000]
Prints the resident set size after warm-up and at the end of each phase (MB).
"""

import argparse
import json
import os

import numpy as np

from myelin import layers
from myelin.models import Sequential


def rss_mb():
    """Current resident set size from /proc (Linux); the peak elsewhere."""
    try:
        with open(f"/proc/{os.getpid()}/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    parser.add_argument("--predicts", type=int, default=20_000)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = rng.normal(size=(256, 16)).astype(np.float32)
    y = (x[:, 0] > 0).astype(np.int64)
    model = Sequential([layers.Dense(32, activation="relu", input_shape=(16,)),
                        layers.Dropout(0.2), layers.Dense(2, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, epochs=5, verbose=0)  # warm-up
    report = {"after_warmup_mb": rss_mb()}
    for _ in range(args.epochs):
        model.fit(x, y, epochs=1, verbose=0)
    report[f"after_{args.epochs}_epochs_mb"] = rss_mb()
    for _ in range(args.predicts):
        model.predict(x[:8], verbose=0)
    report[f"after_{args.predicts}_predicts_mb"] = rss_mb()
    print(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
