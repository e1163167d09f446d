"""Run the benchmark workloads in myelin, Keras/TF and PyTorch side by side.

    bash benchmarks/setup_peers.sh && python benchmarks/run.py [--quick] [--workloads ...]

Each run is a fresh subprocess in its framework's own interpreter (myelin: this one;
the peers: the venvs setup_peers.sh makes), and the frameworks take turns, so a slow
spell of the machine hits them alike. Writes this CPU's section of RESULTS.md (other
CPUs' sections stay) and the raw RESULTS.json. Needs threadpoolctl, to name the BLAS
kernel: pip install "myelin[bench]".
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "workloads"))
import common  # noqa: E402
import report  # noqa: E402
import results_page  # noqa: E402

# name: (interpreter, peer script, module its users import)
FRAMEWORKS = {
    "myelin": (Path(sys.executable), "myelin_peer.py", "myelin"),
    "keras": (HERE / ".venv-tf" / "bin" / "python", "keras_peer.py", "tensorflow"),
    "torch": (HERE / ".venv-torch" / "bin" / "python", "torch_peer.py", "torch"),
}
TIMEOUT = 3600  # seconds for one run: a hung framework must not stall the suite


def child_env(framework):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PYTHONHASHSEED="0")
    if framework == "myelin":  # benchmark the working tree, installed or not
        env["PYTHONPATH"] = os.pathsep.join(
            filter(None, [str(common.REPO / "src"), env.get("PYTHONPATH")])
        )
    return env


def missing(framework):
    python = FRAMEWORKS[framework][0]
    return None if python.exists() else f"no {python}: run bash benchmarks/setup_peers.sh"


def run_child(framework, args):
    """Run the framework's python with args; return (stdout, error or None)."""
    python = FRAMEWORKS[framework][0]
    try:
        proc = subprocess.run(
            [str(python), *args],
            capture_output=True,
            text=True,
            env=child_env(framework),
            timeout=TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        return "", f"timed out after {TIMEOUT} s"
    if proc.returncode != 0:
        lines = [line for line in proc.stderr.splitlines() if line.strip()]
        return proc.stdout, lines[-1] if lines else f"exit status {proc.returncode}"
    return proc.stdout, None


def sgemm_gflops(n=2048, tries=5):
    """Best float32 n x n matmul rate of NumPy here: the machine's practical peak."""
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((n, n), dtype=np.float32) for _ in range(2))
    a @ b  # warm up the BLAS thread pool
    best = min(_timed(lambda: a @ b) for _ in range(tries))
    return 2 * n**3 / best / 1e9


def _timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def import_cost(framework, tries=5):
    """Median wall time of `import X` in a fresh interpreter less an empty one's, and the
    peak RSS right after it. Both runs execute the RSS probe, so its cost cancels."""
    module = FRAMEWORKS[framework][2]
    if error := missing(framework):
        return {"module": module, "error": error}
    # VmHWM belongs to this process's own address space; ru_maxrss would also count
    # the high-water mark inherited from the (much larger) harness across fork/exec.
    probe = ("print([l.split()[1] for l in open('/proc/self/status') "
             "if l.startswith('VmHWM')][0])")
    base, full, rss = [], [], []
    for _ in range(tries):  # alternate empty and importing runs
        for code, times in ((probe, base), (f"import {module}; {probe}", full)):
            start = time.perf_counter()
            out, error = run_child(framework, ["-c", code])
            times.append(time.perf_counter() - start)
            if error:
                return {"module": module, "error": error}
        rss.append(int(out.split()[-1]) / 1024)
    return {
        "module": module,
        "seconds": statistics.median(full) - statistics.median(base),
        "interpreter_seconds": statistics.median(base),
        "peak_rss_mb": statistics.median(rss),
    }


