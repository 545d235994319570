"""The solution files of notebook 09 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import numpy as np
from solutions import load

import nnlib as nl


def test_ex1_make_features_matches_nnlib():
    make_features = load("09_ex1").make_features
    X = nl.make_rng(1).normal(size=(6, 2))
    for names in (["x1", "x2"], ["x1^2", "x2^2"], ["sin(x2)", "x1*x2", "x1"], list(nl.viz.FEATURES)):
        got = make_features(X, names)
        assert got.shape == (6, len(names))
        np.testing.assert_allclose(got, nl.viz.make_features(X, names))


def test_ex2_l1_gradient_matches_engine_and_finite_differences():
    l1_penalty_grad = load("09_ex2").l1_penalty_grad
    W = nl.make_rng(2).normal(size=(3, 4))
    W[0, 0] = 0.0
    engine = nl.viz.PlaygroundModel(regularization="L1", reg_rate=0.03)
    np.testing.assert_allclose(l1_penalty_grad(W, 0.03), engine.penalty_grad(W))
    V = W.copy()
    V[0, 0] = 0.5                                   # away from the kink at 0
    numeric = nl.numerical_gradient(lambda: 0.03 * np.abs(V).sum(), V)
    np.testing.assert_allclose(l1_penalty_grad(V, 0.03), numeric, atol=1e-8)
