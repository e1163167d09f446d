# The two quick-start commands: `make demo` (train the seed models, print results, save
# plots) and `make test` (the test suite, exactly what CI runs). Both create a private
# virtual environment in .venv on first use, so nothing needs installing by hand.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Real copies of the datasets live beside the repo; an explicit setting wins.
MYELIN_DATASETS ?= $(if $(wildcard ../shared/data),$(abspath ../shared/data),)
export MYELIN_DATASETS

.PHONY: demo test lint docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.dev-installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

demo: $(VENV)/.dev-installed
	$(BIN)/python examples/demo.py

test: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests examples benchmarks tools
	$(BIN)/python -m pytest -n 2 -m "not full_data" -q

# The API reference and guides (mkdocs.yml, docs/), warnings as errors, into site/.
docs: $(VENV)/.dev-installed
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --site-dir site

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check src tests examples benchmarks tools

clean:
	rm -rf $(VENV) output site
