"""Structure of every lesson notebook (`notebooks/NN_*.ipynb`), as described in CONTRIBUTING.md.

Checks the parts a learner relies on -- title, setup cell, the closing sections, exercise stubs
with solution files -- and that the committed outputs come from a clean top-to-bottom run
(`python tools/run_notebooks.py`): sequential execution counts, no saved widget state, at least
one figure. Reads the .ipynb files as JSON; nothing is executed here (nbval does that).

Exercise convention: a stub is a code cell tagged `raises-exception` whose first line is
`# Exercise K ...` and which contains `raise NotImplementedError`; its solution is
`notebooks/solutions/NN_exK.py`, its wrong solutions `notebooks/solutions/wrong/NN_exK.py`; the next
code cell is a self-check (`nl.selfcheck`, which prints "not done yet" for the stub). Whether the
self-checks really accept the solutions and reject the wrong ones is `tests/test_exercises.py`.
Every question under `## Questions` has a `<details><summary>Answer</summary>` block.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
SOLUTIONS = NB_DIR / "solutions"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
SETUP_CHECK = "00_setup_check.ipynb"
SECTIONS = ["## Recap", "## Exercises", "## Questions", "## Further reading"]
EXERCISE = re.compile(r"^#\s*Exercise\s+(\d+)\b")
FORBIDDEN = {
    "star import from nnlib": re.compile(r"^\s*from\s+nnlib(\.\w+)*\s+import\s+\*", re.M),
    "sys.path edit": re.compile(r"\bsys\.path\b"),
    "%matplotlib notebook (nbagg, broken in JupyterLab)": re.compile(
        r"%matplotlib\s+(notebook|nbagg)"
    ),  # fmt: skip
    "global numpy seed (use nl.make_rng)": re.compile(r"\bnp\.random\.seed\("),
}


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def prefix(path: Path) -> str:
    return path.name[:2]


def code_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["cell_type"] == "code"]


def is_stub(cell: dict) -> bool:
    return cell["cell_type"] == "code" and "raises-exception" in cell.get("metadata", {}).get(
        "tags", []
    )


params = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])


def test_setup_check_notebook_exists():
    assert (NB_DIR / SETUP_CHECK).is_file(), "notebooks/00_setup_check.ipynb is missing"


def test_notebook_numbers_are_contiguous():
    numbers = sorted({int(prefix(p)) for p in NOTEBOOKS})
    assert numbers == list(range(len(numbers))), f"lesson numbers have a gap: {numbers}"


def test_notebook_numbers_are_unique():
    numbers = [prefix(p) for p in NOTEBOOKS]
    dupes = sorted({n for n in numbers if numbers.count(n) > 1})
    assert not dupes, f"two notebooks share a number: {dupes}"


@params
def test_file_name(path):
    assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", path.name), (
        f"{path.name}: expected NN_snake_case.ipynb"
    )


@params
def test_title_cell(path):
    first = load(path)["cells"][0]
    assert first["cell_type"] == "markdown", f"{path.name}: first cell must be markdown"
    title = source(first).lstrip().splitlines()[0] if source(first).strip() else ""
    assert re.match(rf"#\s+{prefix(path)}\s+·\s+\S", title), (
        f"{path.name}: first line must be '# {prefix(path)} · Title', found {title!r}"
    )


@params
def test_setup_cell(path):
    cells = load(path)["cells"][:4]   # title, nav, (contents,) setup
    needed = ["import nnlib as nl", "NNLIB_FAST"]
    if path.name != SETUP_CHECK:
        needed.append("SEED =")
    ok = [c for c in cells if c["cell_type"] == "code" and all(n in source(c) for n in needed)]
    assert ok, f"{path.name}: none of the first 4 cells is a setup code cell containing {needed}"


@params
def test_closing_sections_in_order(path):
    nb = load(path)
    headings = [
        line.strip()
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for line in source(c).splitlines()
        if line.startswith("## ")
    ]
    wanted = ["## Further reading"] if path.name == SETUP_CHECK else SECTIONS
    positions = []
    for section in wanted:
        hits = [i for i, h in enumerate(headings) if h == section or h.startswith(section + " ")]
        assert hits, f"{path.name}: missing markdown heading {section!r}"
        positions.append(hits[0])
    assert positions == sorted(positions), f"{path.name}: sections must come in order {wanted}"


@params
def test_exercise_stubs_have_solutions_and_self_checks(path):
    nb = load(path)
    cells = nb["cells"]
    seen = []
    for i, cell in enumerate(cells):
        if not is_stub(cell):
            continue
        src = source(cell)
        first = src.lstrip().splitlines()[0] if src.strip() else ""
        m = EXERCISE.match(first)
        assert m, f"{path.name} cell {i}: a raises-exception stub must start with '# Exercise K'"
        k = m.group(1)
        later_code = [c for c in cells[i + 1 :] if c["cell_type"] == "code"]
        placeholder = "= None" in src and later_code and "is None" in source(later_code[0]) \
            and "NOT_DONE" in source(later_code[0])
        assert "raise NotImplementedError" in src or placeholder, (
            f"{path.name}: Exercise {k} stub must `raise NotImplementedError`, or leave a value at None "
            "that its self-check reports as not done yet"
        )
        solution = SOLUTIONS / f"{prefix(path)}_ex{k}.py"
        assert solution.is_file(), f"{path.name}: Exercise {k} has no solution file {solution}"
        later = [c for c in cells[i + 1 :] if c["cell_type"] == "code"]
        check = source(later[0]) if later else ""
        assert "NotImplementedError" in check or "selfcheck." in check, (
            f"{path.name}: the code cell after Exercise {k} must be a self-check (nl.selfcheck, "
            "or code that catches NotImplementedError and prints 'not done yet')"
        )
        seen.append(k)
    assert len(seen) == len(set(seen)), f"{path.name}: exercise numbers repeat: {seen}"
    orphans = sorted(
        p.name
        for p in SOLUTIONS.glob(f"{prefix(path)}_ex*.py")
        if p.stem.split("_ex")[-1] not in seen
    )
    assert not orphans, f"{path.name}: solution files without a stub: {orphans}"


def test_solution_files_belong_to_a_notebook():
    numbers = {prefix(p) for p in NOTEBOOKS}
    for sol in sorted(SOLUTIONS.glob("*.py")):
        m = re.fullmatch(r"(\d\d)_ex(\d+)\.py", sol.name)
        assert m, f"{sol.name}: solution files are named NN_exK.py"
        assert m.group(1) in numbers, f"{sol.name}: no notebook {m.group(1)}_*.ipynb"


@params
def test_no_widget_state_and_python3_kernel(path):
    meta = load(path)["metadata"]
    assert "widgets" not in meta, (
        f"{path.name}: saved widget state in metadata; re-run `python tools/run_notebooks.py`"
    )
    assert meta.get("kernelspec", {}).get("name") == "python3", (
        f"{path.name}: kernel must be python3"
    )
    views = [
        i
        for i, c in enumerate(load(path)["cells"])
        if c["cell_type"] == "code"
        for out in c.get("outputs", [])
        if "application/vnd.jupyter.widget-view+json" in out.get("data", {})
    ]
    assert not views, (
        f"{path.name}: cells {views} keep widget outputs that cannot render without a kernel; "
        "re-run `python tools/run_notebooks.py`"
    )


MACHINE_PATH = re.compile(r"(?<![\w.~])/(?:work|home|root|tmp|Users)/[^\s'\"),]*")


def output_texts(cell: dict) -> list[str]:
    """Every text a saved output shows: streams, text/* and JSON data, tracebacks."""
    texts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            texts.append(source({"source": out["text"]}))
        for mime, data in out.get("data", {}).items():
            if mime.startswith("text/") or mime.endswith("json"):
                texts.append(data if isinstance(data, str) else json.dumps(data))
        texts.append("\n".join(out.get("traceback", [])))
    return texts


@params
def test_no_machine_paths_in_outputs(path):
    """A saved output never shows where the notebook ran (/work/..., /home/user/..., /tmp/...)."""
    found = [
        (i, m.group())
        for i, c in enumerate(load(path)["cells"])
        if c["cell_type"] == "code"
        for text in output_texts(c)
        for m in MACHINE_PATH.finditer(text)
    ]
    assert not found, (
        f"{path.name}: outputs show machine paths {found[:5]}; print a folder's name or "
        "nl.setup_check.where(path) instead, then re-run the notebook"
    )


@params
def test_clean_sequential_execution(path):
    counts = [c.get("execution_count") for c in code_cells(load(path)) if source(c).strip()]
    assert counts == list(range(1, len(counts) + 1)), (
        f"{path.name}: execution counts {counts} are not 1, 2, 3, ...; commit outputs from a "
        "clean run: `python tools/run_notebooks.py notebooks/" + path.name + "`"
    )


@params
def test_forbidden_patterns(path):
    for cell in code_cells(load(path)):
        src = source(cell)
        for what, pattern in FORBIDDEN.items():
            assert not pattern.search(src), f"{path.name}: {what} in cell:\n{src[:300]}"


LESSONS = [p for p in NOTEBOOKS if p.name != SETUP_CHECK]   # 00 draws no figure and has no exercises


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_has_a_figure(path):
    images = [
        out
        for c in code_cells(load(path))
        for out in c.get("outputs", [])
        if any(k.startswith("image/") for k in out.get("data", {}))
    ]
    assert images, f"{path.name}: no image output committed; run tools/run_notebooks.py"


@params
def test_listed_in_readme(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"notebooks/{path.name}" in readme, (
        f"{path.name}: not linked from the README lesson table (expected notebooks/{path.name})"
    )


def section_text(nb: dict, heading: str) -> str:
    """The markdown of the cells from `heading` up to the next `## ` heading."""
    out, inside = [], False
    for cell in nb["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown":
            for line in text.splitlines():
                if line.startswith("## "):
                    inside = line.strip().startswith(heading)
                if inside:
                    out.append(line)
    return "\n".join(out)


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_every_question_has_an_answer(path):
    text = section_text(load(path), "## Questions")
    items = re.split(r"^\s*\d+\.\s", text, flags=re.M)[1:]
    assert items, f"{path.name}: no numbered questions under ## Questions"
    missing = [n for n, item in enumerate(items, 1)
               if not re.search(r"<details>\s*<summary>\s*Answer\s*</summary>", item)]
    assert not missing, (f"{path.name}: questions {missing} have no "
                         "<details><summary>Answer</summary>...</details> block")


@pytest.mark.parametrize("path", LESSONS, ids=[p.name for p in LESSONS])
def test_exercises_point_at_their_solutions(path):
    text = section_text(load(path), "## Exercises")
    assert re.search(r"Solutions?:", text) and "%load solutions/" in text, (
        f"{path.name}: the Exercises section needs a 'Solutions: `%load solutions/NN_exK.py`' line"
    )


def test_wrong_solution_files_belong_to_an_exercise():
    for wrong in sorted((SOLUTIONS / "wrong").glob("*.py")):
        assert (SOLUTIONS / wrong.name).is_file(), (
            f"solutions/wrong/{wrong.name}: no solution solutions/{wrong.name} for that exercise"
        )
