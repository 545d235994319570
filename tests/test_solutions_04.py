"""The solutions of notebook 04's exercises pass the notebook's self-checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np

import nnlib as nl

SOLUTIONS = Path(__file__).resolve().parents[1] / "notebooks" / "solutions"


def load_solution(name: str) -> dict:
    """Run a solution file the way `%load` + running the cell would: NumPy as np in scope."""
    namespace = {"np": np, "nl": nl}
    exec(compile((SOLUTIONS / name).read_text(encoding="utf-8"), name, "exec"), namespace)
    return namespace


def test_ex1_mse_matches_nnlib():
    mse = load_solution("04_ex1.py")["mse"]
    rng = nl.make_rng(1)
    for shape in [(4,), (5, 3)]:
        pred, y = rng.normal(size=shape), rng.normal(size=shape)
        ref = nl.MSELoss()
        want = ref(pred, y)
        loss, dpred = mse(pred, y)
        assert np.isclose(loss, want)
        assert np.allclose(dpred, ref.backward())


def test_ex2_gd_step_matches_descent_path():
    gd_step = load_solution("04_ex2.py")["gd_step"]
    x, y = nl.toys.DESCENT_X, nl.toys.DESCENT_Y
    w, b = -1.0, 5.0
    path = nl.toys.descent_path(w, b, 0.1, steps=5, x=x, y=y)
    for k in range(1, 6):
        w, b = gd_step(w, b, x, y, 0.1)
        assert np.allclose([w, b], [path["w"][k], path["b"][k]])
