"""Check that every exercise solution actually solves its exercise.

For each notebook with exercise stubs (code cells tagged ``raises-exception`` whose first line
is ``# Exercise K``), this builds an in-memory copy in which each stub is replaced by the text
of ``notebooks/solutions/NN_exK.py`` -- exactly what a learner gets with ``%load`` -- and runs
it top to bottom in fast mode (``NNLIB_FAST=1``). It fails if any cell raises, or if the
self-check cell after a stub still prints "not done yet" or a failure mark (``✗``, ``FAIL``).
The notebook files are not modified.

Usage::

    python tools/check_exercises.py            # every notebook with exercises
    python tools/check_exercises.py 03 06      # by number prefix
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
EXERCISE = re.compile(r"^#\s*Exercise\s+(\d+)\b")
FAILURE = re.compile(r"not done yet|✗|\bFAIL", re.I)


def stubs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, K) for every exercise stub in the notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "raises-exception" in cell.metadata.get("tags", []):
            m = EXERCISE.match(cell.source.lstrip())
            if m:
                found.append((i, m.group(1)))
    return found


def cell_text(cell: nbformat.NotebookNode) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        if out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "\n".join(parts)


def check_notebook(path: Path, timeout: int) -> list[str]:
    """Run `path` with solutions substituted; return a list of problems (empty if fine)."""
    nb = nbformat.read(path, as_version=4)
    prefix = path.name[:2]
    found = stubs(nb)
    problems = []
    checks = []  # (K, index of the self-check cell)
    for i, k in found:
        solution = SOLUTIONS / f"{prefix}_ex{k}.py"
        if not solution.is_file():
            problems.append(f"Exercise {k}: no solution file {solution.relative_to(ROOT)}")
            continue
        cell = nb.cells[i]
        cell.source = solution.read_text(encoding="utf-8").rstrip()
        cell.metadata["tags"] = [
            t for t in cell.metadata.get("tags", []) if t != "raises-exception"
        ]
        nxt = next(
            (j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code"), None
        )
        if nxt is not None:
            checks.append((k, nxt))
    if problems:
        return problems
    env = dict(os.environ, NNLIB_FAST="1")
    env.pop("MPLBACKEND", None)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3")
    try:
        client.execute(cwd=str(NOTEBOOKS), env=env)
    except CellExecutionError as exc:
        return [f"a cell raised with the solutions in place:\n{str(exc)[-2000:]}"]
    for k, j in checks:
        text = cell_text(nb.cells[j])
        if FAILURE.search(text):
            problems.append(f"Exercise {k}: self-check output says\n{text.strip()[:500]}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="number prefixes or paths (default: all)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell (600)")
    args = parser.parse_args(argv)

    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    if args.notebooks:
        want = [Path(a).name[:2] for a in args.notebooks]
        paths = [p for p in paths if p.name[:2] in want]
    failed = 0
    for path in paths:
        if not stubs(nbformat.read(path, as_version=4)):
            continue
        t0 = time.perf_counter()
        problems = check_notebook(path, args.timeout)
        status = "ok" if not problems else "FAILED"
        print(f"{path.name:<45} {status} ({time.perf_counter() - t0:.1f} s)")
        for p in problems:
            print("    " + p.replace("\n", "\n    "))
        failed += bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
