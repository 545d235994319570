"""nl.setup_check (notebook 00): its report names the right lesson and shows no machine paths."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nnlib.course import setup_check

ROOT = Path(__file__).resolve().parents[2]
MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|home|root|tmp|Users)/")


@pytest.mark.parametrize("path, shown", [
    ("~", "~"), ("~/nnlib/nnlib", "~/nnlib/nnlib"), ("/work/main/nnlib", ".../main/nnlib"),
    ("/srv/data/mnist", ".../data/mnist"), ("/opt", ".../opt"),
])
def test_where_hides_the_machine(path, shown):
    assert setup_check.where(path) == shown


def test_report_shows_no_machine_paths(capsys, tmp_path, monkeypatch):
    for data_dir in (tmp_path, tmp_path / "missing"):          # found and not found
        monkeypatch.setenv("NNLIB_DATA_DIR", str(data_dir))
        setup_check.report()
    out = capsys.readouterr().out
    assert "[OK]   nnlib" in out and "$NNLIB_DATA_DIR (" in out
    assert not MACHINE_PATH.search(out), out
    assert str(tmp_path) not in out and str(Path(setup_check.__file__).parent) not in out


def test_full_mnist_info_names_the_lesson_that_first_loads_it():
    """The [INFO] line and notebook 00 name lesson 12: the first notebook that calls
    nl.load_mnist() for the full set (every earlier one uses subset="small")."""
    first = None
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        calls = re.findall(r"load_mnist\(([^)]*)\)", code)
        if any('subset="small"' not in args for args in calls):
            first = path.name[:2]
            break
    assert first == "12"
    assert setup_check.FULL_MNIST_LESSON.startswith(f"lesson {first} ")
    nb00 = json.loads((ROOT / "notebooks" / "00_setup_check.ipynb").read_text(encoding="utf-8"))
    text = "\n".join("".join(c["source"]) for c in nb00["cells"] if c["cell_type"] == "markdown")
    said = re.findall(r"lesson (\d\d) downloads", text)
    assert said and set(said) == {first}
