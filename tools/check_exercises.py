"""Check that every exercise's self-check passes the solution and fails every wrong solution.

A self-check is a test, so it must be able to fail. For each notebook with exercise stubs (code
cells tagged ``raises-exception`` whose first line is ``# Exercise K``), this runs the notebook
cell by cell in one fresh kernel in fast mode (``NNLIB_FAST=1``), and at each stub:

1. runs ``notebooks/solutions/NN_exK.py`` in place of the stub -- exactly what a learner gets
   with ``%load`` -- then the self-check cell (the next code cell), which must print a line
   starting with ✓ and nothing that says ✗, "not done yet" or FAIL;
2. runs each chunk of ``notebooks/solutions/wrong/NN_exK.py`` (chunks start with a line
   ``# wrong: <the mistake>``; at least three per exercise) in place of the stub, then the
   self-check again, which must print ✗ and no ✓ -- and must not raise, whatever the wrong
   code returns;
3. runs the solution once more, so the rest of the notebook sees the right definitions.

It fails if any other cell raises. The notebook files are not modified. ``tests/test_exercises.py``
runs this for every notebook as part of ``make test``.

Usage::

    python tools/check_exercises.py            # every notebook with exercises
    python tools/check_exercises.py 04 07      # by number prefix
"""

from __future__ import annotations

import argparse
import copy
import importlib.util
import os
import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTIONS = NOTEBOOKS / "solutions"
WRONG = SOLUTIONS / "wrong"
EXERCISE = re.compile(r"^#\s*Exercise\s+(\d+)\b")
WRONG_HEADER = re.compile(r"^# wrong:\s*(.+)$", re.M)
PASS = re.compile(r"^\s*✓", re.M)
FAILURE = re.compile(r"not done yet|✗|\bFAIL", re.I)
MIN_WRONG = 3
ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Notebooks that need an optional extra, and the module that tells whether it is installed.
OPTIONAL = {"import torch": "torch"}


def stubs(nb: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, K) for every exercise stub in the notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "raises-exception" in cell.metadata.get("tags", []):
            m = EXERCISE.match(cell.source.lstrip())
            if m:
                found.append((i, m.group(1)))
    return found


def wrong_solutions(path: Path) -> list[tuple[str, str]]:
    """(description, code) for every ``# wrong:`` chunk of a wrong-solutions file."""
    text = path.read_text(encoding="utf-8")
    heads = list(WRONG_HEADER.finditer(text))
    chunks = []
    for n, m in enumerate(heads):
        end = heads[n + 1].start() if n + 1 < len(heads) else len(text)
        chunks.append((m.group(1).strip(), text[m.start():end].rstrip()))
    return chunks


def missing_extra(nb: nbformat.NotebookNode) -> str | None:
    """The optional module a notebook imports but this environment lacks, else None."""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    for marker, module in OPTIONAL.items():
        if marker in code and importlib.util.find_spec(module) is None:
            return module
    return None


def cell_text(cell: nbformat.NotebookNode) -> str:
    """Everything a cell printed or displayed as text."""
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts.append(out.get("data", {}).get("text/plain", ""))
        if out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "\n".join(parts)


@dataclass
class Report:
    """What happened in one notebook: problems found and how many wrong solutions were caught."""

    problems: list[str] = field(default_factory=list)
    exercises: int = 0
    caught: int = 0


def _with_source(cell: nbformat.NotebookNode, source: str, may_raise: bool) -> nbformat.NotebookNode:
    new = copy.deepcopy(cell)
    new.source = source
    new.outputs = []
    tags = [t for t in new.metadata.get("tags", []) if t != "raises-exception"]
    new.metadata["tags"] = tags + (["raises-exception"] if may_raise else [])
    return new


def check_notebook(path: Path, timeout: int = 600, tries: int = 2) -> Report:
    """Run `path` with solutions and wrong solutions substituted; report the problems.

    A cell timeout is retried once in a new kernel: nbclient sometimes waits for an iopub
    message that was lost around widget comms (jupyter/nbclient#312), which is no fault of the
    notebook; a second timeout is reported.
    """
    for attempt in range(tries):
        try:
            return _check_notebook(path, timeout)
        except CellTimeoutError as exc:
            if attempt == tries - 1:
                return Report(problems=[f"a cell timed out twice ({timeout} s): {exc}"])
    raise AssertionError("unreachable")


