"""The solution files of notebook 01 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import numpy as np
from solutions import load

import nnlib as nl
from nnlib.layers import sigmoid


def test_ex1_neuron_matches_linear_plus_sigmoid():
    neuron = load("01_ex1").neuron
    rng = nl.make_rng(0)
    X, w, b = rng.normal(size=(20, 2)), rng.normal(size=2), 0.7
    np.testing.assert_allclose(neuron(X, w, b), sigmoid(X @ w + b), rtol=1e-12)
    assert np.isclose(neuron(np.array([0.5, -1.0]), np.array([0.8, -0.6]), 0.3), sigmoid(1.3))
    assert not np.allclose(neuron(X, w, b), sigmoid(X @ w))          # the bias matters


def test_ex2_count_correct_matches_nnlib():
    count_correct = load("01_ex2").count_correct
    X, y = nl.make_blobs(100, noise=0.8, rng=0)
    for w, b in [((1.0, 0.5), 0.2), ((-1.0, 2.0), -0.5), ((0.0, 0.0), 0.0), ((0.1, 0.0), -10.0)]:
        assert count_correct(X, y, np.array(w), b) == nl.count_correct(X, y, w, b)


def test_ex3_nor_weights_is_nor():
    w, b = load("01_ex3").nor_weights()
    X4 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    assert ((X4 @ np.array(w) + b) > 0).astype(int).tolist() == [1, 0, 0, 0]
