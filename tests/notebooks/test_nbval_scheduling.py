"""`make notebooks` hands each process a whole edition, in order (the root conftest.py).

Notebook 13 reads the models 12 and 14 save in their folder; split across two processes, 13
could run before 12 or read a half-written file. The scheduler must keep an edition together
and leave every other pytest run (the unit tests) to xdist's own choice.
"""

import importlib.util
from pathlib import Path
from types import SimpleNamespace

import pytest

ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("root_conftest", ROOT / "conftest.py")
root_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(root_conftest)


def _config(*args):
    # what LoadScopeScheduling reads: the worker count (-n 2) and the paths given to pytest
    option = SimpleNamespace(numprocesses=2, tx=["2*popen"], dist="load")
    return SimpleNamespace(args=[str(ROOT / a) for a in args], option=option,
                           getvalue=lambda name: getattr(option, name, None))


def test_the_notebook_run_is_split_by_edition():
    pytest.importorskip("xdist")
    scheduler = root_conftest.pytest_xdist_make_scheduler(_config("notebooks"), None)
    scope = scheduler._split_scope
    assert scope("notebooks/12_mnist_classifier.ipynb::Cell 3") == "notebooks"
    assert scope("notebooks/13_draw_a_digit.ipynb::Cell 0") == "notebooks"
    assert scope("notebooks/zh/13_draw_a_digit.ipynb::Cell 0") == "notebooks/zh"


@pytest.mark.parametrize("args", [("tests",), ("notebooks", "tests/fast"), ()])
def test_any_other_run_keeps_xdists_scheduling(args):
    assert root_conftest.pytest_xdist_make_scheduler(_config(*args), None) is None
