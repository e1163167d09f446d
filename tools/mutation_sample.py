"""Mutation testing of myelin's core on a seeded sample of mutants (issue 19).

A mutant is one small bug planted in the library (see ``tools/mutation_points.py``); it is
*killed* when some test of its package fails (or hangs past the timeout). The run draws the
same number of mutants from each of the nine core packages with a seeded random generator,
applies them one at a time in copies of the work tree (``/tmp/mut-<seed>-<worker>``; the
work tree itself is never touched), runs the tests of the mutant's package against each, and
writes a JSON report. Mutants listed in ``tools/mutation_equivalent.json`` (no observable
change, each with its reason) are run too but left out of the score.

Usage (from the repository root; 38 minutes for 180 mutants on 2 busy cores)::

    OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python tools/mutation_sample.py --seed 19

``--rerun REPORT`` runs again only the survivors of an earlier report (after adding tests);
``--only ID`` runs one mutant (its ``id`` as printed); ``--list`` prints the sample only.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Queue

from mutation_points import Mutant, mutation_points

ROOT = Path(__file__).resolve().parents[1]
EQUIVALENT = ROOT / "tools" / "mutation_equivalent.json"

# package -> the tests that guard it. Tests over ~3 s (real-data trainings, zip bombs,
# processes killed mid-save) are deselected: they repeat what faster tests check, and
# every surviving mutant pays for its whole package's tests.
TESTS = {
    "autodiff": ["tests/autodiff"],
    "ops": ["tests/ops", "tests/test_edge_semantics.py"],
    "losses": ["tests/losses"],
    "metrics": ["tests/metrics"],
    "optimizers": ["tests/optimizers"],
    "layers": ["tests/layers"],
    "models": ["tests/models"],
    "saving": ["tests/saving"],
    "data": ["tests/data"],
}
SLOW = [
    "tests/models/test_functional_guide.py::test_ticket_model_with_loss_dicts_and_loss_weights",
    "tests/saving/test_kill_during_save.py::test_kills_at_random_moments_of_repeated_saves",
    "tests/saving/test_hostile_model_files.py::test_zip_bomb_is_refused_without_inflating",
    "tests/saving/test_archive_safety.py::"
    "test_zip_bomb_by_ratio_is_refused_quickly_without_inflating",
    "tests/data/test_text_tutorial.py::test_text_tutorial_on_a_subset",
    "tests/data/test_datasets.py::test_real_imdb_subset_is_the_head_of_load_data_500",
    "tests/data/test_datasets.py::test_real_imdb_load_data_like_keras",
    "tests/data/test_larger_than_memory.py::"
    "test_fit_from_disk_under_a_memory_limit_smaller_than_the_data",
]


def all_points(package: str) -> list[Mutant]:
    """Every mutation point of one package, in a fixed order (file, then offset)."""
    points = []
    for file in sorted((ROOT / "src" / "myelin" / package).rglob("*.py")):
        relative = file.relative_to(ROOT).as_posix()
        points += mutation_points(relative, file.read_text())
    return points


def draw(seed: int, count: int) -> list[tuple[str, Mutant]]:
    """``count`` valid mutants, spread evenly over the packages, the same for a seed."""
    rng = random.Random(seed)
    sample = []
    for index, package in enumerate(TESTS):
        want = count // len(TESTS) + (index < count % len(TESTS))
        points = all_points(package)
        rng.shuffle(points)
        sources = {}
        for point in points:
            if want == 0:
                break
            text = sources.setdefault(point.path, (ROOT / point.path).read_text())
            if point.is_valid(text):
                sample.append((package, point))
                want -= 1
    return sample


def make_copy(target: Path) -> Path:
    """A fresh copy of the work tree (no .git, .venv, caches) to mutate and test in."""
    shutil.rmtree(target, ignore_errors=True)
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "site", "output", ".hypothesis", "*.egg-info"
    )
    shutil.copytree(ROOT, target, ignore=ignore)
    return target


def run_tests(copy: Path, package: str, timeout: float) -> tuple[str, float, str]:
    """Runs a package's tests in ``copy``: ("passed" | "failed" | "timeout", seconds, why)."""
    deselect = [f"--deselect={test}" for test in SLOW if test.startswith(f"tests/{package}/")]
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider"]
    command += ["-m", "not full_data", *deselect, *TESTS[package]]
    env = dict(os.environ, PYTHONPATH=str(copy / "src"), PYTHONDONTWRITEBYTECODE="1")
    env.setdefault("OPENBLAS_NUM_THREADS", "1")
    env.setdefault("MYELIN_DATASETS", str(ROOT.parent / "shared" / "data"))
    began = time.monotonic()
    # Its own process group, so a hung mutant's children die with it.
    proc = subprocess.Popen(
        command, cwd=copy, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        start_new_session=True, text=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "timeout", time.monotonic() - began, ""
    seconds = time.monotonic() - began
    if proc.returncode == 0:
        return "passed", seconds, ""
    # The first failing test (or collection error), so a kill can be traced.
    why = next((x for x in out.splitlines() if x.startswith(("FAILED", "ERROR"))), "")
    return "failed", seconds, why or out.strip().splitlines()[-1][:200]


def check_copy(copy: Path) -> None:
    """Fails loudly unless ``import myelin`` in a test run picks up the copy's source."""
    env = dict(os.environ, PYTHONPATH=str(copy / "src"))
    code = "import myelin; print(myelin.__file__)"
    found = subprocess.run([sys.executable, "-c", code], env=env, cwd=copy,
                           capture_output=True, text=True, check=True).stdout.strip()
    if not found.startswith(str(copy)):
        raise SystemExit(f"the tests would import {found}, not the copy in {copy}")


def main(argv: list[str] | None = None) -> int:
    """Draws, runs and scores the sample; prints the survivors; writes the JSON report."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("-n", "--count", type=int, default=180, help="mutants in the sample")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report", type=Path, help="default output/mutation/seed-<seed>.json")
    parser.add_argument("--rerun", type=Path, help="run only the survivors of this report")
    parser.add_argument("--only", action="append", default=[], help="run only this mutant id")
    parser.add_argument("--list", action="store_true", help="print the sample and stop")
    args = parser.parse_args(argv)
    began = time.monotonic()

    sample = draw(args.seed, args.count)
    if args.rerun:
        earlier = json.loads(args.rerun.read_text())["mutants"]
        args.only += [m["id"] for m in earlier if m["status"] == "survived"]
    if args.only:
        sample = [(p, m) for p, m in sample if m.id in set(args.only)]
    if args.list:
        for package, mutant in sample:
            print(package, mutant.id)
        return 0
    equivalent = json.loads(EQUIVALENT.read_text()) if EQUIVALENT.exists() else {}

    copies: Queue[Path] = Queue()
    for worker in range(args.workers):
        copies.put(make_copy(Path(f"/tmp/mut-{args.seed}-{worker}")))
    check_copy(copies.queue[0])

    # Each package's tests must pass unmutated; their time sets the timeout of its mutants.
    def baseline(package: str) -> float:
        copy = copies.get()
        try:
            status, seconds, why = run_tests(copy, package, timeout=1800)
        finally:
            copies.put(copy)
        if status != "passed":
            raise SystemExit(f"{package}'s tests fail without any mutant: {why}")
        return seconds

    packages = sorted({p for p, _ in sample})
    with ThreadPoolExecutor(args.workers) as pool:
        timeouts = dict(zip(packages, [3 * s + 30 for s in pool.map(baseline, packages)],
                            strict=True))

    def run(item: tuple[str, Mutant]) -> dict:
        package, mutant = item
        copy = copies.get()
        target = copy / mutant.path
        original = target.read_text()
        try:
            target.write_text(mutant.apply(original))
            status, seconds, why = run_tests(copy, package, timeouts[package])
        finally:
            target.write_text(original)
            copies.put(copy)
        status = {"passed": "survived", "failed": "killed"}.get(status, status)
        print(f"{status:8} {seconds:6.1f}s {mutant.id}", flush=True)
        return {"id": mutant.id, "package": package, "file": f"{mutant.path}:{mutant.line}",
                "kind": mutant.kind, "diff": mutant.diff(original), "status": status,
                "seconds": round(seconds, 1), "killed_by": why,
                "equivalent": equivalent.get(mutant.id)}

    with ThreadPoolExecutor(args.workers) as pool:
        results = list(pool.map(run, sample))

    counted = [r for r in results if not r["equivalent"]]
    killed = sum(r["status"] in ("killed", "timeout") for r in counted)
    score = killed / len(counted) if counted else 0.0
    summary = {
        "seed": args.seed, "mutants": len(results), "equivalent": len(results) - len(counted),
        "killed": killed, "survived": len(counted) - killed, "score": round(score, 4),
        "minutes": round((time.monotonic() - began) / 60, 1),
    }
    report = args.report or ROOT / "output" / "mutation" / f"seed-{args.seed}.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.write_text(json.dumps({"summary": summary, "mutants": results}, indent=1) + "\n")
    for r in counted:
        if r["status"] == "survived":
            print(f"\nSURVIVED {r['id']}\n{r['diff']}")
    print(f"\n{json.dumps(summary)}\nreport: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
