"""myelin's MLPClassifier against scikit-learn's, side by side, on the digits data.

    python benchmarks/sklearn_digits.py [--reps 5]

Same architecture (64 ReLU units), solver (Adam, learning rate 0.001), batch size
(200), L2 alpha and number of epochs (tol=0 and n_iter_no_change above max_iter, so
neither stops early); alternating runs, medians. Also times a GridSearchCV over
myelin estimators with n_jobs=1 and n_jobs=2 (joblib's process backend), which shows
whether the workers' BLAS threads oversubscribe the two cores. Needs scikit-learn
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
    grid = {"hidden_layer_sizes": [(32,), (64,)], "alpha": [1e-4, 1e-2]}
    for jobs in (1, 2):
        search = GridSearchCV(MLPClassifier(max_iter=30, random_state=0), grid, cv=3,
                              n_jobs=jobs)
        start = time.perf_counter()
        search.fit(X_train, y_train)
        print(f"GridSearchCV (12 fits), n_jobs={jobs}: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
