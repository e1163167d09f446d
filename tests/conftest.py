"""Test setup shared by every test: real datasets and a fresh random seed per test."""

import os
from pathlib import Path

import pytest

# The real datasets sit beside the repository (../shared/data); CI and `make test` set this
# too, and an explicit setting wins.
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if _SHARED_DATA.is_dir():
    os.environ.setdefault("MYELIN_DATASETS", str(_SHARED_DATA))


def missing_dataset(reason):
    """A test whose real dataset is absent: skipped on a developer's machine, but a
    failure in CI (``CI`` set), where the data must be there and a skip would hide it."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must have the real datasets: MYELIN_DATASETS)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def dataset_missing():
    """``missing_dataset`` for fixtures in sub-folders' conftest files."""
    return missing_dataset


def pytest_configure(config):
    config.addinivalue_line("markers", "dataset(path): needs $MYELIN_DATASETS/<path>")


def pytest_runtest_setup(item):
    for mark in item.iter_markers("dataset"):
        root = Path(os.environ.get("MYELIN_DATASETS", "/nonexistent"))
        for relative in mark.args:
            if not (root / relative).is_file():
                missing_dataset(f"needs $MYELIN_DATASETS/{relative}")


@pytest.fixture(autouse=True)
def _seeded():
    """Every test starts from the same library random state, so failures reproduce."""
    from myelin import backend

    backend.set_seed(1234)
    yield
    # A TF-1 program (a placeholder, disable_eager_execution) leaves graph mode on for its
    # process; the next test must start eager, as a fresh program would.
    from myelin.autodiff.static_value import graph_mode

    if graph_mode[0]:
        import myelin as tf

        tf.compat.v1.enable_eager_execution()
        tf.reset_default_graph()
