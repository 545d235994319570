"""The solutions of notebook 15's exercises, outside the notebook: `port` and `torch_sgd_losses`.

`tools/check_exercises.py 15` runs them inside the notebook with its self-checks (and the wrong
solutions); these tests pin the two facts the exercises rest on, fast and without a kernel.
"""

from __future__ import annotations

import copy
from pathlib import Path

import numpy as np
import pytest

import nnlib as nl

torch = pytest.importorskip("torch")
nn = torch.nn

SOLUTIONS = Path(__file__).resolve().parents[2] / "notebooks" / "solutions"


def load(name: str) -> dict:
    """Run a solution file in the namespace the notebook gives it (nl, nn, torch, SEED)."""
    ns = {"nl": nl, "nn": nn, "torch": torch, "np": np, "SEED": 0}
    exec(compile((SOLUTIONS / name).read_text(encoding="utf-8"), name, "exec"), ns)
    return ns


def test_port_matches_nnlib_with_random_biases():
    ns = load("15_ex1.py")
    r = nl.make_rng(3)
    for _ in range(3):
        net = copy.deepcopy(ns["mine"])
        for p in net.parameters():
            p.data[...] = r.normal(scale=0.5, size=p.shape)
        x = r.normal(size=(6, 2))
        with torch.no_grad():
            got = ns["port"](net)(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(got, net.forward(x), rtol=0, atol=1e-12)


def test_port_names_a_layer_it_cannot_port():
    ns = load("15_ex1.py")
    with pytest.raises(ValueError, match="Sigmoid"):
        ns["port"](nl.Sequential(nl.Linear(2, 2), nl.Sigmoid()))


def test_fixed_loop_matches_fit_step_by_step():
    ns = load("15_ex2.py")
    rng = nl.make_rng(0)
    X, y = rng.normal(size=(256, 20)), rng.integers(0, 4, size=256)
    net = nl.mlp([20, 32, 4], rng=0)
    tnet = nl.to_torch(net)
    want = nl.fit(net, nl.SoftmaxCrossEntropy(), nl.SGD(net.parameters(), lr=0.1, momentum=0.9),
                  nl.DataLoader(X, y, batch_size=32, rng=0), epochs=1, progress=False).step_loss
    got = ns["torch_sgd_losses"](tnet, nl.DataLoader(X, y, batch_size=32, rng=0))
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    for p, q in zip(net.parameters(), nl.from_torch(tnet).parameters(), strict=True):
        np.testing.assert_allclose(p.data, q.data, rtol=0, atol=1e-12)
