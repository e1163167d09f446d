"""How myelin's epoch time and memory scale with batch size and layer width.

    python benchmarks/scaling.py [--quick] [--rows N]

Batch study: the mnist-mlp network (784-300-100-10) at batch 1 ... 4096.
Width study: 784-w-w-10 at batch 256, w = 64 ... 4096.
Each point runs in a fresh process (so its peak RSS is its own) on random MNIST-shaped
data, 2 epochs of SGD, timing the second. Writes SCALING.md and, when matplotlib is
installed, scaling.png. `--module keras` runs the same study in Keras (from its venv).
"""

import argparse
import json
import os
import subprocess
import sys
import time
from itertools import pairwise
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "workloads"))
import common  # noqa: E402

BATCHES = [2**k for k in range(13)]  # 1 ... 4096
WIDTHS = [2**k for k in range(6, 13)]  # 64 ... 4096


def one_point(module, batch, widths, rows):
    """Train one configuration in this process and return its measurements."""
    keras = __import__(module)
    from keras_peer import epoch_timer

    rng = np.random.default_rng(0)
    x = rng.random((rows, 784), dtype=np.float32)
    y = rng.integers(0, 10, rows)
    model = keras.Sequential(
        [keras.layers.Input(shape=(784,))]
        + [keras.layers.Dense(w, activation="relu") for w in widths]
        + [keras.layers.Dense(10, activation="softmax")]
    )
    model.compile(
        optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="sparse_categorical_crossentropy"
    )
    timer = epoch_timer(keras)
    rss_before = common.training_starts()
    model.fit(x, y, batch_size=batch, epochs=2, verbose=0, callbacks=[timer])
    sizes = [784, *widths, 10]
    params = sum(a * b + b for a, b in pairwise(sizes))
    seconds = timer.times[-1]
    peak = common.training_peak()
    # What training must hold (float32): weights, their gradients, and each Dense layer's
    # saved input and output; plain SGD has no optimizer slots.
    needed = 4 * (2 * params + batch * sum(a + b for a, b in pairwise(sizes))) / 2**20
    held = 4 * params / 2**20 + peak - rss_before  # the weights are allocated before fit
    return {
        "batch": batch,
        "width": widths[0],
        "rows": rows,
        "epoch_s": seconds,
        "us_per_row": seconds / rows * 1e6,
        "gflops": 6 * params * rows / seconds / 1e9,
        "rss_before_fit_mb": rss_before,
        "peak_rss_mb": peak,
        "needed_mb": needed,
        "held_mb": held,
    }


def measure(module, batch, widths, rows):
    """Run one_point in a fresh interpreter; None (and a printed reason) if it fails."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(
            filter(None, [str(common.REPO / "src"), os.environ.get("PYTHONPATH")])
        ),
    )
    spec = json.dumps([module, batch, widths, rows])
    proc = subprocess.run(
        [sys.executable, __file__, "--point", spec], capture_output=True, text=True, env=env
    )
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or [f"exit status {proc.returncode}"]
        print(f"skipped: batch {batch} widths {widths}: {lines[-1]}", flush=True)
        return None
    point = json.loads(proc.stdout.splitlines()[-1])
    print(
        f"batch {batch:5d} width {widths[0]:5d}: epoch {point['epoch_s']:.3f} s, "
        f"peak {point['peak_rss_mb']:.0f} MB",
        flush=True,
    )
    return point


def table(points, key):
    lines = [
        f"| {key} | epoch (s) | µs per row | GFLOP/s | RSS before fit (MB) | "
        "peak RSS during fit (MB) | needed (MB) | held (MB) | held / needed |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {p[key]} | {p['epoch_s']:.3f} | {p['us_per_row']:.1f} | {p['gflops']:.1f} | "
        f"{p['rss_before_fit_mb']:.0f} | {p['peak_rss_mb']:.0f} | {p['needed_mb']:.1f} | "
        f"{p['held_mb']:.1f} | {p['held_mb'] / p['needed_mb']:.2f} |"
        for p in points
    ]
    return lines


def plot(by_batch, by_width, path):
    try:
        import matplotlib

        matplotlib.use("Agg")  # files only, no display needed
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib not installed: no plot")
        return False
    fig, axes = plt.subplots(2, 2, figsize=(10, 7))
    for col, (points, key) in enumerate(((by_batch, "batch"), (by_width, "width"))):
        xs = [p[key] for p in points]
        axes[0, col].loglog(xs, [p["epoch_s"] for p in points], "o-", base=2)
        axes[0, col].set_ylabel("epoch time (s)")
        axes[1, col].semilogx(xs, [p["peak_rss_mb"] for p in points], "o-", base=2)
        axes[1, col].set_ylabel("peak RSS during fit (MB)")
        axes[1, col].set_xlabel(key)
    fig.suptitle("myelin scaling: batch (784-300-100-10) and width (784-w-w-10, batch 256)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return True


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer points and rows")
    parser.add_argument("--rows", type=int, help="training rows per epoch (default 8192)")
    parser.add_argument("--module", default="myelin", help="framework to import as keras")
    parser.add_argument("--point", help=argparse.SUPPRESS)  # internal: one child run
    args = parser.parse_args()
    if args.point:
        print(json.dumps(one_point(*json.loads(args.point))))
        return
    rows = args.rows or (4096 if args.quick else 8192)  # at least the largest batch
    batches = BATCHES[::4] if args.quick else BATCHES
    widths = WIDTHS[::3] if args.quick else WIDTHS

    by_batch = [measure(args.module, b, [300, 100], rows) for b in batches]
    by_width = [measure(args.module, 256, [w, w], rows) for w in widths]
    by_batch, by_width = [p for p in by_batch if p], [p for p in by_width if p]
    if not by_batch and not by_width:
        sys.exit(f"no point could be measured with {args.module}: nothing written")
    suffix = "" if args.module == "myelin" else f"-{args.module}"
    png = HERE / f"scaling{suffix}.png"
    has_plot = bool(by_batch and by_width) and plot(by_batch, by_width, png)
    lines = [
        f"# {args.module} scaling" + (" (quick run)" if args.quick else ""),
        "",
        f"{time.strftime('%Y-%m-%d %H:%M %Z')}, {rows} random MNIST-shaped rows per epoch, "
        "SGD, second epoch timed. Written by `python benchmarks/scaling.py`.",
        "",
        "*needed*: what training must hold in float32: the weights, their gradients and "
        "each Dense layer's saved input and output (plain SGD keeps no optimizer slots). "
        "*held*: the weights plus the growth of the process's peak RSS during fit. "
        "RSS moves in pages and includes allocator slack, so small models read high.",
        "",
        "## Batch size (784-300-100-10)",
        "",
        *table(by_batch, "batch"),
        "",
        "## Width (784-w-w-10, batch 256)",
        "",
        *table(by_width, "width"),
    ]
    if has_plot:
        lines += ["", f"![scaling]({png.name})"]
    (HERE / f"SCALING{suffix}.md").write_text("\n".join(lines) + "\n")
    print(f"wrote {HERE / f'SCALING{suffix}.md'}")


if __name__ == "__main__":
    main()
