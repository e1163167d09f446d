"""``myelin train``, ``myelin predict`` and ``myelin summary``."""

import csv
from pathlib import Path

import numpy as np

from .. import callbacks, layers, models, optimizers, saving, utils
from . import preprocess, scores
from . import target as target_column
from .errors import CliError
from .plots import save_plots
from .table import Table

MODEL_FILE = "model.myelin"


def _split(n, seed):
    """Shuffled row indices for train (70 %), validation (15 %) and test (15 %)."""
    order = np.random.default_rng(seed).permutation(n)
    n_test = max(1, round(0.15 * n))
    n_val = max(1, round(0.15 * n))
    if n - n_test - n_val < 2:
        raise CliError(f"the file has {n} data rows; training needs at least 4 (train, "
                       f"validation and test rows)")
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]


def _network(n_features, hidden, task, n_classes):
    stack = [layers.Input((n_features,))]
    stack += [layers.Dense(units, activation="relu") for units in hidden]
    if task == "classification":
        stack.append(layers.Dense(n_classes, activation="softmax"))
        loss, metrics = "sparse_categorical_crossentropy", ["accuracy"]
    else:
        stack.append(layers.Dense(1))
        loss, metrics = "mse", ["mae"]
    model = models.Sequential(stack)
    model.compile(optimizer=optimizers.Adam(1e-3), loss=loss, metrics=metrics)
    return model


def _predict_labels(model, x, task):
    out = model.predict(x, verbose=0)
    return out.argmax(axis=1) if task == "classification" else out[:, 0]


def train(args):
    """Train an MLP on a CSV file; print metrics; save the model and plots."""
    table = Table(args.csv)
    table.require(args.target)
    features = [name for name in table.names if name != args.target]
    if not features:
        raise CliError(f"{table.path} has only the target column; add feature columns")
    task, y, target_info = target_column.encode(table, args.target, args.task)
    train_rows, val_rows, test_rows = _split(len(table), args.seed)
    spec = preprocess.fit(_rows(table, train_rows), features)
    x_train, x_val, x_test = (preprocess.transform(table, spec, rows)
                              for rows in (train_rows, val_rows, test_rows))
    y_train, y_val, y_test = y[train_rows], y[val_rows], y[test_rows]
    n_classes = len(target_info.get("classes", ()))
    utils.set_random_seed(args.seed)
    model = _network(x_train.shape[1], args.hidden, task, n_classes)
    print(f"{task} of {args.target!r} from {len(features)} columns ({x_train.shape[1]} "
          f"inputs); {len(train_rows)} training, {len(val_rows)} validation, "
          f"{len(test_rows)} test rows")
    stop = callbacks.EarlyStopping(monitor="val_loss", patience=args.patience,
                                   restore_best_weights=True)
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=args.epochs,
                        batch_size=args.batch_size, callbacks=[stop],
                        verbose=0 if args.quiet else "auto")
    predicted = _predict_labels(model, x_test, task)
    if task == "classification":
        got = scores.classification(y_test, predicted, n_classes)
    else:
        got = scores.regression(y_test, predicted)
    base = scores.baseline(task, y_train, y_test, n_classes)
    print(f"test rows: {len(test_rows)}")
    for key, value in got.items():
        print(f"  {key:<10} {value:8.4f}   (baseline {base[key]:.4f})")
    out = Path(args.output or f"{Path(args.csv).stem}_model")
    out.mkdir(parents=True, exist_ok=True)
    saving.save_model(model, out / MODEL_FILE, extra_metadata={
        "cli": {"target": target_info, "features": spec, "test_metrics": got}})
    print(f"saved {out / MODEL_FILE}")
    classes = target_info.get("classes", [])
    for path in save_plots(out, history.history, task, y_test, predicted, classes):
        print(f"saved {path}")
    return 0


def _rows(table, rows):
    """A view of ``table`` restricted to ``rows`` (for fitting preprocessing)."""
    view = Table.__new__(Table)
    view.path, view.names = table.path, table.names
    view.columns = {name: [cells[i] for i in rows] for name, cells in table.columns.items()}
    return view


def _load(path):
    path = Path(path)
    if not path.exists():
        raise CliError(f"no such file: {path}")
    try:
        model = saving.load_model(path)
        info = saving.read_metadata(path).get("cli")
    except saving.UnsafeFileError as error:
        raise CliError(str(error)) from None
    if info is None:
        raise CliError(f"{path} was not saved by `myelin train` (it has no preprocessing); "
                       f"load it with myelin.models.load_model in Python instead")
    return model, info


def predict(args):
    """Write predictions for the rows of a CSV file (probabilities with --proba)."""
    model, info = _load(args.model)
    table = Table(args.csv)
    x = preprocess.transform(table, info["features"])
    out = model.predict(x, verbose=0)
    target = info["target"]
    header = [*table.names]
    if target["task"] == "classification":
        classes = target["classes"]
        columns = {f"predicted_{target['name']}": [classes[i] for i in out.argmax(axis=1)]}
        if args.proba:
            columns.update({f"p({c})": [f"{p:.6f}" for p in out[:, j]]
                            for j, c in enumerate(classes)})
    else:
        columns = {f"predicted_{target['name']}": [f"{v:.6g}" for v in out[:, 0]]}
    header += list(columns)
    rows = zip(*(table.columns[n] for n in table.names), *columns.values(), strict=True)
    if args.output:
        with open(args.output, "w", newline="", encoding="utf-8") as f:
            _write(f, header, rows)
        print(f"wrote {len(table)} predictions to {args.output}")
    else:
        import sys

        _write(sys.stdout, header, rows)
    return 0


def _write(f, header, rows):
    writer = csv.writer(f)
    writer.writerow(header)
    writer.writerows(rows)


def summary(args):
    """Describe a model saved by ``myelin train``: the network and its preprocessing."""
    model, info = _load(args.model)
    target = info["target"]
    kind = (f"classification into {len(target['classes'])} classes "
            f"({', '.join(target['classes'])})" if target["task"] == "classification"
            else "regression")
    print(f"{args.model}: {kind} of {target['name']!r}")
    print("inputs:")
    print("\n".join(preprocess.describe(info["features"])))
    print("test metrics when trained: " + ", ".join(
        f"{k} {v:.4f}" for k, v in info.get("test_metrics", {}).items()))
    model.summary()
    return 0
