"""Generate the navigation cell (cell 2) of every notebook: previous / contents / next + Binder.

Titles come from each notebook's first line (``# NN · Title``), so renaming a lesson is one edit
followed by ``python tools/sync_nav.py``. The nav cell is a markdown cell that starts with
``<!-- nav -->``; it is inserted after the title cell if missing and rewritten otherwise.
Only the nav cell changes -- outputs and execution counts are left alone.

Usage::

    python tools/sync_nav.py           # rewrite nav cells in place
    python tools/sync_nav.py --check   # exit 1 if any nav cell is missing or out of date (CI)
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MARKER = "<!-- nav -->"
BINDER = "https://mybinder.org/v2/gh/nnlib/nnlib/main?urlpath=lab/tree/notebooks/{name}"
BADGE = "https://mybinder.org/badge_logo.svg"


def title_of(nb: nbformat.NotebookNode, path: Path) -> str:
    """'03 · Loss and gradient descent' from the title cell (falls back to the file name)."""
    first = nb.cells[0].source.lstrip().splitlines()[0] if nb.cells else ""
    m = re.match(r"#\s+(\d\d\s+·\s+.+)", first)
    return m.group(1).strip() if m else path.stem


def nav_text(path: Path, prev: tuple[Path, str] | None, nxt: tuple[Path, str] | None) -> str:
    """The markdown of one nav cell."""
    left = f"[← {prev[1]}]({prev[0].name})" if prev else ""
    right = f"[{nxt[1]} →]({nxt[0].name})" if nxt else ""
    binder = f"[![Binder]({BADGE})]({BINDER.format(name=path.name)})"
    links = " | ".join(x for x in (left, "[Contents](../README.md#lessons)", right) if x)
    return f"{MARKER}\n{links} {binder}"


def sync(check: bool) -> int:
    paths = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    nbs = [nbformat.read(p, as_version=4) for p in paths]
    titles = [(p, title_of(nb, p)) for p, nb in zip(paths, nbs)]
    stale = []
    for i, (path, nb) in enumerate(zip(paths, nbs)):
        want = nav_text(
            path, titles[i - 1] if i else None, titles[i + 1] if i + 1 < len(paths) else None
        )
        cells = nb.cells
        has_nav = (
            len(cells) > 1
            and cells[1].cell_type == "markdown"
            and cells[1].source.startswith(MARKER)
        )
        if has_nav and cells[1].source == want:
            continue
        stale.append(path.name)
        if check:
            continue
        if has_nav:
            cells[1].source = want
        else:
            cells.insert(1, nbformat.v4.new_markdown_cell(want))
        nbformat.write(nb, path)
    if check and stale:
        print("nav cells out of date (run `python tools/sync_nav.py`): " + ", ".join(stale))
        return 1
    print(f"{len(stale)} nav cell(s) {'to update' if check else 'updated'}, {len(paths)} notebooks")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report, exit 1 if stale")
    return sync(parser.parse_args(argv).check)


if __name__ == "__main__":
    sys.exit(main())
