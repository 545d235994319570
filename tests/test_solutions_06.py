"""The solutions of notebook 06's exercises agree with nnlib (the self-check cells' logic)."""

from __future__ import annotations

import numpy as np
import pytest
from solutions import load

import nnlib as nl


def test_ex1_dense_forward_matches_linear_and_checks_shapes():
    dense_forward = load("06_ex1").dense_forward
    rng = nl.make_rng(1)
    X = rng.normal(size=(5, 3))
    lin = nl.Linear(3, 4, rng=rng)
    lin.b.data[...] = rng.normal(size=4)
    np.testing.assert_allclose(dense_forward(X, lin.W.data, lin.b.data), lin(X), atol=1e-12)
    for bad in [(X, lin.W.data.T, lin.b.data), (X, lin.W.data, np.ones(3)), (X[0], lin.W.data, lin.b.data)]:
        with pytest.raises(ValueError):
            dense_forward(*bad)


@pytest.mark.parametrize("act,fn", [("tanh", np.tanh), ("relu", lambda z: np.maximum(z, 0))])
def test_ex2_mlp_forward_matches_sequential(act, fn):
    mlp_forward = load("06_ex2").mlp_forward
    net = nl.mlp([2, 5, 4, 3], act=act, rng=2)
    for layer in net.layers:
        if isinstance(layer, nl.Linear):
            layer.b.data[...] = 0.1
    params = [(layer.W.data, layer.b.data) for layer in net.layers if isinstance(layer, nl.Linear)]
    X = nl.make_rng(3).normal(size=(6, 2))
    np.testing.assert_allclose(mlp_forward(X, params, act=fn), net(X), atol=1e-12)
