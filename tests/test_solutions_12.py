"""The solutions of notebook 12's exercises agree with `nl.confusion_matrix` and
`nl.top_confident_mistakes` (and so pass the notebook's self-checks)."""

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


def _probs(n=300, k=10, seed=0):
    rng = nl.make_rng(seed)
    return nl.softmax(rng.normal(scale=3.0, size=(n, k))), rng.integers(0, k, size=n)


def test_ex1_confusion_matrix_matches_nnlib_and_the_toy_case():
    cm = load_solution("12_ex1.py")["confusion_matrix"]
    probs, y = _probs()
    pred = probs.argmax(axis=1)
    assert np.array_equal(cm(y, pred, 10), nl.confusion_matrix(y, pred, 10))
    toy = cm(np.array([0, 0, 1, 2, 2]), np.array([0, 1, 1, 2, 0]), 3)
    assert np.array_equal(toy, [[1, 1, 0], [0, 1, 0], [1, 0, 1]])
    assert cm(y, pred, 10).sum() == len(y)


def test_ex2_top_confident_mistakes_matches_nnlib():
    top = load_solution("12_ex2.py")["top_confident_mistakes"]
    probs, y = _probs(seed=1)
    got, want = np.asarray(top(probs, y, 10)), nl.top_confident_mistakes(probs, y, 10)
    assert np.array_equal(got, want)
    pred = probs.argmax(axis=1)
    assert np.all(pred[got] != y[got])
    conf = probs[got, pred[got]]
    assert np.all(np.diff(conf) <= 0)                        # most confident first
