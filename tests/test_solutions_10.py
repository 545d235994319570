"""The solution files of notebook 10 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import numpy as np
from solutions import load

import nnlib as nl


def test_ex1_dead_fraction_matches_nnlib():
    dead_fraction = load("10_ex1").dead_fraction
    X, y = nl.make_moons(100, rng=0)
    model = nl.mlp([2] + [16] * 4 + [2], "relu", init=1.0, rng=0)
    acts = nl.probes.layer_stats(model, X, y, nl.SoftmaxCrossEntropy())["act"]
    np.testing.assert_allclose(dead_fraction(acts), nl.probes.dead_fraction(acts))
    toy = [np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 2.0]]), np.zeros((4, 2))]
    np.testing.assert_allclose(dead_fraction(toy), [1 / 3, 1.0])


def test_ex2_update_ratio_matches_nnlib():
    update_ratio = load("10_ex2").update_ratio
    X, y = nl.make_moons(100, rng=0)
    model = nl.mlp([2, 16, 16, 2], "relu", rng=0)
    s = nl.probes.layer_stats(model, X, y, nl.SoftmaxCrossEntropy(), lr=0.05)
    linears = [m for m in model.layers if isinstance(m, nl.Linear)]
    got = np.array([update_ratio(m.W.data, dW, 0.05) for m, dW in zip(linears, s["dW"])])
    np.testing.assert_allclose(got, s["ratio"])
    assert np.isclose(update_ratio(np.ones((2, 2)), np.ones((2, 2)), 0.1), 0.1)
