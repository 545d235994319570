"""Keep the Chinese edition (`notebooks/zh/`) in step with the English notebooks.

Every zh notebook has the English notebook's cells in the same order. Its code cells are the
English code cells character for character, except for one rule (`zh_code`): a path to a file
that the two editions share and that lives next to the English notebooks (`solutions/`,
`mnist_from_scratch.py`), where it starts a string literal or follows `%load`, gets a `../` in front, because the zh notebooks run one folder down.
Its markdown cells are translations, and each records in its metadata the sha256 of the English
cell it translates (`metadata.zh.source_sha256`). `tests/notebooks/test_zh_in_step.py` fails as
soon as an English markdown cell changes (or a cell is added, removed or moved) and its zh cell
was not updated, and when a code cell differs beyond the rule.

    python tools/zh_sync.py status                 # every notebook: missing, stale, ok
    python tools/zh_sync.py export 05 > todo.json  # the English markdown cells to (re)translate
    python tools/zh_sync.py apply 05 done.json     # write notebooks/zh/05_*.ipynb from the
                                                   # English notebook and the translations
    python tools/zh_sync.py fix-anchors            # section links -> the zh headings
    python tools/zh_sync.py mark 05 ID ...         # a zh cell checked against the changed English

`todo.json` / `done.json` map a cell id to its English / Chinese markdown. `apply` keeps every
zh cell that is still in step, takes the others from the file, copies the code cells (with the
rule) and clears their outputs; run the zh notebook afterwards (`tools/run_notebooks.py --zh`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
ZH = NOTEBOOKS / "zh"
SHARED = ("solutions/", "mnist_from_scratch.py")       # files both editions use, in notebooks/
# only a path that starts a string literal or follows %load: "solutions/...", '%load solutions/'
_SHARED = re.compile(r"(?:(?<=[\"'])|(?<=%load ))(" + "|".join(re.escape(s) for s in SHARED) + ")")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def zh_code(source: str) -> str:
    """The zh notebook's version of an English code cell: shared paths one folder up."""
    return _SHARED.sub(r"../\1", source)


def english(prefix: str) -> Path:
    hits = sorted(NOTEBOOKS.glob(f"{prefix}*.ipynb"))
    if len(hits) != 1:
        raise SystemExit(f"zh_sync: no single English notebook starts with {prefix!r}: {hits}")
    return hits[0]


def in_step(en_cell, zh_cell) -> bool:
    """True if the zh cell is the current counterpart of the English cell."""
    if zh_cell is None or en_cell.cell_type != zh_cell.cell_type:
        return False
    if en_cell.cell_type == "code":
        return zh_cell.source == zh_code(en_cell.source)
    return zh_cell.get("metadata", {}).get("zh", {}).get("source_sha256") == sha(en_cell.source)


def stale_cells(en_path: Path) -> list[str]:
    """Ids of the English cells whose zh counterpart is missing or out of date."""
    zh_path = ZH / en_path.name
    en = nbformat.read(en_path, as_version=4)
    if not zh_path.exists():
        return [c.id for c in en.cells]
    zh = nbformat.read(zh_path, as_version=4)
    out = []
    for i, c in enumerate(en.cells):
        other = zh.cells[i] if i < len(zh.cells) else None
        if not in_step(c, other) or (other is not None and other.get("id") != c.get("id")):
            out.append(c.id)
    if len(zh.cells) > len(en.cells):
        out += [c.id for c in zh.cells[len(en.cells):]]
    return out


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def anchor(title: str) -> str:
    """The anchor JupyterLab gives a heading: its text, markup dropped, spaces as dashes."""
    text = re.sub(r"[`*_]|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", title).strip()
    return text.replace(" ", "-")


