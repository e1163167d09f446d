"""myelin's MLPClassifier against scikit-learn's, side by side, on the digits data.

    python benchmarks/sklearn_digits.py [--reps 5]

Same architecture (64 ReLU units), solver (Adam, learning rate 0.001, epsilon 1e-8),
batch size (200), shuffling, L2 alpha and number of epochs (tol=0 and n_iter_no_change
above max_iter, so neither stops early); alternating runs, medians. Like-for-like: both
compute the L2-penalised loss every batch and neither tracks a training accuracy
(myelin's estimator compiles the accuracy metric only for early stopping's validation
score, as scikit-learn scores only the validation split). scikit-learn computes in
float64 (its default for float64 input), myelin in float32 (its default).

Also times a GridSearchCV over myelin estimators with n_jobs=1 and n_jobs=2 (joblib's
process backend). The first n_jobs=2 search starts the worker processes, each of which
imports scikit-learn and myelin before its first fit; later searches reuse them (joblib
keeps its workers), so that start-up is reported apart from the alternating runs. The
BLAS threads each worker runs with are printed too (joblib gives each of n workers
cores / n threads, so they do not oversubscribe). Needs scikit-learn
(``pip install "myelin[sklearn]"``); prints a Markdown table.
"""

import argparse
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from joblib import Parallel, delayed  # noqa: E402
from sklearn.datasets import load_digits  # noqa: E402
from sklearn.exceptions import ConvergenceWarning  # noqa: E402
from sklearn.model_selection import GridSearchCV, train_test_split  # noqa: E402
from sklearn.neural_network import MLPClassifier as SkMLP  # noqa: E402

from myelin.sklearn import MLPClassifier  # noqa: E402

EPOCHS = 100
PARAMS = {"hidden_layer_sizes": (64,), "batch_size": 200, "learning_rate_init": 1e-3,
          "alpha": 1e-4, "max_iter": EPOCHS, "tol": 0.0, "n_iter_no_change": EPOCHS + 1,
          "random_state": 0}


def _timed(make, X, y, X_test, y_test):
    est = make()
    start = time.perf_counter()
    est.fit(X, y)
    return time.perf_counter() - start, est.score(X_test, y_test)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=5)
    args = parser.parse_args()
    X, y = load_digits(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(X / 16, y, random_state=0,
                                                        stratify=y)
    runs = {"myelin": [], "scikit-learn": []}
    makers = {"myelin": lambda: MLPClassifier(**PARAMS),
              "scikit-learn": lambda: SkMLP(solver="adam", **PARAMS)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        for _ in range(args.reps):
            for name, make in makers.items():
                runs[name].append(_timed(make, X_train, y_train, X_test, y_test))
    print(f"CPU: {platform.processor() or platform.machine()}; {EPOCHS} epochs, 64 ReLU, "
          f"Adam, batch 200, {len(X_train)} training rows\n")
    print("| estimator | fit time (median s) | test accuracy |\n|---|---|---|")
    medians = {}
    for name, results in runs.items():
        medians[name] = statistics.median(t for t, _ in results)
        print(f"| {name} | {medians[name]:.3f} | {results[0][1]:.4f} |")
    print(f"\nmyelin / scikit-learn fit time: {medians['myelin'] / medians['scikit-learn']:.2f}")
    _searches(X_train, y_train, args.reps)


def _search_time(X, y, jobs):
    grid = {"hidden_layer_sizes": [(32,), (64,)], "alpha": [1e-4, 1e-2]}
    search = GridSearchCV(MLPClassifier(max_iter=30, random_state=0), grid, cv=3, n_jobs=jobs)
    start = time.perf_counter()
    search.fit(X, y)
    return time.perf_counter() - start


def _blas_threads():
    from threadpoolctl import threadpool_info

    return sorted({info["num_threads"] for info in threadpool_info()
                   if info["user_api"] == "blas"})


def _searches(X, y, reps):
    """GridSearchCV wall times: the workers' start-up once, then alternating runs."""
    cold = _search_time(X, y, 2)
    times = {1: [], 2: []}
    for _ in range(reps):
        for jobs in times:
            times[jobs].append(_search_time(X, y, jobs))
    threads = Parallel(n_jobs=2)(delayed(_blas_threads)() for _ in range(2))
    print(f"\nGridSearchCV, 12 fits of 30 epochs (wall s, min / median / max of {reps}):\n")
    print(f"- first n_jobs=2 search, starting the 2 workers: {cold:.2f}")
    for jobs, runs in times.items():
        print(f"- n_jobs={jobs}: {min(runs):.2f} / {statistics.median(runs):.2f} / "
              f"{max(runs):.2f}")
    print(f"- BLAS threads per worker: {threads}")

if __name__ == "__main__":
    main()
