"""PyTorch stays optional: one extra, one module, one notebook, and CI installs the CPU build.

Needs no torch: these tests read files, or run nnlib in a fresh interpreter where torch is hidden.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[2]
TORCH_IMPORT = re.compile(r"^\s*(import torch\b|from torch\b)", re.M)
BRIDGE = ROOT / "nnlib" / "interop" / "torch_bridge.py"
NOTEBOOK = "15_pytorch.ipynb"


def test_extra_has_a_lower_bound_not_a_pin():
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    assert extras["torch"] == ["torch>=2.13"]
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert not any(d.startswith("torch") for d in deps + extras["dev"]), "torch must stay optional"


def test_binder_environment_has_pytorch():
    text = (ROOT / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*pytorch>=2\.13\s*$", text, re.M)


def test_only_the_bridge_imports_torch_at_module_level():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "nnlib").rglob("*.py")
                 if p != BRIDGE and TORCH_IMPORT.search(p.read_text(encoding="utf-8"))]
    assert not offenders, f"only nnlib/interop/torch_bridge.py may import torch: {offenders}"
    # and the bridge imports it inside functions only (indented), never at the top
    top = [line for line in BRIDGE.read_text().splitlines()
           if line.startswith(("import torch", "from torch"))]
    assert not top, f"torch_bridge.py imports torch at module level: {top}"


def test_only_notebook_15_uses_torch():
    offenders = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        if path.name == NOTEBOOK:
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        if TORCH_IMPORT.search(code) or "to_torch(" in code or "from_torch(" in code:
            offenders.append(path.name)
    assert not offenders, f"only {NOTEBOOK} may use torch: {offenders}"


def test_ci_installs_the_cpu_build_before_the_extra():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^TORCH_VERSION \?= 2\.13\.0$", make, re.M)
    recipe = make.split("$(TORCH_STAMP): ")[1].split("\n\n")[0]
    pin = recipe.index('"torch==$(TORCH_VERSION)"')
    extra = recipe.index('".[dev,torch]"')
    assert pin < extra, "install torch==2.13.0 (CPU build) before the extra"
    ci = [line.split("#")[0] for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    torch_at = next(i for i, line in enumerate(ci) if re.search(r"\bmake torch\b", line))
    test_at = next(i for i, line in enumerate(ci) if re.search(r"\bmake test\b", line))
    assert torch_at < test_at


def test_make_says_when_notebook_15_is_left_out():
    make = (ROOT / "Makefile").read_text()
    rule = make.split("\nnotebooks:")[1].split("\n\n")[0]
    assert f"--ignore=notebooks/{NOTEBOOK}" in rule and "import torch" in make
    assert "left out" in rule and "make torch" in rule


def run_without_torch(code: str) -> str:
    """Run `code` in a fresh interpreter in which `import torch` fails; return its stdout."""
    prelude = "import sys; sys.modules['torch'] = None\n"
    out = subprocess.run([sys.executable, "-c", prelude + code], capture_output=True, text=True,
                         check=True, cwd=ROOT)
    return out.stdout.strip()


def test_import_nnlib_does_not_import_torch():
    code = "import sys, nnlib; nnlib.to_torch; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_without_torch_nnlib_works_and_the_bridge_says_how_to_install():
    out = run_without_torch(
        "import nnlib as nl\n"
        "net = nl.mlp([2, 3, 1], rng=0)\n"
        "print(net.forward([[1.0, 2.0]]).shape)\n"
        "try:\n"
        "    nl.to_torch(net)\n"
        "except ImportError as e:\n"
        "    print(e)\n")
    shape, message = out.splitlines()[0], "\n".join(out.splitlines()[1:])
    assert shape == "(1, 1)"
    assert "needs PyTorch" in message and "make torch" in message and "'.[torch]'" in message