def headings(nb) -> dict[str, tuple]:
    """anchor -> (cell id, position of the heading in its cell)."""
    out = {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for k, m in enumerate(HEADING.finditer(cell.source)):
                out.setdefault(anchor(m.group(1)), (cell.get("id"), k))
    return out


def fix_anchors() -> int:
    """Point `NN_x.ipynb#English-heading` links in zh notebooks at the zh heading of that section."""
    changed = 0
    zh_heads, en_heads = {}, {}
    for p in sorted(ZH.glob("[0-9][0-9]_*.ipynb")):
        zh_nb = nbformat.read(p, as_version=4)
        by_place = {v: k for k, v in headings(zh_nb).items()}
        zh_heads[p.name] = by_place
        en_heads[p.name] = headings(nbformat.read(NOTEBOOKS / p.name, as_version=4))
    link = re.compile(r"\]\(((?:[0-9][0-9]_[\w-]+\.ipynb)?)#([^)\s]+)\)")
    for p in sorted(ZH.glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(p, as_version=4)

        def swap(m, here=p.name):
            target = m.group(1) or here
            place = en_heads.get(target, {}).get(m.group(2))
            new = zh_heads.get(target, {}).get(place) if place else None
            return f"]({m.group(1)}#{new})" if new else m.group(0)

        dirty = False
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                src = link.sub(swap, cell.source)
                if src != cell.source:
                    cell.source, dirty = src, True
        if dirty:
            nbformat.write(nb, p)
            changed += 1
    return changed


def apply(en_path: Path, translations: dict[str, str]) -> Path:
    en = nbformat.read(en_path, as_version=4)
    zh_path = ZH / en_path.name
    old = {}
    if zh_path.exists():
        old = {c.get("id"): c for c in nbformat.read(zh_path, as_version=4).cells}
    cells, missing = [], []
    for c in en.cells:
        if c.cell_type == "code":
            prev = old.get(c.id)
            new = nbformat.v4.new_code_cell(zh_code(c.source), metadata=dict(c.metadata))
            if prev is not None and prev.source == new.source:
                new.outputs, new.execution_count = prev.outputs, prev.execution_count
        elif c.id in translations:
            new = nbformat.v4.new_markdown_cell(translations[c.id])
            new.metadata = {**c.metadata, "zh": {"source_sha256": sha(c.source)}}
        elif c.id in old and in_step(c, old[c.id]):
            new = old[c.id]
        else:
            missing.append(c.id)
            continue
        new.id = c.id
        cells.append(new)
    if missing:
        raise SystemExit(f"zh_sync: {en_path.name}: no translation for cells {missing}")
    nb = nbformat.v4.new_notebook(cells=cells, metadata=dict(en.metadata))
    nb.nbformat_minor = en.nbformat_minor
    ZH.mkdir(exist_ok=True)
    nbformat.write(nb, zh_path)
    return zh_path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("status")
    sub.add_parser("fix-anchors", help="point section links of zh notebooks at zh headings")
    mark = sub.add_parser("mark", help="record that zh cells translate the current English cells "
                                       "(after checking the translation by hand)")
    mark.add_argument("prefix")
    mark.add_argument("ids", nargs="+")
    ex = sub.add_parser("export")
    ex.add_argument("prefix")
    ex.add_argument("--all", action="store_true", help="every markdown cell, not only stale ones")
    ap_apply = sub.add_parser("apply")
    ap_apply.add_argument("prefix")
    ap_apply.add_argument("json")
    args = ap.parse_args(argv)
    if args.cmd == "status":
        bad = 0
        for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
            stale = stale_cells(p)
            bad += bool(stale)
            print(f"{p.name:45s} {'ok' if not stale else f'{len(stale)} cells to update'}")
        return 1 if bad else 0
    if args.cmd == "fix-anchors":
        print(f"{fix_anchors()} zh notebooks changed")
        return 0
    en_path = english(args.prefix)
    if args.cmd == "mark":
        en = {c.get("id"): c for c in nbformat.read(en_path, as_version=4).cells}
        zh_path = ZH / en_path.name
        zh = nbformat.read(zh_path, as_version=4)
        for cell in zh.cells:
            if cell.get("id") in args.ids and cell.cell_type == "markdown":
                cell.metadata.setdefault("zh", {})["source_sha256"] = sha(en[cell.id].source)
        nbformat.write(zh, zh_path)
        return 0
    if args.cmd == "export":
        en = nbformat.read(en_path, as_version=4)
        zh_path = ZH / en_path.name
        done = {c.get("id"): c for c in nbformat.read(zh_path, as_version=4).cells} \
            if zh_path.exists() else {}
        todo = {c.id: c.source for c in en.cells if c.cell_type == "markdown"
                and (args.all or not (c.id in done and in_step(c, done[c.id])))}
        json.dump(todo, sys.stdout, ensure_ascii=False, indent=1)
        return 0
    translations = json.loads(Path(args.json).read_text(encoding="utf-8"))
    print(apply(en_path, translations))
    return 0


if __name__ == "__main__":
    sys.exit(main())
