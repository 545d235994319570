"""The solution files of notebook 02 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import numpy as np
from solutions import load

import nnlib as nl


def slope_of(layer, z):
    """dL/dz of L = sum(layer(z)): nnlib's own backward pass, which is f'(z) element-wise."""
    layer.forward(z)
    return layer.backward(np.ones_like(z))


def test_ex1_derivatives_match_nnlib_layers_and_finite_differences():
    sol = load("02_ex1")
    z = nl.make_rng(0).normal(size=(4, 5)) * 3
    z[np.abs(z) < 1e-3] = 0.5                                   # keep away from ReLU's kink
    np.testing.assert_allclose(sol.relu_derivative(z), slope_of(nl.ReLU(), z))
    np.testing.assert_allclose(sol.tanh_derivative(z), slope_of(nl.Tanh(), z), rtol=1e-12)
    x = z.copy()
    num = nl.numerical_gradient(lambda: np.tanh(x).sum(), x)
    assert nl.rel_error(sol.tanh_derivative(z), num) < 1e-7
    assert sol.relu_derivative(np.array([0.0]))[0] == 0.0


def test_ex2_softmax_matches_nnlib_and_is_stable():
    softmax = load("02_ex2").softmax
    z = nl.make_rng(1).normal(size=(6, 4))
    np.testing.assert_allclose(softmax(z), nl.softmax(z), rtol=1e-12)
    big = np.array([1000.0, 1001.0, 1002.0])
    p = softmax(big)
    assert np.all(np.isfinite(p)) and np.isclose(p.sum(), 1.0)
    np.testing.assert_allclose(p, nl.softmax(big))
