"""Every exercise's self-check passes the solution and rejects every wrong solution.

Runs `tools/check_exercises.py` on each notebook with exercises (fast mode, one kernel per
notebook): the solution must make the self-check print ✓, and each of the >= 3 plausible wrong
solutions in `notebooks/solutions/wrong/NN_exK.py` must make it print ✗ without crashing.
A notebook that needs an optional extra that is not installed (torch) is left out with a message.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("check_exercises", ROOT / "tools" / "check_exercises.py")
check_exercises = importlib.util.module_from_spec(_spec)
sys.modules["check_exercises"] = check_exercises    # dataclasses look their module up there
_spec.loader.exec_module(check_exercises)

NOTEBOOKS = [p for p in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
             if check_exercises.stubs(nbformat.read(p, as_version=4))]


def test_every_lesson_has_exercises():
    numbers = {p.name[:2] for p in NOTEBOOKS}
    lessons = {p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")} - {"00"}
    assert lessons <= numbers, f"lessons without exercises: {sorted(lessons - numbers)}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])
def test_self_checks_accept_solutions_and_reject_wrong_ones(path):
    extra = check_exercises.missing_extra(nbformat.read(path, as_version=4))
    if extra:
        pytest.skip(f"{path.name} left out: needs {extra}; include it with pip install -e '.[{extra}]'")
    report = check_exercises.check_notebook(path, timeout=120)   # fast mode: a cell takes seconds
    assert not report.problems, "\n".join(report.problems)
    assert report.caught >= check_exercises.MIN_WRONG * report.exercises
