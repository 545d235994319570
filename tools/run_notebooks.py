"""Re-execute the notebooks in place so their committed outputs come from a clean run.

Every notebook runs top to bottom in a fresh ``python3`` kernel, with ``notebooks/`` as the
working directory, in FULL mode (``NNLIB_FAST`` is removed from the environment unless you pass
``--fast``) and with the inline matplotlib backend (``MPLBACKEND`` is removed). Afterwards the
widget state (``metadata.widgets`` and widget-view outputs) is stripped -- live widgets need a
kernel anyway, and the static figure shown before each widget is what GitHub and nbviewer
display -- and execution counts are checked to be sequential, which ``tests/test_notebooks_meta.py`` relies on.

Cells tagged ``raises-exception`` (exercise stubs) may raise; any other error stops that
notebook and is reported, and the file is left untouched.

Usage::

    python tools/run_notebooks.py                   # every notebooks/NN_*.ipynb
    python tools/run_notebooks.py notebooks/03_*.ipynb
    python tools/run_notebooks.py --fast 00         # NNLIB_FAST=1, select by number prefix
    python tools/run_notebooks.py --zh 02 09        # the Chinese edition, notebooks/zh/
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

sys.path.insert(0, str(Path(__file__).resolve().parent))   # tools/ is not a package
from kernel_client import SlicedPollKernelManager  # noqa: E402  (a reply is never read late)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"


def find_notebooks(selection: list[str], folder: Path = NOTEBOOKS) -> list[Path]:
    """Resolve the command-line selection: paths, or number prefixes like ``03``; all if empty.

    `folder` is `notebooks/` (English) or `notebooks/zh/` (the Chinese edition).
    """
    all_nbs = sorted(folder.glob("[0-9][0-9]_*.ipynb"))
    if not selection:
        return all_nbs
    found: list[Path] = []
    for item in selection:
        path = Path(item)
        if path.suffix == ".ipynb":
            if not path.exists():
                raise SystemExit(f"run_notebooks: no such notebook: {item}")
            found.append(path.resolve())
        else:
            matches = [nb for nb in all_nbs if nb.name.startswith(f"{item}_")]
            if not matches:
                raise SystemExit(f"run_notebooks: no notebook with prefix {item!r} in {NOTEBOOKS}")
            found.extend(matches)
    return found


def clean_environment(fast: bool) -> dict[str, str]:
    """Environment for the kernel: full mode unless ``fast``, inline matplotlib backend."""
    env = dict(os.environ)
    env.pop("MPLBACKEND", None)
    env.pop("NNLIB_FAST", None)
    if fast:
        env["NNLIB_FAST"] = "1"
    return env


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def strip_widget_state(nb: nbformat.NotebookNode) -> None:
    """Drop saved widget models and the outputs that point at them.

    Without a live kernel a widget output can only say "Error displaying widget: model not
    found" (JupyterLab) or ``IntSlider(value=3)`` (GitHub): both confuse more than an empty
    output, and the static figure before every widget already shows what it draws.
    """
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.source.strip():  # nbclient skips empty cells
            cell.execution_count, cell.outputs = None, []
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if WIDGET_VIEW not in o.get("data", {})]
        cell.metadata.pop("widgets", None)
        cell.metadata.pop("execution", None)  # nbclient timing metadata: noisy diffs


def check_execution_counts(nb: nbformat.NotebookNode) -> None:
    """Non-empty code cells must read 1, 2, 3, ... in order: proof of a clean top-to-bottom run."""
    counts = [c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    if counts != list(range(1, len(counts) + 1)):
        raise RuntimeError(f"execution counts are not sequential: {counts}")


def run_notebook(path: Path, *, fast: bool, timeout: int, kernel: str) -> float:
    """Execute ``path`` in place from a clean kernel; return the wall time in seconds."""
    nb = nbformat.read(path, as_version=4)
    env = clean_environment(fast)
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=kernel,
        kernel_manager_class=SlicedPollKernelManager,
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
    )
    t0 = time.perf_counter()
    client.execute(cwd=str(path.parent), env=env)  # keyword arguments reach start_kernel
    elapsed = time.perf_counter() - t0
    strip_widget_state(nb)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    check_execution_counts(nb)
    nbformat.validate(nb)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="paths or number prefixes (default: all)")
    parser.add_argument("--fast", action="store_true", help="set NNLIB_FAST=1 (CI mode)")
    parser.add_argument("--zh", action="store_true",
                        help="the Chinese edition (notebooks/zh/), run in its own folder")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per cell (300)")
    parser.add_argument("--retries", type=int, default=2,
                        help="fresh runs after a cell timeout (2)")
    parser.add_argument("--kernel", default="python3", help="kernel name (python3)")
    args = parser.parse_args(argv)

    paths = find_notebooks(args.notebooks, NOTEBOOKS / "zh" if args.zh else NOTEBOOKS)
    if not paths:
        print("run_notebooks: no notebooks found", file=sys.stderr)
        return 1
    mode = "fast" if args.fast else "full"
    failed: list[str] = []
    total = 0.0
    for path in paths:
        name = path.name
        print(f"{name:<45} running ({mode} mode) ...", end="", flush=True)
        elapsed = None
        for attempt in range(1, args.retries + 2):
            try:
                elapsed = run_notebook(path, fast=args.fast, timeout=args.timeout,
                                       kernel=args.kernel)
                break
            except CellTimeoutError:
                # nbclient can wait forever for a message lost around widget comms
                # (jupyter/nbclient#312): the kernel is idle, so a fresh run is the cure.
                print(f" timed out (attempt {attempt}) ...", end="", flush=True)
            except (CellExecutionError, RuntimeError) as exc:
                print(" FAILED")
                print(str(exc)[-3000:], file=sys.stderr)
                break
        else:
            print(" FAILED (timed out every time)")
        if elapsed is None:
            failed.append(name)
            continue
        total += elapsed
        print(f" {elapsed:7.1f} s")
    print(f"{len(paths) - len(failed)}/{len(paths)} notebooks executed in {total:.1f} s")
    if failed:
        print("failed: " + ", ".join(failed), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