def conv_profile():
    """myelin's convnet per-op times, conv GFLOP/s and peak RSS (conv_profile.py)."""
    out, error = run_child("myelin", [str(HERE / "conv_profile.py"), "--json"])
    lines = [line for line in out.splitlines() if line.startswith("{")]
    if error or not lines:
        return {"error": error or "printed no result"}
    print(f"convnet profile: {lines[-1][:200]}", flush=True)
    return json.loads(lines[-1])


def run_workload(workload, frameworks, reps, quick):
    """Alternate the frameworks for `reps` rounds; a framework that fails is skipped."""
    spec = common.WORKLOADS[workload]
    frameworks = [f for f in frameworks if f in spec.get("frameworks", frameworks)]
    runs = {f: [] for f in frameworks}
    errors = {f: missing(f) for f in frameworks}
    extra = ["--quick"] if quick else []
    for rep in range(reps):
        order = frameworks[rep % len(frameworks) :] + frameworks[: rep % len(frameworks)]
        for framework in order:
            if errors[framework]:
                continue
            if "script" in spec:  # its own program: the framework is an argument
                script = str(HERE / "workloads" / spec["script"])
                args = [script, FRAMEWORKS[framework][2], "--json", *extra]
            else:
                script = str(HERE / "workloads" / FRAMEWORKS[framework][1])
                args = [script, workload, "--json", *extra]
            out, error = run_child(framework, args)
            lines = [line for line in out.splitlines() if line.startswith("{")]
            if error or not lines:
                errors[framework] = error or "printed no result"
                print(f"skipped: {framework} {workload}: {errors[framework]}", flush=True)
                continue
            result = json.loads(lines[-1])
            runs[framework].append(result)
            times = result["epoch_times"]
            print(
                f"[{rep + 1}/{reps}] {workload} {framework}: median epoch "
                f"{statistics.median(times):.4f} s over {len(times)}",
                flush=True,
            )
    return runs, {f: e for f, e in errors.items() if e}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few epochs, one round: a smoke run")
    parser.add_argument(
        "--workloads", nargs="+", choices=list(common.WORKLOADS), default=list(common.WORKLOADS)
    )
    parser.add_argument(
        "--frameworks", nargs="+", choices=list(FRAMEWORKS), default=list(FRAMEWORKS)
    )
    parser.add_argument("--reps", type=int, help="rounds per workload (default 3, quick 1)")
    parser.add_argument("--out", type=Path, help="default RESULTS.md (quick: RESULTS-quick.md)")
    args = parser.parse_args()
    reps = args.reps or (1 if args.quick else 3)
    out = args.out or HERE / ("RESULTS-quick.md" if args.quick else "RESULTS.md")

    data = {
        "started": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
        "quick": args.quick,
        "reps": reps,
        "load_average": os.getloadavg(),
    }
    data["sgemm_gflops"] = [sgemm_gflops()]
    print(f"sgemm: {data['sgemm_gflops'][0]:.1f} GFLOP/s", flush=True)
    data["machine"] = report.machine()
    print(f"CPU: {data['machine']['cpu']}; BLAS: {data['machine']['blas_kernel']}", flush=True)
    data["imports"] = {}
    for framework in args.frameworks:
        data["imports"][framework] = cost = import_cost(framework)
        print(f"import {cost['module']}: {cost}", flush=True)
    data["workloads"] = {}
    for workload in args.workloads:
        runs, errors = run_workload(workload, args.frameworks, reps, args.quick)
        data["workloads"][workload] = {"runs": runs, "errors": errors}
    if "convnet" in args.workloads and "myelin" in args.frameworks:
        data["conv_profile"] = conv_profile()
    data["sgemm_gflops"].append(sgemm_gflops())  # again at the end: was the machine steady?

    out.with_suffix(".json").write_text(json.dumps(data, indent=1) + "\n")
    old = out.read_text() if out.is_file() else ""
    cpu = data["machine"]["cpu"]
    out.write_text(results_page.merge(old, cpu, report.markdown(data), notes=not args.quick))
    print(f"wrote {out} and {out.with_suffix('.json').name}")


if __name__ == "__main__":
    main()
