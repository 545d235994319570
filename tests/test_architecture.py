"""The one direction of imports of ARCHITECTURE.md, checked over every import at any depth.

The package is ranked: the textbook (0) -> data sets and augmentation (1) -> the speed twins
(2) -> the training loop (3) -> course helpers (4) -> applications and interop (5) -> viz (6)
-> widgets (7). A module may import its own rank or a lower one, never a higher one, and the
graph of all imports (those inside functions too, read with `ast`) has no cycle. A fresh
interpreter checks that `import nnlib.layers` loads the core and the layers and nothing else,
and that `import nnlib` loads no plotting or widget library; it runs with the environment as
it is, writes no `.pyc` file, and the test checks that the source tree is as it was.
"""

from __future__ import annotations

import ast
import json
import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PKG = ROOT / "nnlib"
HEAVY = ("matplotlib", "ipywidgets", "IPython", "anywidget")   # what a lower module may not load

TEXTBOOK = ("core", "layers", "losses", "optim", "data", "conv", "metrics", "autograd",
            "gradcheck", "io")
RANKS = {**{f"nnlib.{m}": 0 for m in TEXTBOOK}, "nnlib.datasets": 1, "nnlib.fast": 2,
         "nnlib.train": 3, "nnlib.course": 4, "nnlib.apps": 5, "nnlib.interop": 5,
         "nnlib.viz": 6, "nnlib.widgets": 7}
NAMES = {0: "textbook", 1: "data sets", 2: "fast", 3: "training loop", 4: "course helpers",
         5: "applications", 6: "viz", 7: "widgets"}


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
            # `from . import viz` imports the module nnlib.viz (its package is already loaded)
            targets = [f"{name}.{alias.name}" for alias in node.names] if not node.module else [name]
            found += [(n, node.lineno, id(node) in top) for n in targets]
    return found


def _files(where: str = "") -> list[pathlib.Path]:
    return sorted((PKG / where).rglob("*.py")) if where else sorted(PKG.rglob("*.py"))


MODULES = {_module_name(p): p for p in _files()}


def _as_module(name: str) -> str | None:
    """The nnlib module that `name` (a module or a name inside one) belongs to, else None."""
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def rank(module: str) -> int | None:
    """The rank of an nnlib module; None for the package root (it imports nothing itself)."""
    best = max((k for k in RANKS if module == k or module.startswith(k + ".")), key=len,
               default=None)
    return RANKS[best] if best else None


def _graph() -> dict[str, set[str]]:
    """module -> the nnlib modules it imports (any depth, the root left out)."""
    edges = {}
    for module, path in MODULES.items():
        targets = {_as_module(n) for n, _, _ in _imports(path) if n.startswith("nnlib")}
        edges[module] = {t for t in targets if t and t != "nnlib" and t != module}
    return edges


def test_every_module_has_a_rank():
    unranked = [m for m in MODULES if m != "nnlib" and rank(m) is None]
    assert not unranked, f"add these modules to a layer of RANKS (and ARCHITECTURE.md): {unranked}"


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m != "nnlib"))
def test_no_import_goes_up(module):
    here = rank(module)
    bad = [f"line {line}: {name} ({NAMES[rank(_as_module(name))]})"
           for name, line, _ in _imports(MODULES[module])
           if name.startswith("nnlib.") and _as_module(name)
           and rank(_as_module(name)) is not None and rank(_as_module(name)) > here]
    assert not bad, (f"{module} is in the {NAMES[here]} layer and imports a higher layer "
                     f"(ARCHITECTURE.md: imports go one way, also inside functions): {bad}")


def test_the_import_graph_has_no_cycle():
    edges, state, path = _graph(), {}, []

    def visit(m):
        state[m] = "open"
        path.append(m)
        for t in sorted(edges.get(m, ())):
            if state.get(t) == "open":
                raise AssertionError("import cycle: " + " -> ".join(path[path.index(t):] + [t]))
            if t not in state:
                visit(t)
        path.pop()
        state[m] = "done"

    for m in sorted(edges):
        if m not in state:
            visit(m)


