"""Packaging consistency: pyproject.toml, environment.yml (Binder/conda), postBuild and .ci/run.

The same dependency list lives in two files -- pyproject for pip, environment.yml for conda and
Binder -- so these tests make sure they never drift apart: same package names (``-`` and ``_``
normalised), same lower bounds where both give one.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]

# Conda-only entries that have no pip counterpart in pyproject.
CONDA_ONLY = {"python", "pip"}
# Packages conda-forge names differently from PyPI (conda name -> pip name).
CONDA_NAMES = {"pytorch": "torch"}
# Packages a learner needs to run the notebooks: conda env for Binder, dev extra for pip.
NOTEBOOK_PACKAGES = {"jupyterlab", "jupyterlab-widgets", "ipykernel"}

_REQ = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*(.*)$")


def normalise(name: str) -> str:
    """PEP 503-style name: lower case, runs of ``-``, ``_``, ``.`` become one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(text: str) -> tuple[str, str | None]:
    """Split ``'numpy>=2.4,<3'`` (pip) or ``'numpy >=2.4'`` (conda) into (name, lower bound)."""
    text = text.split(";")[0].split("#")[0].strip()
    m = _REQ.match(text)
    assert m, f"cannot parse requirement {text!r}"
    name, spec = m.group(1), m.group(2).replace(" ", "")
    lower = None
    for part in filter(None, spec.split(",")):
        if part.startswith(">="):
            lower = part[2:]
        elif part.startswith("=") or part[0].isdigit():  # pin: ==x (pip), =x or x (conda)
            lower = part.lstrip("=").removesuffix(".*")
    return normalise(name), lower


def parse_environment_yml(path: Path) -> dict[str, str | None]:
    """Read the conda ``dependencies:`` list with plain line parsing (no YAML dependency).

    Only the simple form we use is supported: ``- name>=x.y`` items directly under
    ``dependencies:``; a nested ``- pip:`` block is rejected (postBuild installs nnlib itself).
    """
    deps: dict[str, str | None] = {}
    in_deps = False
    for raw in path.read_text().splitlines():
        line = raw.split("#")[0].rstrip()
        if not line.strip():
            continue
        if not line.startswith((" ", "-")):
            in_deps = line.strip() == "dependencies:"
            continue
        if in_deps:
            item = line.strip()
            assert item.startswith("- "), f"unexpected line in dependencies: {raw!r}"
            item = item[2:].strip()
            assert not item.endswith(":"), f"nested block not supported: {raw!r}"
            item = item.split("::")[-1]  # channel::package
            name, lower = parse_requirement(item)
            deps[CONDA_NAMES.get(name, name)] = lower
    return deps


@pytest.fixture(scope="module")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def runtime(pyproject) -> dict[str, str | None]:
    return dict(parse_requirement(r) for r in pyproject["project"]["dependencies"])


@pytest.fixture(scope="module")
def dev(pyproject) -> dict[str, str | None]:
    extras = pyproject["project"]["optional-dependencies"]
    return dict(parse_requirement(r) for r in extras["dev"] + extras.get("torch", []))


@pytest.fixture(scope="module")
def conda() -> dict[str, str | None]:
    return parse_environment_yml(ROOT / "environment.yml")


def test_environment_yml_uses_conda_forge():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^name:\s*nnlib\s*$", text, re.M), "environment.yml must be named nnlib"
    assert re.search(r"^\s*-\s*conda-forge\s*$", text, re.M), "use the conda-forge channel"


def test_runtime_dependencies_are_in_environment_yml(runtime, conda):
    missing = sorted(set(runtime) - set(conda))
    assert not missing, f"in pyproject dependencies but not in environment.yml: {missing}"


def test_notebook_packages_in_both(dev, conda):
    assert NOTEBOOK_PACKAGES <= set(dev), f"dev extra lacks {sorted(NOTEBOOK_PACKAGES - set(dev))}"
    assert NOTEBOOK_PACKAGES <= set(conda), (
        f"environment.yml lacks {sorted(NOTEBOOK_PACKAGES - set(conda))}"
    )


def test_environment_yml_has_nothing_pyproject_lacks(runtime, dev, conda):
    extra = sorted(set(conda) - set(runtime) - set(dev) - CONDA_ONLY)
    assert not extra, f"in environment.yml but not in pyproject (runtime or dev): {extra}"


def test_lower_bounds_agree(runtime, dev, conda):
    pip_bounds = {**dev, **runtime}
    diff = {
        name: (pip_bounds[name], conda[name])
        for name in conda
        if name in pip_bounds
        and pip_bounds[name]
        and conda[name]
        and pip_bounds[name] != conda[name]
    }
    assert not diff, f"lower bounds differ (pyproject, environment.yml): {diff}"


def test_python_lower_bound_agrees(pyproject, conda):
    requires = pyproject["project"]["requires-python"].replace(" ", "")
    assert requires.startswith(">=")
    assert conda.get("python") == requires[2:], "python bound differs from requires-python"


def test_parsers_normalise_names():
    assert parse_requirement("jupyterlab_widgets>=3.0.17") == ("jupyterlab-widgets", "3.0.17")
    assert parse_requirement("Jupyterlab-Widgets >=3.0") == ("jupyterlab-widgets", "3.0")
    assert parse_requirement("numpy>=2.4,<3") == ("numpy", "2.4")
    assert parse_requirement("tqdm") == ("tqdm", None)


def test_console_script_declared(pyproject):
    scripts = pyproject["project"].get("scripts", {})
    assert scripts.get("nnlib-mnist") == "nnlib.apps.cli:main"


def test_postbuild_installs_nnlib_without_deps():
    path = ROOT / "postBuild"
    text = path.read_text()
    assert text.startswith("#!/bin/bash") or text.startswith("#!/usr/bin/env bash")
    assert re.search(r"pip install --no-deps -e \.", text)
    assert os.access(path, os.X_OK), "postBuild must be executable (git update-index --chmod=+x)"


def test_ci_run_calls_make_test():
    path = ROOT / ".ci" / "run"
    text = path.read_text()
    assert text.startswith("#!/bin/bash") or text.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in text
    code = [line.split("#")[0] for line in text.splitlines()]
    assert any(re.search(r"\bmake test\b", line) for line in code), ".ci/run must call make test"
    assert "NNLIB_REQUIRE_BROWSER=1" in text


def test_license_is_mit():
    text = (ROOT / "LICENSE").read_text()
    assert text.startswith("MIT License")
    assert "nnlib contributors" in text
