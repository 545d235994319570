"""Environment check for notebook 00: is everything the series needs installed and working?

`check_environment()` returns one `(name, ok, detail)` row per requirement -- `ok` is True,
False, or None for information that is fine either way (full MNIST is optional) -- and
`report()` prints them as `[OK]` / `[FAIL]` / `[INFO]` lines with a fix for each failure.
Nothing here downloads anything; written for clarity, used by notebook 00 and by bug reports.
Folders are printed by `where` (from the home folder, or their last two parts), never as this
machine's absolute path: notebook 00 is committed with its output.
"""

from __future__ import annotations

import importlib
import importlib.metadata as md
import os
import re
import sys
from pathlib import Path

MIN_PYTHON = (3, 10)
# Distribution name -> import name, in the order they are reported.
PACKAGES = {
    "numpy": "numpy",
    "matplotlib": "matplotlib",
    "ipywidgets": "ipywidgets",
    "jupyterlab_widgets": "jupyterlab_widgets",
    "anywidget": "anywidget",
}
MNIST_FILES = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
INSTALL = 'in a terminal at the repository root run `pip install -e ".[dev]"` (or `make lab`)'
RESTART = "then Kernel > Restart Kernel and run this notebook again"
FIXES = {
    "python": "install Python 3.10 or newer and recreate the environment (`make clean && make lab`)",
    "nnlib": f"{INSTALL}, {RESTART}",
    "mnist (small subset)": f"nnlib is installed without its data files: {INSTALL}, {RESTART}",
    "jupyterlab_widgets": (
        f"{INSTALL}; jupyterlab_widgets must also be installed where JupyterLab itself runs; "
        "then restart JupyterLab (not only the kernel)"
    ),
}


FULL_MNIST_LESSON = "lesson 12 (An MLP that reads handwritten digits)"   # first `nl.load_mnist()`


def where(path: str | os.PathLike) -> str:
    """A folder or file as the learner knows it, without this machine's absolute path.

    Under the home folder it is written from there ("~/nnlib/nnlib"); elsewhere by its last two
    parts (".../main/nnlib"). Enough to tell two installs apart in a bug report, and nothing
    that names the machine or the user goes into a saved notebook.
    """
    p = Path(os.path.abspath(Path(path).expanduser()))
    try:
        rel = p.relative_to(Path.home())
    except ValueError:
        return ".../" + "/".join(p.parts[1:][-2:])        # parts[0] is the root, "/" or "C:\\"
    return "~" if rel == Path(".") else f"~/{rel.as_posix()}"


def _version_tuple(version: str) -> tuple[int, ...]:
    """'3.0.17' -> (3, 0, 17); stops at the first non-numeric part ('2.4.0rc1' -> (2, 4))."""
    parts = []
    for part in version.split("."):
        m = re.match(r"\d+", part)
        if not m:
            break
        parts.append(int(m.group()))
        if m.group() != part:
            break
    return tuple(parts)


def _minimum_versions() -> dict[str, str]:
    """Lower bounds declared by the installed nnlib (pyproject), keyed by normalised name."""
    try:
        requires = md.requires("nnlib") or []
    except md.PackageNotFoundError:
        return {}
    bounds = {}
    for req in requires:
        m = re.match(r"\s*([A-Za-z0-9._-]+)[^;]*?>=\s*([0-9][0-9.]*)", req)
        if m:
            bounds[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return bounds


def _check_package(dist: str, module: str, minimum: str | None) -> tuple[bool, str]:
    try:
        importlib.import_module(module)
        version = md.version(dist)
    except Exception as e:  # ImportError, or a broken install raising anything at import
        return False, f"not importable ({type(e).__name__}: {e})"
    if minimum and _version_tuple(version) < _version_tuple(minimum):
        return False, f"{version} is older than the tested {minimum}"
    return True, version


def _full_mnist_status() -> tuple[bool | None, str]:
    """Where the full MNIST set would be found offline (no download is attempted)."""
    places = []
    env = os.environ.get("NNLIB_DATA_DIR")
    if env:
        places.append(("$NNLIB_DATA_DIR", Path(env).expanduser()))
    try:
        import pooch

        places.append(("pooch cache", Path(pooch.os_cache("nnlib")) / "mnist"))
    except ImportError:
        pass
    for label, folder in places:
        if all((folder / f).is_file() or (folder / f"{f}.gz").is_file() for f in MNIST_FILES):
            return True, f"found in {label} ({where(folder)})"
    looked = "; ".join(f"{label} ({where(folder)})" for label, folder in places) or "nowhere"
    return None, (
        f"not on disk (looked in {looked}). Fine: {FULL_MNIST_LESSON} downloads it (~11 MB) on "
        "first use; offline, set NNLIB_DATA_DIR to a folder with the four MNIST files"
    )


def check_environment() -> list[tuple[str, bool | None, str]]:
    """Check every requirement of the series; return `(name, ok, detail)` rows.

    `ok` is True (fine), False (must be fixed; `detail` says how) or None (information only).
    """
    rows: list[tuple[str, bool | None, str]] = []
    py = sys.version.split()[0]
    ok = sys.version_info[:2] >= MIN_PYTHON
    need = ".".join(map(str, MIN_PYTHON))
    rows.append(("python", ok, f"{py} (environment {where(sys.prefix)})"
                 + ("" if ok else f"; need >= {need}")))

    minimum = _minimum_versions()
    for dist, module in PACKAGES.items():
        ok, detail = _check_package(dist, module, minimum.get(re.sub(r"[-_.]+", "-", dist)))
        rows.append((dist, ok, detail))

    try:
        import nnlib

        rows.append(("nnlib", True, f"{nnlib.__version__} ({where(Path(nnlib.__file__).parent)})"))
    except Exception as e:
        rows.append(("nnlib", False, f"not importable ({type(e).__name__}: {e})"))
        return rows

    try:
        X_train, y_train, X_test, y_test = nnlib.load_mnist(subset="small")
        rows.append(
            ("mnist (small subset)", True, f"{len(X_train):,} train + {len(X_test):,} test images")
        )
    except Exception as e:
        rows.append(("mnist (small subset)", False, f"{type(e).__name__}: {e}"))

    ok, detail = _full_mnist_status()
    rows.append(("mnist (full, optional)", ok, detail))
    return rows


def report(rows: list[tuple[str, bool | None, str]] | None = None) -> bool:
    """Print one `[OK]` / `[FAIL]` / `[INFO]` line per check; return True if nothing failed."""
    rows = check_environment() if rows is None else rows
    tags = {True: "[OK]  ", False: "[FAIL]", None: "[INFO]"}
    width = max(len(name) for name, _, _ in rows)
    for name, ok, detail in rows:
        print(f"{tags[ok]} {name:<{width}}  {detail}")
    failed = [name for name, ok, _ in rows if ok is False]
    if failed:
        print(f"\n{len(failed)} check(s) failed. How to fix:")
        for name in failed:
            print(f"  - {name}: {FIXES.get(name, f'{INSTALL}, {RESTART}')}")
    else:
        print("\nAll required checks passed.")
    return not failed
