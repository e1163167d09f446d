"""Turn run.py's measurements into RESULTS.md: the machine, then one table per question."""

import os
import platform
import statistics
import subprocess

import numpy as np

import common


def cpu_model():
    """The CPU's marketing name, from /proc/cpuinfo's 'model name' (lscpu's as a fallback)."""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def blas_pools():
    """The BLAS libraries actually loaded, and the kernel each picked for this CPU.

    NumPy's build information names the library but not the kernel: OpenBLAS chooses
    one at run time (Haswell, SkylakeX, Zen...), and the kernel is what makes the same
    wheel fast or slow at small shapes, so the report must say which one ran.
    """
    try:
        from threadpoolctl import threadpool_info
    except ImportError as error:
        raise ImportError(
            'benchmarks/run.py reports the BLAS kernel with threadpoolctl: '
            'pip install "myelin[bench]"'
        ) from error
    return [
        {
            "internal_api": p.get("internal_api"),
            "version": p.get("version"),
            # OpenBLAS calls it the architecture, BLIS and MKL-era tools the core type
            "kernel": p.get("architecture") or p.get("coretype") or p.get("threading_layer"),
            "num_threads": p.get("num_threads"),
        }
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]


def machine():
    """What the numbers were measured on (CPU, memory, NumPy's BLAS and kernel, commit)."""
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    except OSError:
        lscpu = ""
    cpu = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
    cpu = {key.strip(): value.strip() for key, value in cpu.items()}
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    blas = f"{blas['name']} {blas['version']} ({blas.get('openblas configuration', '').strip()})"
    pools = blas_pools()
    commit = subprocess.run(
        ["git", "-C", str(common.REPO), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 2**20
    return {
        "cpu": cpu_model(),
        "cores": f"{os.cpu_count()} logical CPUs = {cpu.get('Socket(s)', '?')} socket(s) x "
        f"{cpu.get('Core(s) per socket', '?')} core(s) x "
        f"{cpu.get('Thread(s) per core', '?')} thread(s) per core",
        "memory": f"{mem_gib:.1f} GiB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "blas": blas,
        "blas_pools": pools,
        "blas_kernel": ", ".join(
            f"{p['internal_api']} {p['version']}, kernel {p['kernel']}, "
            f"{p['num_threads']} threads"
            for p in pools
        ) or "none found by threadpoolctl",
        "myelin commit": commit or "none yet (uncommitted tree)",
    }


def summarize(runs):
    """Median steady-state epoch (each run's first epoch dropped: it traces, allocates and
    warms caches) and the median first epoch, over all rounds."""
    steady = [t for r in runs for t in (r["epoch_times"][1:] or r["epoch_times"])]
    summary = {
        "epoch": statistics.median(steady),
        "first": statistics.median(r["epoch_times"][0] for r in runs),
        "epochs": f"{len(runs)}x{runs[0]['epochs']}",
    }
    for key in ("test_accuracy", "rss_before_fit_mb", "peak_rss_mb", "threads", "version"):
        values = [r[key] for r in runs if r.get(key) is not None]
        if values:
            summary[key] = values[0] if isinstance(values[0], str) else statistics.median(values)
    return summary


def _table(header, rows):
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return lines + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def _small(value):
    """Tiny rates (house, xor: all overhead, no arithmetic) read better as '<0.01'."""
    return "<0.01" if value < 0.01 else f"{value:.3g}"


def _speed(data, summaries):
    peak = max(data["sgemm_gflops"])
    rows = []
    for workload, by_framework in summaries.items():
        mine = by_framework.get("myelin", {}).get("epoch")
        for framework, s in by_framework.items():
            gflops = common.flops_per_epoch(workload) / s["epoch"] / 1e9
            ratio = f"{mine / s['epoch']:.2f}" if mine and framework != "myelin" else ""
            accuracy = f"{s['test_accuracy']:.4f}" if "test_accuracy" in s else ""
            rows.append(
                [
                    workload,
                    framework,
                    f"{s['epoch']:.4g}",
                    f"{s['first']:.4g}",
                    ratio,
                    _small(gflops),
                    _small(100 * gflops / peak) + "%",
                    accuracy,
                    s["epochs"],
                ]
            )
    header = [
        "workload",
        "framework",
        "median epoch (s)",
        "first epoch (s)",
        "myelin / this",
        "GFLOP/s",
        "of sgemm",
        "test accuracy",
        "runs x epochs",
    ]
    return _table(header, rows)


def _memory(summaries):
    rows = [
        [
            w,
            f,
            f"{s['rss_before_fit_mb']:.0f}",
            f"{s['peak_rss_mb']:.0f}",
            f"{s['peak_rss_mb'] - s['rss_before_fit_mb']:.0f}",
        ]
        for w, by_framework in summaries.items()
        for f, s in by_framework.items()
        if "peak_rss_mb" in s
    ]
    return _table(
        ["workload", "framework", "RSS before fit (MB)", "peak RSS during fit (MB)", "growth (MB)"],
        rows,
    )


def _imports(imports):
    rows = []
    for framework, cost in imports.items():
        if "error" in cost:
            rows.append([framework, f"`import {cost['module']}`", "skipped: " + cost["error"], ""])
        else:
            rows.append(
                [
                    framework,
                    f"`import {cost['module']}`",
                    f"{cost['seconds']:.3f}",
                    f"{cost['peak_rss_mb']:.0f}",
                ]
            )
    return _table(["framework", "statement", "import time (s)", "peak RSS after import (MB)"], rows)


def _latency(data):
    rows = []
    for framework, result in data["workloads"].get("mnist-mlp", {}).get("runs", {}).items():
        if not result:
            continue
        methods = result[0]["predict_us"]
        medians = {m: statistics.median(r["predict_us"][m] for r in result) for m in methods}
        fastest = min(medians, key=medians.get)
        for method, us in medians.items():
            rows.append(
                [
                    framework,
                    f"`{method}`" + (" (fastest)" if method == fastest else ""),
                    f"{us:.0f}",
                ]
            )
    return _table(["framework", "call", "median latency (µs)"], rows)


def _ratio(summaries, workload, peer):
    by = summaries.get(workload, {})
    if "myelin" not in by or peer not in by:
        return None
    return by["myelin"]["epoch"] / by[peer]["epoch"]


def _targets(data, summaries):
    """Issue 6's targets against this run: the required value, the measured one, met?"""
    peak = max(data["sgemm_gflops"])
    rows = []

    def add(name, required, value, ok, fmt="{:.2f}"):
        shown = "n/a" if value is None else fmt.format(value)
        rows.append([name, required, shown, "n/a" if value is None else ("yes" if ok else "no")])

    for w in ("house", "xor"):
        r = _ratio(summaries, w, "torch")
        add(f"{w}: myelin / PyTorch", "<= 0.5", r, r is not None and r <= 0.5)
        r = _ratio(summaries, w, "keras")
        add(f"{w}: Keras / myelin", ">= 50", r and 1 / r, r is not None and 1 / r >= 50, "{:.0f}")
    r = _ratio(summaries, "mnist-mlp", "torch")
    add("mnist-mlp: myelin / PyTorch", "<= 0.9", r, r is not None and r <= 0.9)
    r = _ratio(summaries, "mnist-mlp", "keras")
    add("mnist-mlp: myelin / Keras", "<= 0.5", r, r is not None and r <= 0.5)
    functional = summaries.get("mnist-functional", {}).get("myelin")
    sequential = summaries.get("mnist-mlp", {}).get("myelin")
    r = functional and sequential and functional["epoch"] / sequential["epoch"]
    add("mnist: functional / Sequential (myelin)", "<= 1.05", r, bool(r) and r <= 1.05)
    mnist = summaries.get("mnist-mlp", {})
    if "test_accuracy" in mnist.get("myelin", {}) and "test_accuracy" in mnist.get("keras", {}):
        gap = 100 * abs(mnist["myelin"]["test_accuracy"] - mnist["keras"]["test_accuracy"])
        add("mnist-mlp: test accuracy gap to Keras (points)", "<= 0.5", gap, gap <= 0.5)
    r = _ratio(summaries, "imdb", "torch")
    add("imdb: myelin / PyTorch", "<= 0.8", r, r is not None and r <= 0.8)
    wide = summaries.get("wide-mlp", {}).get("myelin")
    share = wide and 100 * common.flops_per_epoch("wide-mlp") / wide["epoch"] / 1e9 / peak
    add("wide-mlp: share of sgemm (%)", ">= 85", share, bool(share) and share >= 85, "{:.1f}")
    r = _ratio(summaries, "convnet", "torch")
    add("convnet: myelin / PyTorch", "<= 1.0", r, r is not None and r <= 1.0)
    r = _ratio(summaries, "convnet", "keras")
    add("convnet: myelin / Keras", "<= 0.6", r, r is not None and r <= 0.6)
    conv = summaries.get("convnet", {})
    rss = [conv.get(f, {}).get("peak_rss_mb") for f in ("myelin", "torch")]
    add("convnet: peak RSS myelin / PyTorch", "<= 1.0", None if None in rss else rss[0] / rss[1],
        None not in rss and rss[0] <= rss[1])
    mine = conv.get("myelin")
    share = mine and common.conv_flops_per_epoch("convnet") / mine["epoch"] / 1e9
    add("convnet: conv arithmetic GFLOP/s over the whole epoch", f"info (sgemm {peak:.1f})",
        share, True, "{:.1f}")
    tf1 = data["workloads"].get("tf1-mnist", {}).get("runs", {})
    eager = [t for r in tf1.get("myelin") or [] for t in r.get("eager_epoch_times", [])]
    graph = [t for r in tf1.get("myelin") or [] for t in r["epoch_times"]]
    r = statistics.median(graph) / statistics.median(eager) if graph and eager else None
    add("tf1-mnist: TF-1 graph / eager, myelin", "<= 1.15", r, r is not None and r <= 1.15)
    r = _ratio(summaries, "tf1-mnist", "keras")
    add("tf1-mnist: myelin / TF 2.21 compat.v1", "< 1", r, r is not None and r < 1)
    imp = data["imports"].get("myelin", {})
    add("import myelin (s)", "<= 0.5", imp.get("seconds"), imp.get("seconds", 9) <= 0.5, "{:.3f}")
    add("import myelin (MB RSS)", "<= 60", imp.get("peak_rss_mb"),
        imp.get("peak_rss_mb", 999) <= 60, "{:.0f}")
    runs = data["workloads"].get("mnist-mlp", {}).get("runs", {}).get("myelin") or []
    latency = None
    if runs:
        methods = runs[0]["predict_us"]
        latency = min(statistics.median(r["predict_us"][m] for r in runs) for m in methods)
    add("predict one sample, mnist-mlp (µs)", "<= 50", latency,
        latency is not None and latency <= 50, "{:.0f}")
    return _table(["target", "required", "measured", "met"], rows)


def markdown(data):
    """One machine's section of RESULTS.md (``results_page.merge`` files it by CPU)."""
    summaries = {
        w: {f: summarize(r) for f, r in d["runs"].items() if r}
        for w, d in data["workloads"].items()
    }
    m = data["machine"]
    versions = {f: s["version"] for by_f in summaries.values() for f, s in by_f.items()}
    threads = {f: s.get("threads") for by_f in summaries.values() for f, s in by_f.items()}
    lines = [
        f"## {m['cpu']}" + (" (quick smoke run: not for comparison)" if data["quick"] else ""),
        "",
        "### Machine",
        "",
        f"- date: {data['started']}; load average at start: "
        + ", ".join(f"{v:.2f}" for v in data["load_average"]),
        f"- CPU: {m['cpu']}; {m['cores']}; memory {m['memory']}",
        f"- OS: {m['os']}; Python {m['python']}",
        f"- NumPy {m['numpy']}, BLAS: {m['blas']}",
        f"- BLAS loaded (threadpoolctl): {m.get('blas_kernel', 'not recorded')}",
        "- sgemm (NumPy float32 2048x2048 matmul, best of 5, at start and end): "
        + " / ".join(f"{g:.1f}" for g in data["sgemm_gflops"])
        + " GFLOP/s",
        f"- myelin commit: {m['myelin commit']}",
        *(
            f"- {f}: {versions[f]}; {threads[f]} threads (the framework's default)"
            for f in versions
        ),
        "",
        "### Targets",
        "",
        *_targets(data, summaries),
        "",
        "### Training speed",
        "",
        f"Each framework ran each workload {data['reps']} time(s), in turns, each run in a fresh",
        "process. Epoch = one pass over the training rows plus the validation pass, timed by a",
        "Keras callback (myelin, Keras) or around the loop (PyTorch). The median is over every",
        "epoch but each run's first, which is shown apart (graph tracing, first allocations).",
        "`myelin / this` > 1 means myelin is slower. GFLOP/s counts the Dense layers only",
        "(6 x params per training row, 2 per validation row; embeddings are gathers and count",
        "nothing) and is compared with the best sgemm rate above.",
        "",
        *_speed(data, summaries),
        "",
        "### Memory (resident set, per process)",
        "",
        "Peak is since just before `fit` (VmHWM reset), so it includes the loaded data.",
        "",
        *_memory(summaries),
        "",
        "### Import",
        "",
        "Wall time of `python -c 'import X'` less an empty interpreter's, median of 5.",
        "",
        *_imports(data["imports"]),
        "",
        "### Predict latency (one MNIST sample, the trained mnist-mlp model)",
        "",
        "Median of 500 calls after 50 warm-up calls; the fastest idiomatic call is marked.",
        "",
        *_latency(data),
    ]
    errors = [
        f"- skipped: {f} {w}: {e}"
        for w, d in data["workloads"].items()
        for f, e in d["errors"].items()
    ]
    if errors:
        lines += ["", "### Skipped", "", *errors]
    if "conv_profile" in data:  # run.py ran benchmarks/conv_profile.py after convnet
        lines += ["", "### Convnet profile (myelin, conv_profile.py)", "",
                  *_conv_profile(data["conv_profile"], max(data["sgemm_gflops"]))]
    return "\n".join(lines) + "\n"


def _conv_profile(result, sgemm):
    if "error" in result:
        return [f"- failed: {result['error']}"]
    import conv_profile  # beside this file, as run.py puts it on the path

    return conv_profile.lines(result, sgemm)
