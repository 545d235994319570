"""Load an exercise solution file (`notebooks/solutions/NN_exK.py`) as a module, for the tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"


def load(name: str):
    """Import `notebooks/solutions/<name>.py` (e.g. "07_ex2") and return the module."""
    spec = importlib.util.spec_from_file_location(name, SOLUTIONS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