def _check_notebook(path: Path, timeout: int) -> Report:
    nb = nbformat.read(path, as_version=4)
    prefix = path.name[:2]
    report = Report()
    plan = {}  # stub index -> (K, check index, solution source, wrong chunks)
    for i, k in stubs(nb):
        report.exercises += 1
        solution = SOLUTIONS / f"{prefix}_ex{k}.py"
        wrong = WRONG / f"{prefix}_ex{k}.py"
        nxt = next((j for j in range(i + 1, len(nb.cells)) if nb.cells[j].cell_type == "code"), None)
        if not solution.is_file():
            report.problems.append(f"Exercise {k}: no solution file {solution.relative_to(ROOT)}")
        if not wrong.is_file():
            report.problems.append(f"Exercise {k}: no wrong solutions in {wrong.relative_to(ROOT)}")
            chunks = []
        else:
            chunks = wrong_solutions(wrong)
            if len(chunks) < MIN_WRONG:
                report.problems.append(f"Exercise {k}: {wrong.relative_to(ROOT)} has {len(chunks)} "
                                       f"'# wrong:' chunks, expected at least {MIN_WRONG}")
        if nxt is None:
            report.problems.append(f"Exercise {k}: no self-check cell after the stub")
        if solution.is_file() and nxt is not None:
            plan[i] = (k, nxt, solution.read_text(encoding="utf-8").rstrip(), chunks)
    if report.problems:
        return report

    env = dict(os.environ, NNLIB_FAST="1")
    env.pop("MPLBACKEND", None)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3")
    client.reset_execution_trackers()
    done_checks: set[int] = set()
    with client.setup_kernel(cwd=str(NOTEBOOKS), env=env):
        for i, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or i in done_checks:
                continue
            try:
                if i not in plan:
                    client.execute_cell(cell, i)
                    continue
                k, j, solution, chunks = plan[i]
                check = nb.cells[j]
                done_checks.add(j)

                def run_check(source: str, may_raise: bool, i=i, j=j, cell=cell, check=check) -> str:
                    client.execute_cell(_with_source(cell, source, may_raise), i)
                    ran = _with_source(check, check.source, False)
                    try:
                        client.execute_cell(ran, j)
                    except CellTimeoutError:
                        raise
                    except CellExecutionError as exc:  # a self-check must never crash
                        last = ANSI.sub("", str(exc)).strip().splitlines()[-1]
                        return f"CRASHED: the self-check cell raised {last}"
                    return cell_text(ran)

                text = run_check(solution, False)
                if not PASS.search(text) or FAILURE.search(text):
                    report.problems.append(f"Exercise {k}: with the solution the self-check says\n"
                                           f"{text.strip()[:500]}")
                for what, code in chunks:
                    text = run_check(code, True)
                    if "✗" in text and not PASS.search(text) and not text.startswith("CRASHED"):
                        report.caught += 1
                    else:
                        report.problems.append(
                            f"Exercise {k}: wrong solution '{what}' is not rejected; the "
                            f"self-check says\n{text.strip()[:500] or '(nothing)'}")
                run_check(solution, False)
            except CellTimeoutError:
                raise
            except CellExecutionError as exc:
                report.problems.append(f"cell {i} raised:\n{ANSI.sub('', str(exc))[-1500:]}")
                break
    return report


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
        nb = nbformat.read(path, as_version=4)
        if not stubs(nb):
            continue
        extra = missing_extra(nb)
        if extra:
            print(f"{path.name:<45} left out: needs {extra} (pip install -e '.[{extra}]')")
            continue
        t0 = time.perf_counter()
        report = check_notebook(path, args.timeout)
        status = "ok" if not report.problems else "FAILED"
        print(f"{path.name:<45} {status}: {report.exercises} exercises, {report.caught} wrong "
              f"solutions rejected ({time.perf_counter() - t0:.1f} s)")
        for p in report.problems:
            print("    " + p.replace("\n", "\n    "))
        failed += bool(report.problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
