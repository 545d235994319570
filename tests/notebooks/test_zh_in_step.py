"""The Chinese edition (notebooks/zh/) cannot fall behind the English one without a test failing.

For every English notebook there is a zh notebook of the same name with the same cells in the
same order (same ids and types). A zh code cell is the English one character for character,
except for the one rule of `tools/zh_sync.py`: a path to a file both editions share
(`solutions/`, `mnist_from_scratch.py`) gets `../` in front. A zh markdown cell records the
sha256 of the English cell it translates; when the English cell changes, this test names the
cell to translate again. The zh notebooks use the glossary's terms and never the ones it lists
as "not to be used", and their links to other lessons point to zh notebooks.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"
GLOSSARY = ZH / "术语表.md"
ENGLISH = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))

_spec = importlib.util.spec_from_file_location("zh_sync", ROOT / "tools" / "zh_sync.py")
zh_sync = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(zh_sync)


def _pairs(path):
    en = nbformat.read(path, as_version=4)
    zh = nbformat.read(ZH / path.name, as_version=4)
    return en, zh


def _banned_terms() -> list[str]:
    banned = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and cells[2] and cells[0] not in ("English", "---"):
            banned += [t.strip() for t in re.split("[、,]", cells[2]) if t.strip()]
    return banned


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_every_lesson_has_a_zh_notebook_with_the_same_cells(path):
    assert (ZH / path.name).exists(), f"notebooks/zh/{path.name} is missing (tools/zh_sync.py)"
    en, zh = _pairs(path)
    assert [(c.get("id"), c.cell_type) for c in zh.cells] == \
        [(c.get("id"), c.cell_type) for c in en.cells], \
        f"{path.name}: cells added, removed or moved in one edition only"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_zh_code_cells_are_the_english_ones(path):
    en, zh = _pairs(path)
    differ = [c.get("id") for c, z in zip(en.cells, zh.cells)
              if c.cell_type == "code" and z.source != zh_sync.zh_code(c.source)]
    assert not differ, (f"{path.name}: zh code cells {differ} differ from the English ones beyond "
                        "the shared-path rule; run `python tools/zh_sync.py apply`")


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_zh_markdown_translates_the_current_english_cell(path):
    en, zh = _pairs(path)
    stale = [c.get("id") for c, z in zip(en.cells, zh.cells) if c.cell_type == "markdown"
             and z.get("metadata", {}).get("zh", {}).get("source_sha256") != zh_sync.sha(c.source)]
    assert not stale, (f"{path.name}: the English markdown cells {stale} changed since they were "
                       "translated; translate them again (`python tools/zh_sync.py export "
                       f"{path.name[:2]}`, then `apply`)")


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_zh_markdown_is_chinese_and_uses_the_glossary(path):
    _, zh = _pairs(path)
    banned = _banned_terms()
    assert len(banned) >= 10, "the glossary lists the terms not to be used"
    for cell in zh.cells:
        if cell.cell_type != "markdown":
            continue
        prose = re.sub(r"`[^`]*`|\$[^$]*\$|\([^)]*\)", "", cell.source)
        used = [t for t in banned if t in prose]
        assert not used, f"{path.name} cell {cell.get('id')}: use the glossary's term, not {used}"
    text = "".join(c.source for c in zh.cells if c.cell_type == "markdown")
    han = len(re.findall(r"[\u4e00-\u9fff]", text))
    assert han > 0.3 * len(re.sub(r"\s", "", re.sub(r"`[^`]*`|\$[^$]*\$|\(http[^)]*\)", "", text))), \
        f"{path.name}: the zh markdown is not mostly Chinese"


@pytest.mark.parametrize("path", ENGLISH, ids=lambda p: p.name)
def test_zh_links_point_to_zh_notebooks(path):
    _, zh = _pairs(path)
    for cell in zh.cells:
        if cell.cell_type != "markdown":
            continue
        for target, anchor in re.findall(r"\]\(([^)#\s]*)(?:#([^)\s]+))?\)", cell.source):
            if target.startswith(("http", "mailto:")):
                continue
            if target:
                assert (ZH / target).resolve().exists(), f"{path.name}: broken link {target}"
            assert not target.endswith(".ipynb") or "/" not in target, \
                f"{path.name}: a lesson link must point to the zh notebook, got {target}"
            if anchor and (not target or target.endswith(".ipynb")):
                heads = zh_sync.headings(nbformat.read(ZH / (target or path.name), as_version=4))
                assert anchor in heads, (f"{path.name}: the link {target}#{anchor} names no heading "
                                         "of the zh notebook (python tools/zh_sync.py fix-anchors)")


def test_the_rule_only_prefixes_shared_paths():
    assert zh_sync.zh_code('%load solutions/05_ex1.py') == '%load ../solutions/05_ex1.py'
    assert zh_sync.zh_code('"mnist_from_scratch.py"') == '"../mnist_from_scratch.py"'
    assert zh_sync.zh_code('x = "../solutions/a.py"') == 'x = "../solutions/a.py"'
    assert zh_sync.zh_code('nl.load("models/mnist_mlp.npz")') == 'nl.load("models/mnist_mlp.npz")'
