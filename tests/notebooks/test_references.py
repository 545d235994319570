"""Cross-references in the notebooks' prose point at things that exist.

"notebook NN" must name an existing notebook; "section N" (of this notebook, or of "notebook NN"
when the sentence names one) must be a numbered heading `## N.` there; a link to
`NN_name.ipynb#anchor` must name an existing file and a heading whose JupyterLab anchor
(its text with spaces as dashes) matches.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb"))
BY_NUMBER = {p.name[:2]: p for p in NOTEBOOKS}
NB_REF = re.compile(r"\b[Nn]otebooks?\s+(\d\d(?:(?:\s*[–,-]\s*|\s+and\s+|\s+or\s+)\d\d)*)\b")
SECTION_REF = re.compile(r"\b[Ss]ections?\s+(\d+)\b(?!\.\d)(?:\s+of\s+notebook\s+(\d\d))?")
OWNER_BEFORE = re.compile(r"\bnotebook\s+(\d\d)(?:'s|’s)\s+$")
LINK = re.compile(r"\]\((?!https?:)([^)\s#]*\.ipynb)?(#[^)\s]+)?\)")


def markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown"]


def plain(heading: str) -> str:
    return re.sub(r"[`*_]|\$", "", heading).strip()


def headings(path: Path) -> list[str]:
    return [plain(m.group(1)) for text in markdown(path)
            for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M)]


def section_numbers(path: Path) -> set[str]:
    return {m.group(1) for h in headings(path) for m in [re.match(r"(\d+)\s*[.·]", h)] if m}


def anchors(path: Path) -> set[str]:
    return {h.replace(" ", "-").lower() for h in headings(path)}


def without_code(text: str) -> str:
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    return re.sub(r"`[^`]*`", "", text)


params = pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])


@params
def test_notebook_references_exist(path):
    bad = []
    for text in markdown(path):
        for m in NB_REF.finditer(without_code(text)):
            bad += [f"'{m.group(0)}'" for n in re.findall(r"\d\d", m.group(1)) if n not in BY_NUMBER]
    assert not bad, f"{path.name} refers to notebooks that do not exist: {bad}"


@params
def test_section_references_exist(path):
    bad = []
    for text in markdown(path):
        text = without_code(text)
        for m in SECTION_REF.finditer(text):
            owner = m.group(2)
            if owner is None:
                before = OWNER_BEFORE.search(text[max(0, m.start() - 20):m.start()])
                owner = before.group(1) if before else path.name[:2]
            target = BY_NUMBER.get(owner)
            if target is None or m.group(1) not in section_numbers(target):
                bad.append(f"'{m.group(0)}' (no '## {m.group(1)}.' heading in notebook {owner})")
    assert not bad, f"{path.name}: {bad}"


@params
def test_links_to_notebooks_and_headings_exist(path):
    bad = []
    for text in markdown(path):
        for m in LINK.finditer(text):
            file, anchor = m.group(1), m.group(2)
            if file is None and anchor is None:
                continue
            target = (NB_DIR / file) if file else path
            if not target.is_file():
                bad.append(f"{file}: no such notebook")
            elif anchor and urllib.parse.unquote(anchor[1:]).lower() not in anchors(target):
                bad.append(f"{file or path.name}{anchor}: no heading with that anchor")
    assert not bad, f"{path.name}: {bad}"
