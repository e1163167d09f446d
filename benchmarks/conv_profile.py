"""Where the convnet workload's time goes in myelin: per-op time, conv GFLOP/s, peak RSS.

    python benchmarks/conv_profile.py [--batches 40] [--json]

Trains the convnet workload's model (workloads/keras_peer.py's code under
`import myelin as keras`) on a fixed slice of MNIST: a few batches to warm up, then
``--batches`` batches of 128, with every op's ``forward`` and ``backward`` timed (wall
and CPU time), and the validation forward pass timed apart. Prints, per op and
direction, the share of the training step; the convolutions' arithmetic rate
(2 FLOPs per multiply-add forward, x3 for forward plus backward, as
``common.conv_flops_per_epoch`` counts them) next to this machine's sgemm rate; the
epoch time these per-batch costs project to; and the peak resident memory of the fit.
``run.py`` runs it after the convnet workload and RESULTS.md shows it. Run it on a quiet
machine: wall times on a loaded one mean little (CPU times less so).
"""

import argparse
import json
import os
import resource
import sys
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "workloads"))
import common  # noqa: E402
import keras_peer  # noqa: E402

WORKLOAD = "convnet"
WARMUP = 3  # batches: first allocations, the BLAS thread pool


def _all_functions(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_functions(sub)


class OpTimer:
    """Times every ``Function`` subclass's own ``forward`` and ``backward`` while active.

    Only methods a class defines itself are wrapped, so a subclass that inherits its
    parent's method is counted under the parent's name once.
    """

    def __init__(self, function_base):
        self.wall = defaultdict(float)
        self.cpu = defaultdict(float)
        self.calls = defaultdict(int)
        self.on = False
        self._saved = []
        for cls in set(_all_functions(function_base)):
            for method in ("forward", "backward"):
                if method in vars(cls):
                    self._wrap(cls, method)

    def _wrap(self, cls, method):
        inner = vars(cls)[method]
        key = f"{cls.__name__}.{method}"
        timer = self

        def timed(*args, **kwargs):
            if not timer.on:
                return inner(*args, **kwargs)
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return inner(*args, **kwargs)
            finally:
                timer.wall[key] += time.perf_counter() - wall
                timer.cpu[key] += time.process_time() - cpu
                timer.calls[key] += 1

        self._saved.append((cls, method, inner))
        setattr(cls, method, timed)

    def restore(self):
        for cls, method, inner in self._saved:
            setattr(cls, method, inner)


def profile(batches):
    """Train ``batches`` batches with per-op timing; return the measurements as a dict."""
    import myelin as keras
    from myelin.autodiff import Function

    keras.utils.set_random_seed(0)
    x, y, validation, _ = common.load(WORKLOAD)
    size = common.WORKLOADS[WORKLOAD]["batch"]
    rows = batches * size
    x, y = x[:(batches + WARMUP) * size], y[:(batches + WARMUP) * size]
    x_val = validation[0][:rows]
    model, compile_args = keras_peer.build(keras, WORKLOAD)
    model.compile(**compile_args)
    timer = OpTimer(Function)
    try:
        model.fit(x[:WARMUP * size], y[:WARMUP * size], batch_size=size, epochs=1, verbose=0)
        rss_before = common.training_starts()
        timer.on = True
        wall, cpu = time.perf_counter(), time.process_time()
        model.fit(x[WARMUP * size:], y[WARMUP * size:], batch_size=size, epochs=1, verbose=0)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        timer.on = False
        peak = common.training_peak()
        val_wall = time.perf_counter()
        model.predict(x_val, batch_size=size, verbose=0)
        val_wall = time.perf_counter() - val_wall
    finally:
        timer.restore()
    return _summary(batches, wall, cpu, val_wall, timer, rss_before, peak)


def _summary(batches, wall, cpu, val_wall, timer, rss_before, peak):
    spec = common.WORKLOADS[WORKLOAD]
    size = spec["batch"]
    conv_keys = [k for k in timer.wall if k.startswith("Conv.")]
    conv_wall = sum(timer.wall[k] for k in conv_keys)
    conv_cpu = sum(timer.cpu[k] for k in conv_keys)  # the rate a loaded machine still shows
    conv_flops = 3 * 2 * common.CONV_MACS[WORKLOAD] * batches * size
    per_row = wall / (batches * size)
    ops = {k: {"wall_s": round(timer.wall[k], 4), "cpu_s": round(timer.cpu[k], 4),
               "calls": timer.calls[k]} for k in sorted(timer.wall, key=timer.wall.get,
                                                       reverse=True)}
    return {
        "workload": WORKLOAD,
        "batches": batches,
        "batch_size": size,
        "threads": os.cpu_count(),
        "train_wall_s": round(wall, 4),
        "train_cpu_s": round(cpu, 4),
        "ops": ops,
        "rest_wall_s": round(wall - sum(timer.wall.values()), 4),
        "rest_cpu_s": round(cpu - sum(timer.cpu.values()), 4),
        "conv_gflops": round(conv_flops / conv_wall / 1e9, 2) if conv_wall else None,
        "conv_gflops_per_cpu_s": round(conv_flops / conv_cpu / 1e9, 2) if conv_cpu else None,
        "projected_epoch_s": round(per_row * spec["rows"]
                                   + val_wall / (batches * size) * spec["val"], 2),
        "rss_before_fit_mb": rss_before,
        "peak_rss_mb": peak,
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def lines(result, sgemm=None):
    """The result as Markdown: the summary, then one table row per op and direction."""
    wall = result["train_wall_s"]
    peak = f" (sgemm {sgemm:.1f})" if sgemm else ""
    out = [
        f"- {result['batches']} training batches of {result['batch_size']}: "
        f"{wall:.3f} s wall, {result['train_cpu_s']:.3f} s CPU; projected epoch "
        f"(54,000 rows + 6,000 validated): {result['projected_epoch_s']:.2f} s",
        f"- convolutions (fwd + bwd, 3 x 2 x MACs): {result['conv_gflops']} GFLOP/s{peak}; "
        f"per CPU second: {result['conv_gflops_per_cpu_s']}",
        f"- peak RSS during fit: {result['peak_rss_mb']:.0f} MB (before fit "
        f"{result['rss_before_fit_mb']:.0f} MB)",
        "",
        "| op | wall (s) | share of step | CPU (s) | calls |",
        "|---|---|---|---|---|",
    ]
    for key, op in result["ops"].items():
        out.append(f"| {key} | {op['wall_s']:.3f} | {100 * op['wall_s'] / wall:.1f}% | "
                   f"{op['cpu_s']:.3f} | {op['calls']} |")
    rest = result["rest_wall_s"]
    out.append(f"| rest (Python, optimizer, data) | {rest:.3f} | {100 * rest / wall:.1f}% "
               f"| {result['rest_cpu_s']:.3f} |  |")
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batches", type=int, default=40, help="timed training batches")
    parser.add_argument("--json", action="store_true", help="print one JSON line (run.py)")
    args = parser.parse_args()
    result = profile(args.batches)
    if args.json:
        print(json.dumps(result), flush=True)
    else:
        print("\n".join(lines(result)))


if __name__ == "__main__":
    main()
