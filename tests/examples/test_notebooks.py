"""The seed programs as notebooks run in a real Jupyter kernel (nbclient) on slices of
the data: no error, each plot shown once, one progress display per epoch, the model
rendered as an HTML table."""

import os
from pathlib import Path

import pytest

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOKS = Path(__file__).resolve().parents[2] / "examples" / "notebooks"
_DATA = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
EPOCHS = 2
NEEDS = {"imdb_sentiment": "imdb/imdb.npz", "mnist_dnn": "mnist/mnist.npz",
         "mnist_low_level": "mnist/mnist.npz"}


def _execute(name, monkeypatch, tmp_path):
    monkeypatch.setenv("MYELIN_NOTEBOOK_LIMIT", "1000")
    monkeypatch.setenv("MYELIN_NOTEBOOK_EPOCHS", str(EPOCHS))
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    client = nbclient.NotebookClient(book, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    return [cell for cell in book.cells if cell.cell_type == "code"]


def _images(cell):
    return [o for o in cell.outputs if "image/png" in o.get("data", {})]


@pytest.mark.parametrize("name", sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")))
def test_notebook_runs_with_inline_plots_and_bounded_progress(name, monkeypatch, tmp_path):
    if name in NEEDS and not (_DATA / NEEDS[name]).is_file():
        pytest.skip(f"needs $MYELIN_DATASETS/{NEEDS[name]}")
    cells = _execute(name, monkeypatch, tmp_path)
    errors = [o for cell in cells for o in cell.outputs if o.output_type == "error"]
    assert errors == [], errors[:1]
    plots = [cell for cell in cells if "plot." in cell.source]
    assert plots and all(len(_images(cell)) == 1 for cell in plots)  # inline, shown once
    for cell in cells:
        if ".fit(" in cell.source and "epochs=EPOCHS(" in cell.source \
                and "verbose=0" not in cell.source:  # a Keras fit showing progress
            bars = [o for o in cell.outputs
                    if "application/vnd.jupyter.widget-view+json" in o.get("data", {})]
            text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
            # one live display per epoch, and no stream of redrawn lines
            assert len(bars) == EPOCHS and text.count("\n") <= 2 + EPOCHS, cell.outputs
    tables = [o for cell in cells for o in cell.outputs if "text/html" in o.get("data", {})]
    if name in ("house_prices", "mnist_dnn"):
        assert any("<th>Output Shape</th>" in o["data"]["text/html"] for o in tables)
