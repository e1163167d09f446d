"""The metrics the command line prints, next to a trivial baseline's."""

import numpy as np


def classification(y_true, y_pred, n_classes):
    """Accuracy and macro-averaged F1."""
    accuracy = float(np.mean(y_true == y_pred))
    f1s = []
    for c in range(n_classes):
        tp = np.sum((y_pred == c) & (y_true == c))
        fp = np.sum((y_pred == c) & (y_true != c))
        fn = np.sum((y_pred != c) & (y_true == c))
        f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
    return {"accuracy": accuracy, "f1_macro": float(np.mean(f1s))}


def regression(y_true, y_pred):
    """Mean absolute error and R² (coefficient of determination)."""
    residual = np.sum((y_true - y_pred) ** 2)
    total = np.sum((y_true - y_true.mean()) ** 2)
    r2 = 1.0 - residual / total if total > 0 else 0.0
    return {"mae": float(np.mean(np.abs(y_true - y_pred))), "r2": float(r2)}


def baseline(task, y_train, y_test, n_classes=None):
    """The same metrics for always predicting the majority class / the training mean."""
    if task == "classification":
        majority = np.bincount(y_train, minlength=n_classes).argmax()
        return classification(y_test, np.full_like(y_test, majority), n_classes)
    return regression(y_test, np.full_like(y_test, y_train.mean()))
