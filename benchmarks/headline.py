"""The headline: 98 % on MNIST in under 10 s, whole process, beside PyTorch and Keras.

    python benchmarks/headline.py [--frameworks myelin torch keras] [--runs 3]

Runs examples/mnist_fast.py (myelin) and the same network and schedule in PyTorch and
Keras (workloads/mnist_fast_peer.py, in the venvs setup_peers.sh makes) as whole
processes, ``runs`` consecutive times each, and prints the wall time of every run from
process start to exit (imports and data loading included) with its test accuracy.
"""

import argparse
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO / "examples"))
import mnist_fast  # noqa: E402  (the myelin example: its constants are the schedule)

PYTHONS = {
    "myelin": Path(sys.executable),
    "keras": HERE / ".venv-tf" / "bin" / "python",
    "torch": HERE / ".venv-torch" / "bin" / "python",
}


def command(framework):
    """The argv that trains and tests the headline network in ``framework``."""
    if framework == "myelin":
        return [str(PYTHONS["myelin"]), str(REPO / "examples" / "mnist_fast.py")]
    schedule = [",".join(str(u) for u in mnist_fast.HIDDEN), str(mnist_fast.EPOCHS),
                str(mnist_fast.PEAK_RATE), str(mnist_fast.BATCH)]
    return [str(PYTHONS[framework]), str(HERE / "workloads" / "mnist_fast_peer.py"),
            framework, *schedule]


def run_once(framework):
    """(wall seconds, test accuracy) of one whole process."""
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(REPO / "src"), str(HERE / "workloads"), env.get("PYTHONPATH")]))
    start = time.perf_counter()
    proc = subprocess.run(command(framework), capture_output=True, text=True, env=env)
    seconds = time.perf_counter() - start
    found = re.search(r"accuracy (\d\.\d+)", proc.stdout)
    if proc.returncode != 0 or not found:
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        raise RuntimeError(f"{framework}: {tail}")
    return seconds, float(found.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frameworks", nargs="+", choices=list(PYTHONS),
                        default=list(PYTHONS))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    widths = "-".join(str(u) for u in mnist_fast.HIDDEN)
    print(f"network 784-{widths}-10, Adam peak {mnist_fast.PEAK_RATE} cosine, "
          f"batch {mnist_fast.BATCH}, {mnist_fast.EPOCHS} epochs on 60k; "
          f"{os.cpu_count()} CPUs")
    print("| framework | wall s per run (from process start) | median s | test accuracy "
          "| < 10 s and >= 98.0 % every run |")
    print("|---|---|---|---|---|")
    for framework in args.frameworks:
        if not PYTHONS[framework].exists():
            print(f"| {framework} | skipped: no {PYTHONS[framework]} "
                  f"(bash benchmarks/setup_peers.sh) | | | |")
            continue
        results = [run_once(framework) for _ in range(args.runs)]
        times = [t for t, _ in results]
        accuracies = [a for _, a in results]
        ok = all(t < 10 and a >= 0.98 for t, a in results)
        print(f"| {framework} | {', '.join(f'{t:.2f}' for t in times)} | "
              f"{statistics.median(times):.2f} | "
              f"{', '.join(f'{a:.4f}' for a in accuracies)} | {'yes' if ok else 'no'} |",
              flush=True)


if __name__ == "__main__":
    main()
