"""The ``myelin`` command line: train from a CSV, predict, summary, and its errors."""

import csv
import subprocess
import sys

import numpy as np
import pytest

from myelin import saving
from myelin.cli import main


def _write_csv(path, header, rows):
    with open(path, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


@pytest.fixture
def fruit_csv(tmp_path):
    """A learnable table: a categorical target decided by a number and a category,
    with a missing number and a missing category among the rows."""
    rng = np.random.default_rng(0)
    rows = []
    for i in range(300):
        weight = rng.uniform(50, 250)
        colour = rng.choice(["green", "red", "yellow"])
        label = "melon" if weight > 170 else ("apple" if colour != "yellow" else "banana")
        rows.append([f"{weight:.1f}" if i != 5 else "", colour if i % 20 != 7 else "", label])
    return _write_csv(tmp_path / "fruit.csv", ["weight", "colour", "fruit"], rows)


def test_train_predict_and_summary_on_a_categorical_target(fruit_csv, tmp_path, capsys):
    out = tmp_path / "run"
    assert main(["train", str(fruit_csv), "--target", "fruit", "--seed", "1", "--quiet",
                 "--output", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "classification of 'fruit' from 2 columns (5 inputs)" in printed
    accuracy = float(printed.split("accuracy")[1].split()[0])
    baseline = float(printed.split("(baseline ")[1].split(")")[0])
    assert accuracy >= 0.85 > baseline + 0.2
    assert (out / "model.myelin").exists() and (out / "history.png").stat().st_size > 1000
    assert (out / "confusion.png").stat().st_size > 1000
    info = saving.read_metadata(out / "model.myelin")["cli"]
    assert info["target"]["classes"] == ["apple", "banana", "melon"]
    new = _write_csv(tmp_path / "new.csv", ["weight", "colour"],
                     [["220", "green"], ["90", "yellow"], ["100", "red"]])
    predictions = tmp_path / "pred.csv"
    assert main(["predict", str(out / "model.myelin"), str(new), "-o", str(predictions),
                 "--proba"]) == 0
    with open(predictions) as f:
        rows = list(csv.DictReader(f))
    assert [r["predicted_fruit"] for r in rows] == ["melon", "banana", "apple"]
    for row in rows:
        total = sum(float(row[f"p({c})"]) for c in ("apple", "banana", "melon"))
        assert total == pytest.approx(1.0, abs=1e-5)
    capsys.readouterr()
    assert main(["summary", str(out / "model.myelin")]) == 0
    summary = capsys.readouterr().out
    assert "classification into 3 classes (apple, banana, melon)" in summary
    assert "colour: categorical, one-hot over 4 values ((missing), green, red, yellow)" \
        in summary and "Total params" in summary


def test_regression_is_chosen_for_a_continuous_target(tmp_path, capsys):
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(200, 2))
    y = 3 * x[:, 0] - x[:, 1] + 0.1 * rng.normal(size=200)
    rows = [[f"{p:.4f}", f"{q:.4f}", f"{t:.4f}"] for (p, q), t in zip(x, y, strict=True)]
    path = _write_csv(tmp_path / "line.csv", ["a", "b", "y"], rows)
    assert main(["train", str(path), "--target", "y", "--quiet", "--output",
                 str(tmp_path / "m")]) == 0
    printed = capsys.readouterr().out
    assert "regression of 'y'" in printed
    assert float(printed.split("r2")[1].split()[0]) > 0.9
    assert (tmp_path / "m" / "predicted_vs_true.png").exists()


@pytest.mark.parametrize("case, expected", [
    ("missing_file", "no such file"),
    ("unknown_column", "has no column 'price'; its columns are: weight, colour, fruit"),
    ("bad_number", "row 4, column 'weight': cannot read 'heavy' as a number"),
    ("one_class", "has only one class ('apple')"),
])
def test_errors_are_one_line_with_exit_status_2(case, expected, fruit_csv, tmp_path, capsys):
    target = "fruit"
    path = fruit_csv
    if case == "missing_file":
        path = tmp_path / "absent.csv"
    elif case == "unknown_column":
        target = "price"
    elif case == "bad_number":
        rows = [[str(100 + i), "red", "apple" if i % 2 else "melon"] for i in range(40)]
        rows[2][0] = "heavy"
        path = _write_csv(tmp_path / "bad.csv", ["weight", "colour", "fruit"], rows)
    elif case == "one_class":
        path = _write_csv(tmp_path / "one.csv", ["weight", "colour", "fruit"],
                          [[str(i), "red", "apple"] for i in range(20)])
    assert main(["train", str(path), "--target", target, "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("myelin train: error: ") and expected in err


def test_the_console_entry_point_has_help_and_no_traceback(tmp_path):
    for command in ("train", "predict", "summary"):
        done = subprocess.run([sys.executable, "-m", "myelin", command, "--help"],
                              capture_output=True, text=True, timeout=60)
        assert done.returncode == 0 and "usage: myelin " + command in done.stdout
    done = subprocess.run([sys.executable, "-m", "myelin", "summary",
                           str(tmp_path / "none.myelin")], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.strip() == f"myelin summary: error: no such file: {tmp_path}/none.myelin"
