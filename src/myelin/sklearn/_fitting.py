"""What the scikit-learn estimators share: data checks, seeding, targets, the fit loop."""

import contextlib

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import _check_sample_weight, column_or_1d, validate_data

from .. import callbacks, utils


def check_X(estimator, X, reset):
    """``X`` as a float32 2-D array (NaN/inf refused, feature count checked)."""
    X = validate_data(estimator, X, reset=reset, dtype=(np.float64, np.float32),
                      ensure_min_samples=1)
    return np.asarray(X, dtype=np.float32)


def check_X_y(estimator, X, y, reset, multi_output):
    X, y = validate_data(estimator, X, y, reset=reset, multi_output=multi_output,
                         dtype=(np.float64, np.float32), y_numeric=False)
    return np.asarray(X, dtype=np.float32), y


def check_sample_weight(sample_weight, n):
    """One float weight per sample (None stays None); all-zero weights are refused."""
    if sample_weight is None:
        return None
    weights = _check_sample_weight(sample_weight, np.empty((n, 1)), dtype=np.float32)
    if not np.any(weights):
        raise ValueError("Sample weights must contain at least one non-zero number: with "
                         "all weights zero there is nothing to learn from.")
    return weights


@contextlib.contextmanager
def seeded(random_state):
    """Seed myelin's generator from ``random_state`` for one fit (None: unseeded)."""
    if random_state is None:
        yield
        return
    if isinstance(random_state, np.random.RandomState):
        seed = int(random_state.randint(2**31 - 1))
    else:
        seed = int(random_state)
    utils.set_random_seed(seed)
    yield


def classification_targets(y, classes=None):
    """``(classes, encoded, kind)``: kind is "binary", "multiclass" or "multilabel"."""
    kind = type_of_target(y)
    if kind == "multilabel-indicator":
        y = np.asarray(y)
        return np.arange(y.shape[1]), y.astype(np.float32), "multilabel"
    if kind not in ("binary", "multiclass"):
        raise ValueError(f"Unknown label type: {kind!r}. MLPClassifier needs class labels "
                         f"(ints, strings, bools) or a multi-label indicator matrix; for "
                         f"continuous targets use MLPRegressor.")
    y = column_or_1d(y, warn=True)
    found = np.unique(y) if classes is None else np.asarray(classes)
    if classes is not None:
        unseen = np.setdiff1d(np.unique(y), found)
        if unseen.size:
            raise ValueError(f"partial_fit: y contains classes {unseen.tolist()} that are not "
                             f"in `classes` {found.tolist()} given at the first call.")
    if len(found) < 2:
        raise ValueError(f"The classifier needs samples of at least 2 classes in the data, "
                         f"but the data contains only one class: {found[0]!r}.")
    encoded = np.searchsorted(found, y).astype(np.int32)
    return found, encoded, "binary" if len(found) == 2 else "multiclass"


def early_stopping_callback(monitor, tol, patience, restore):
    return callbacks.EarlyStopping(monitor=monitor, min_delta=tol, patience=patience,
                                   restore_best_weights=restore)


def batch_size_for(batch_size, n_samples):
    """scikit-learn's ``batch_size="auto"``: ``min(200, n_samples)``."""
    if batch_size == "auto":
        return min(200, n_samples)
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or batch_size < 1:
        raise ValueError(f"batch_size must be 'auto' or a positive int, received "
                         f"{batch_size!r}.")
    return min(int(batch_size), n_samples)
