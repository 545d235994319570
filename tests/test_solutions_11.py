"""The solutions of notebook 11's exercises agree with nnlib's optimizers step by step."""

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


def _grads(rng, shape, steps):
    return [rng.normal(size=shape) for _ in range(steps)]


def test_ex1_matches_nl_sgd_with_momentum_and_weight_decay():
    update = load_solution("11_ex1.py")["momentum_wd_update"]
    rng = nl.make_rng(3)
    w0 = rng.normal(size=(3, 2))
    p = nl.Parameter(w0.copy())
    opt = nl.SGD([p], lr=0.05, momentum=0.9, weight_decay=0.01)
    w, v = w0.copy(), np.zeros_like(w0)
    for g in _grads(rng, w0.shape, 5):
        p.grad[...] = g
        opt.step()
        w, v = update(w, v, g, 0.05, 0.9, 0.01)
        assert np.allclose(w, p.data)


def test_ex2_matches_nl_adam_with_weight_decay():
    update = load_solution("11_ex2.py")["adam_wd_update"]
    rng = nl.make_rng(4)
    w0 = rng.normal(size=(4,))
    for wd in (0.0, 0.1):
        p = nl.Parameter(w0.copy())
        opt = nl.Adam([p], lr=0.01, betas=(0.8, 0.99), weight_decay=wd)
        w, m, v = w0.copy(), np.zeros_like(w0), np.zeros_like(w0)
        for t, g in enumerate(_grads(rng, w0.shape, 5), start=1):
            p.grad[...] = g
            opt.step()
            w, m, v = update(w, m, v, g, t, 0.01, 0.8, 0.99, 1e-8, wd)
            assert np.allclose(w, p.data)
