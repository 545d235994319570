"""The solution files of notebook 07 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import numpy as np
from solutions import load

import nnlib as nl


def test_ex1_sigmoid_backward_matches_nnlib():
    rng = nl.make_rng(0)
    z, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    layer = nl.Sigmoid()
    a = layer.forward(z)
    dout_before = dout.copy()
    got = load("07_ex1").sigmoid_backward(dout, a)
    assert np.array_equal(dout, dout_before)                  # dout not mutated
    assert nl.rel_error(got, layer.backward(dout)) < 1e-12


def test_ex2_bce_backward_matches_nnlib():
    rng = nl.make_rng(1)
    z = rng.standard_normal((6, 1))
    y = (rng.random((6, 1)) > 0.5).astype(float)
    loss = nl.BinaryCrossEntropy()
    loss(z, y)
    assert nl.rel_error(load("07_ex2").bce_backward(z, y), loss.backward()) < 1e-12


def test_ex3_two_layer_backward_matches_sequential():
    rng = nl.make_rng(2)
    net = nl.Sequential(nl.Linear(3, 4, rng=rng), nl.ReLU(), nl.Linear(4, 2, rng=rng))
    for p in net.parameters():
        p.data[...] = rng.standard_normal(p.data.shape)
    x, dout = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    net.zero_grad()
    net.forward(x)
    net.backward(dout)
    W1, b1, W2, b2 = (p.data for p in net.parameters())
    got = load("07_ex3").two_layer_backward(x, W1, b1, W2, b2, dout)
    for g, p in zip(got, net.parameters()):
        assert nl.rel_error(g, p.grad) < 1e-12
