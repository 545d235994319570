# Two commands for a fresh clone: `make lab` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: lab test unit notebooks lint browser nbrun bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib)" >/dev/null
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/

test: $(STAMP) lint unit notebooks browser

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard nnlib tests tools benchmarks notebooks)

unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q tests --ignore=tests/browser

notebooks: $(STAMP)
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
		set -x; NNLIB_FAST=1 MPLBACKEND=Agg $(BIN)/python -m pytest -q -p no:cacheprovider --nbval-lax --nbval-current-env --nbval-cell-timeout=600 notebooks/; \
	else echo "no notebooks yet: skipping nbval"; fi

browser: $(STAMP)
	@if [ -d tests/browser ]; then \
		set -x; NNLIB_FAST=1 $(BIN)/python -m pytest -q tests/browser; \
	else echo "no browser tests yet (tests/browser missing): skipping"; fi

nbrun: $(STAMP)
	$(BIN)/python tools/run_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_epoch.py

clean:
	rm -rf $(VENV) .pytest_cache
