"""The one direction of imports of ARCHITECTURE.md, checked: core -> viz -> widgets, never back.

The imports are read with `ast` (every `import` statement, also those inside functions), so a
test fails as soon as a core module imports `nnlib.viz` or `nnlib.widgets`, or a plotting
module imports `nnlib.widgets`, whether or not that code path runs. A fresh interpreter checks
that `import nnlib` loads neither matplotlib nor ipywidgets and that `nl.viz`/`nl.widgets`
still work as attributes.
"""

from __future__ import annotations

import ast
import json
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PKG = ROOT / "nnlib"
HEAVY = ("matplotlib", "ipywidgets", "IPython", "anywidget")   # what a core module may not load


def _module_name(path: pathlib.Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: pathlib.Path) -> list[tuple[str, int, bool]]:
    """(absolute module name, line, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    top = {id(node) for node in tree.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            # `from . import viz` imports the module nnlib.viz itself
            names = [f"{name}.{alias.name}" for alias in node.names] if not node.module else []
            found += [(n, node.lineno, id(node) in top) for n in [name, *names]]
    return found


def _files(where: str = "") -> list[pathlib.Path]:
    return sorted((PKG / where).rglob("*.py")) if where else sorted(PKG.rglob("*.py"))


CORE = [p for p in _files() if p.relative_to(PKG).parts[0] not in ("viz", "widgets")]
VIZ = _files("viz")


def _forbidden(path, modules, *, module_level_only: bool = False) -> list[str]:
    """The imports of `path` that are (or are inside) one of `modules`, as "line N: name"."""
    return [f"line {line}: {name}" for name, line, top in _imports(path)
            if (top or not module_level_only)
            and any(name == m or name.startswith(m + ".") for m in modules)]


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_neither_viz_nor_widgets(path):
    bad = _forbidden(path, ("nnlib.viz", "nnlib.widgets"))
    assert not bad, (f"{path.relative_to(ROOT)} is core (computes) and must not import the "
                     f"plotting or widget layers (ARCHITECTURE.md): {bad}")


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_loads_no_plotting_or_widget_library_at_import(path):
    bad = _forbidden(path, HEAVY, module_level_only=True)
    assert not bad, (f"{path.relative_to(ROOT)} imports a heavy library at module level; "
                     f"import it inside the function that needs it: {bad}")


@pytest.mark.parametrize("path", VIZ, ids=lambda p: str(p.relative_to(ROOT)))
def test_viz_does_not_import_widgets(path):
    bad = _forbidden(path, ("nnlib.widgets", "ipywidgets"))
    assert not bad, (f"{path.relative_to(ROOT)} draws figures and must not import widgets "
                     f"(widgets import viz, not the other way round): {bad}")


def test_the_checker_sees_relative_imports():
    """The import reader itself: relative imports resolve to the absolute module names."""
    names = {n for n, _, _ in _imports(PKG / "widgets" / "base.py")}
    assert "nnlib.viz.style" in names
    names = {n for n, _, _ in _imports(PKG / "__init__.py")}
    assert "nnlib.course.probes" in names and "nnlib.core" in names


def test_no_hex_colour_outside_the_style_module():
    """Colours are named once, in nnlib/viz/style.py (POSITIVE, NEGATIVE, WARNING, ...)."""
    hexcode = re.compile(r"#[0-9A-Fa-f]{6}\b")
    style = PKG / "viz" / "style.py"
    bad = [f"{p.relative_to(ROOT)}:{i}" for p in _files() if p != style
           for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
           if hexcode.search(line)]
    assert not bad, f"hard-coded colours (use the names of nnlib/viz/style.py): {bad}"


def test_viz_names_are_unique_across_topic_modules():
    """`nl.viz` flattens every topic module's `__all__`: two modules must not both export a name."""
    import nnlib.viz as viz

    seen: dict[str, str] = {}
    clashes = []
    for mod in viz.MODULES:
        for name in mod.__all__:
            if name in seen:
                clashes.append(f"{name} ({seen[name]} and {mod.__name__})")
            seen[name] = mod.__name__
    assert not clashes, f"nl.viz.<name> would be ambiguous: {clashes}"


_FRESH = """
import json, sys
import nnlib
import nnlib.layers
before = {m: m in sys.modules for m in ("matplotlib", "ipywidgets", "IPython")}
import nnlib as nl
x = nl.sigmoid(0.0), nl.accuracy([[0.0, 1.0]], [1]), nl.course.descent_path(0, 0, 0.1, 2)["loss"][0]
viz_ok = callable(nl.viz.plot_data) and "matplotlib" in sys.modules
widgets_ok = callable(nl.widgets.neuron_explorer) and "ipywidgets" in sys.modules
print(json.dumps({"before": before, "viz": viz_ok, "widgets": widgets_ok}))
"""


def test_import_nnlib_loads_no_matplotlib_and_viz_widgets_load_on_first_use():
    out = subprocess.run([sys.executable, "-c", _FRESH], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, env={"MPLBACKEND": "Agg", "PATH": ""})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["before"] == {"matplotlib": False, "ipywidgets": False, "IPython": False}
    assert result["viz"] and result["widgets"]


def test_unknown_attribute_is_still_an_attribute_error():
    import nnlib as nl

    with pytest.raises(AttributeError, match="no attribute 'vizz'"):
        nl.vizz  # noqa: B018
    assert "viz" in dir(nl) and "widgets" in dir(nl)
