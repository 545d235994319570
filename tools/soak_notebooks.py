"""Soak test: run the notebooks many times back to back and report every hang and every error.

A hang that happens once in twenty runs (a reply the client does not notice, fixed in
``tools/kernel_client.py``; a message lost around widget comms, jupyter/nbclient#312; or a race in
our own code) never shows in a single CI run. This runs every
selected notebook N times in fast mode (``NNLIB_FAST=1``), each time in a fresh ``python3``
kernel, with the same working directory, environment and kernel as ``tools/run_notebooks.py``
(whose helpers it imports), a timeout per cell and no retry. The notebook files are only read,
never written.

A cell that returns only when its timeout fires (nbclient raises nothing then: see
``tools/kernel_client.py``) counts as a hang too.

It prints one line per notebook per run (its time, or where it hung or failed: the cell index
and the first line of that cell's source), a table of the times per notebook, and the summary
"N runs x M notebooks: K hangs, E errors". The exit status is 1 if anything hung or failed.
Cells tagged ``raises-exception`` (exercise stubs) may raise, as in a normal run.

Not part of the test suite (pytest does not collect ``tools/``): a full soak is ten fast runs
of the whole series. Usage::

    python tools/soak_notebooks.py                  # every notebook, 10 runs
    python tools/soak_notebooks.py -n 3 05 09 12    # notebooks 05, 09 and 12, 3 runs
    python tools/soak_notebooks.py --cell-timeout 120 --skip-torch
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError


def _load_tool(name: str):
    """Import a sibling script of tools/ (not a package) by its path."""
    spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name(f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


run_notebooks = _load_tool("run_notebooks")
NOTEBOOKS = run_notebooks.NOTEBOOKS


@dataclass
class Outcome:
    """One run of one notebook: its time, and where it hung or failed (``kind`` is None if ok)."""

    seconds: float
    kind: str | None = None        # None, "hang" or "error"
    cell: int | None = None        # index of the cell in nb.cells
    first_line: str = ""
    message: str = ""
    slowest: tuple = ()            # (cell index, seconds, first line) of the slowest cell

    def describe(self) -> str:
        if self.kind is None:
            slow = ""
            if self.slowest and self.slowest[1] > max(30.0, self.seconds / 2):
                slow = f"  (slowest: cell {self.slowest[0]} `{self.slowest[2]}` {self.slowest[1]:.1f} s)"
            return f"{self.seconds:7.1f} s{slow}"
        where = f"cell {self.cell} `{self.first_line}`" if self.cell is not None else "kernel"
        return f"{self.kind.upper()} at {where} after {self.seconds:.1f} s: {self.message}"


def needs_torch(path: Path) -> bool:
    """True for a notebook that imports torch (lesson 15)."""
    nb = nbformat.read(path, as_version=4)
    return any(c.cell_type == "code" and "import torch" in c.source for c in nb.cells)


def first_line(source: str, width: int = 80) -> str:
    lines = source.strip().splitlines()
    line = lines[0] if lines else ""
    return line if len(line) <= width else line[:width - 3] + "..."


def run_once(path: Path, *, cell_timeout: int, kernel: str) -> Outcome:
    """Execute the notebook at `path` once, cell by cell, in a fresh kernel; never write it."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=cell_timeout, kernel_name=kernel,
                            kernel_manager_class=run_notebooks.SlicedPollKernelManager,
                            resources={"metadata": {"path": str(NOTEBOOKS)}}, record_timing=False)
    client.reset_execution_trackers()
    env = run_notebooks.clean_environment(fast=True)
    t0 = time.perf_counter()
    index, slowest = None, (None, 0.0, "")
    try:
        with client.setup_kernel(cwd=str(NOTEBOOKS), env=env):
            slowest = ("kernel start", time.perf_counter() - t0, "")
            for index, cell in enumerate(nb.cells):
                t_cell = time.perf_counter()
                client.execute_cell(cell, index)
                took = time.perf_counter() - t_cell
                if took >= 0.95 * cell_timeout:    # a reply read only when the timeout fired
                    return Outcome(time.perf_counter() - t0, "hang", index, first_line(cell.source),
                                   f"the cell returned only after {took:.1f} s (timeout {cell_timeout} s)")
                if took > slowest[1]:
                    slowest = (index, took, first_line(cell.source))
            t_end = time.perf_counter()
        if time.perf_counter() - t_end > slowest[1]:       # leaving the block shuts the kernel down
            slowest = ("kernel shutdown", time.perf_counter() - t_end, "")
    except CellTimeoutError:
        return Outcome(time.perf_counter() - t0, "hang", index, first_line(nb.cells[index].source),
                       f"no reply within {cell_timeout} s")
    except CellExecutionError as exc:
        return Outcome(time.perf_counter() - t0, "error", index, first_line(nb.cells[index].source),
                       f"{exc.ename}: {first_line(str(exc.evalue), 200)}")
    except DeadKernelError as exc:
        cell = nb.cells[index].source if index is not None else ""
        return Outcome(time.perf_counter() - t0, "error", index, first_line(cell),
                       f"the kernel died ({exc})")
    return Outcome(time.perf_counter() - t0, slowest=slowest)


