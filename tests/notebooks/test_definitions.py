"""Define before use: the first time a notebook's prose uses a symbol or term, it is defined there.

For each symbol below, the first markdown cell of a notebook that uses it must contain -- or come
after a cell that contains -- a definition box: a blockquote line that names the symbol and starts
`> **Maths:` / `> **Term:` or links to the maths notebook (`03_the_maths_you_need.ipynb`), or any
line that names the symbol beside such a link. The maths notebook itself must define each one in
a numbered section.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NB_DIR = ROOT / "notebooks"
MATHS = "03_the_maths_you_need.ipynb"
NOTEBOOKS = [p for p in sorted(NB_DIR.glob("[0-9][0-9]_*.ipynb")) if p.name != MATHS]
# name -> pattern matching the symbol in prose or LaTeX
SYMBOLS = {
    "‖w‖ (length)": r"‖|\\\||\\lVert|\\Vert",
    "∂ (partial derivative)": r"∂|\\partial",
    "∇ (gradient)": r"∇|\\nabla",
    "⊙ (element-wise product)": r"⊙|\\odot",
    "δ (error of a layer)": r"δ|\\delta",
    "Var (variance)": r"\bVar\b",
    "logistic regression": r"[Ll]ogistic regression",
    "overfitting": r"\b[Oo]verfit",
}
BOX = re.compile(r"^>\s*\*\*(Maths|Term)\b|03_the_maths_you_need\.ipynb", re.M)


def markdown(path: Path) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
            for c in nb["cells"] if c["cell_type"] == "markdown"]


def defines(text: str, pattern: str) -> bool:
    for line in text.splitlines():
        if re.search(pattern, line) and (BOX.search(line) or (line.startswith(">") and
                                                              "**" in line)):
            return True
    return False


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name[:2] for p in NOTEBOOKS])
def test_symbols_defined_before_use(path):
    problems = []
    cells = markdown(path)
    for name, pattern in SYMBOLS.items():
        first = next((i for i, t in enumerate(cells) if re.search(pattern, t)), None)
        if first is None:
            continue
        if not any(defines(t, pattern) for t in cells[: first + 1]):
            snippet = re.search(rf".{{0,40}}(?:{pattern}).{{0,40}}", cells[first].replace("\n", " "))
            problems.append(f"{name}: first used in markdown cell {first} "
                            f"('{snippet.group(0) if snippet else ''}') without a definition box "
                            f"or a link to {MATHS}")
    assert not problems, f"{path.name}:\n" + "\n".join(problems)


def test_maths_notebook_defines_every_symbol():
    path = NB_DIR / MATHS
    assert path.is_file(), f"notebooks/{MATHS} is missing"
    text = "\n".join(markdown(path))
    missing = [name for name, pattern in SYMBOLS.items()
               if name not in ("logistic regression", "overfitting") and not re.search(pattern, text)]
    assert not missing, f"{MATHS} never explains: {missing}"
