# Two commands for a fresh clone: `make lab` and `make test` (see README).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# PyTorch is optional (notebook 15, nnlib[torch]): `make torch`, or TORCH=1 with `make test` / `make lab`,
# installs the CPU build torch==$(TORCH_VERSION) first, so that the extra pulls no CUDA build, then the extra.
# TORCH_INDEX=https://download.pytorch.org/whl/cpu fetches that build from PyTorch's own index.
TORCH         ?=
TORCH_VERSION ?= 2.13.0
TORCH_INDEX   ?=
TORCH_STAMP   := $(VENV)/.torch
WITH_TORCH    := $(if $(filter-out 0,$(TORCH)),$(TORCH_STAMP))
HAS_TORCH      = $(BIN)/python -c "import torch" >/dev/null 2>&1

.PHONY: lab test unit notebooks lint browser nbrun bench clean torch

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (nnlib)" >/dev/null
	touch $(STAMP)

$(TORCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install -q "torch==$(TORCH_VERSION)" $(if $(TORCH_INDEX),--index-url $(TORCH_INDEX))
	$(BIN)/python -m pip install -q -e ".[dev,torch]"
	touch $(TORCH_STAMP)

torch: $(TORCH_STAMP)

# Jupyter refuses to start as root (containers, WSL, cloud VMs) unless told --allow-root.
ROOT_FLAG := $(shell [ "$$(id -u 2>/dev/null)" = "0" ] && echo --allow-root)

lab: $(STAMP) $(WITH_TORCH)
	$(BIN)/jupyter lab $(ROOT_FLAG) notebooks/

test: $(STAMP) $(WITH_TORCH) lint unit notebooks browser

lint: $(STAMP)
	$(BIN)/ruff check $(wildcard nnlib tests tools benchmarks notebooks)

# pytest-xdist: one worker per core, each test file kept in one worker (--dist loadfile)
unit: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -n auto --dist loadfile tests --ignore=tests/browser

# nbval: the English and the Chinese edition side by side in two processes, each in order
# (conftest.py); one BLAS thread each, since two processes with two spinning threads each
# took twice as long (measured: 187 s against 95 s)
notebooks: $(STAMP) $(WITH_TORCH)
	@if ls notebooks/*.ipynb >/dev/null 2>&1; then \
		skip=""; \
		if [ -f notebooks/15_pytorch.ipynb ] && ! $(HAS_TORCH); then \
			skip="--ignore=notebooks/15_pytorch.ipynb --ignore=notebooks/zh/15_pytorch.ipynb"; \
			echo "notebooks: 15_pytorch.ipynb left out (PyTorch is not installed); include it with: make torch (or TORCH=1 make test)"; \
		fi; \
		set -x; NNLIB_FAST=1 MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 $(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --nbval-lax --nbval-current-env --nbval-cell-timeout=600 notebooks/ $$skip; \
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