def summary(results: dict[str, list[Outcome]], runs_done: int) -> tuple[str, int, int]:
    """The table of times per notebook, the summary line, and the numbers of hangs and errors."""
    rows = [f"{'notebook':<45} {'ok':>4} {'min':>7} {'median':>7} {'max':>7}  (seconds)"]
    for name, outcomes in results.items():
        times = [o.seconds for o in outcomes if o.kind is None]
        if times:
            rows.append(f"{name:<45} {len(times):>4} {min(times):7.1f} "
                        f"{statistics.median(times):7.1f} {max(times):7.1f}")
        else:
            rows.append(f"{name:<45} {0:>4}")
    everything = [o for outcomes in results.values() for o in outcomes]
    hangs = sum(o.kind == "hang" for o in everything)
    errors = sum(o.kind == "error" for o in everything)
    rows.append(f"{runs_done} runs x {len(results)} notebooks: {hangs} hangs, {errors} errors")
    return "\n".join(rows), hangs, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="paths or number prefixes (default: all)")
    parser.add_argument("-n", "--runs", type=int, default=10, help="runs of every notebook (10)")
    parser.add_argument("--cell-timeout", type=int, default=300,
                        help="seconds a cell may take before it counts as a hang (300)")
    parser.add_argument("--skip-torch", action="store_true",
                        help="leave out notebooks that import torch (automatic without torch)")
    parser.add_argument("--kernel", default="python3", help="kernel name (python3)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error(f"--runs must be at least 1, not {args.runs}")
    if args.cell_timeout < 1:
        parser.error(f"--cell-timeout must be at least 1 second, not {args.cell_timeout}")

    paths = run_notebooks.find_notebooks(args.notebooks)
    no_torch = importlib.util.find_spec("torch") is None
    if args.skip_torch or no_torch:
        left_out = [p for p in paths if needs_torch(p)]
        if left_out:
            why = "torch is not installed" if no_torch else "--skip-torch"
            print(f"left out ({why}): " + ", ".join(p.name for p in left_out))
        paths = [p for p in paths if p not in left_out]
    if not paths:
        print("soak_notebooks: no notebooks to run", file=sys.stderr)
        return 1

    results: dict[str, list[Outcome]] = {p.name: [] for p in paths}
    problems: list[str] = []
    runs_done = 0
    try:
        for run in range(1, args.runs + 1):
            print(f"--- run {run}/{args.runs} (fast mode, cell timeout {args.cell_timeout} s)")
            for path in paths:
                outcome = run_once(path, cell_timeout=args.cell_timeout, kernel=args.kernel)
                results[path.name].append(outcome)
                # one whole line at the end: the kernels' own warnings go to stderr in between
                print(f"{path.name:<45} {outcome.describe()}", flush=True)
                if outcome.kind is not None:
                    problems.append(f"run {run}: {path.name}: {outcome.describe()}")
            runs_done = run
    except KeyboardInterrupt:
        print("\ninterrupted: the summary covers the runs finished so far")

    table, hangs, errors = summary(results, runs_done)
    print("\n" + table)
    for line in problems:
        print(line, file=sys.stderr)
    return 1 if hangs or errors else 0


if __name__ == "__main__":
    sys.exit(main())