def test_the_checker_sees_imports_inside_functions_and_relative_ones():
    names = {n for n, _, _ in _imports(PKG / "widgets" / "base.py")}
    assert "nnlib.viz.style" in names
    inside = [(n, top) for n, _, top in _imports(PKG / "train.py") if n == "nnlib.fast"]
    assert inside == [("nnlib.fast", False)]             # fit(fast=True)'s import, in the function
    assert rank("nnlib.datasets.augment") == 1 and rank("nnlib.viz.style") == 6


@pytest.mark.parametrize("path", [p for p in _files() if (rank(_module_name(p)) or 0) < 6],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_below_viz_no_plotting_or_widget_library_at_import(path):
    bad = [f"line {line}: {name}" for name, line, top in _imports(path)
           if top and any(name == m or name.startswith(m + ".") for m in HEAVY)]
    assert not bad, (f"{path.relative_to(ROOT)} imports a heavy library at module level; "
                     f"import it inside the function that needs it: {bad}")


def test_nothing_writes_into_another_objects_dict_or_rebinds_its_methods():
    """A switch is a parameter: no `obj.__dict__[...] = ...`, no `setattr(obj, "forward", ...)`."""
    pattern = re.compile(r"__dict__\s*\[|__dict__\.(update|setdefault|pop)|"
                         r"setattr\([^,]+,\s*[\"'](forward|backward|step|zero_grad)[\"']")
    bad = [f"{p.relative_to(ROOT)}:{i}: {line.strip()}" for p in _files()
           for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
           if pattern.search(line)]
    assert not bad, f"code that patches another object: {bad}"


def test_no_two_modules_share_a_file_name():
    names: dict[str, list[str]] = {}
    for p in _files():
        if p.name != "__init__.py":
            names.setdefault(p.name, []).append(str(p.relative_to(ROOT)))
    assert not {k: v for k, v in names.items() if len(v) > 1}


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
import nnlib.layers
layers_only = sorted(m for m in sys.modules if m.startswith("nnlib"))
import nnlib as nl
before = {m: m in sys.modules for m in ("matplotlib", "ipywidgets", "IPython")}
x = nl.sigmoid(0.0), nl.accuracy([[0.0, 1.0]], [1]), nl.course.descent_path(0, 0, 0.1, 2)["loss"][0]
still = {m: m in sys.modules for m in ("matplotlib", "ipywidgets", "IPython")}
viz_ok = callable(nl.viz.plot_data) and "matplotlib" in sys.modules
widgets_ok = callable(nl.widgets.neuron_explorer) and "ipywidgets" in sys.modules
print(json.dumps({"layers_only": layers_only, "before": before, "still": still,
                  "viz": viz_ok, "widgets": widgets_ok}))
"""


def _tree_state():
    return sorted((str(p.relative_to(ROOT)), p.stat().st_mtime_ns) for p in PKG.rglob("*")
                  if "__pycache__" not in p.parts)


def test_import_nnlib_layers_loads_the_textbook_it_needs_and_nothing_else():
    before = _tree_state()
    pycache_before = sorted(PKG.rglob("__pycache__/*.pyc"))
    env = {**os.environ, "MPLBACKEND": "Agg"}
    out = subprocess.run([sys.executable, "-B", "-c", _FRESH], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, env=env)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["layers_only"] == ["nnlib", "nnlib.core", "nnlib.layers"]
    assert result["before"] == result["still"] == {"matplotlib": False, "ipywidgets": False,
                                                   "IPython": False}
    assert result["viz"] and result["widgets"]
    assert _tree_state() == before                                 # the source tree as it was
    assert sorted(PKG.rglob("__pycache__/*.pyc")) == pycache_before


def test_unknown_attribute_is_still_an_attribute_error():
    import nnlib as nl

    with pytest.raises(AttributeError, match="no attribute 'vizz'"):
        nl.vizz  # noqa: B018
    assert "viz" in dir(nl) and "widgets" in dir(nl) and "Linear" in dir(nl)
