"""Issue 20: `to_torch` / `from_torch` refuse what is not a model in one line (TypeError)
naming the function, what it got and what it expects. Skipped when PyTorch is not installed.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

import nnlib as nl

torch = pytest.importorskip("torch")
nn = torch.nn

TO = "to_torch: model must be an nnlib model (a Sequential such as nl.mlp([2, 8, 2]), or one layer), got "
FROM = "from_torch: module must be a torch.nn.Module (e.g. nn.Sequential(nn.Linear(2, 8), nn.ReLU())), got "

CASES = [
    (lambda: nl.to_torch("mlp"), TO + "'mlp'"),
    (lambda: nl.to_torch(np.zeros((2, 3))), TO + "a numpy.ndarray of shape (2, 3)"),
    (lambda: nl.to_torch(None), TO + "None"),
    (lambda: nl.to_torch(torch.zeros(4)), TO + "a torch.Tensor of shape (4,)"),
    (lambda: nl.to_torch([nl.Linear(2, 2, rng=0)]), TO + "a list"),
    (lambda: nl.to_torch(nn.Linear(2, 2)), TO + "a torch.Linear; it is already a torch module (use from_torch"),
    (lambda: nl.from_torch("mlp"), FROM + "'mlp'"),
    (lambda: nl.from_torch(np.zeros(3)), FROM + "a numpy.ndarray of shape (3,)"),
    (lambda: nl.from_torch(None), FROM + "None"),
    (lambda: nl.from_torch(torch.zeros(2, 3)), FROM + "a torch.Tensor of shape (2, 3)"),
    (lambda: nl.from_torch([nn.Linear(2, 2)]), FROM + "a list"),
    (lambda: nl.from_torch(nl.mlp([2, 3], rng=0)),
     FROM + "a nnlib.Sequential; it is already an nnlib model (use to_torch"),
]


@pytest.mark.parametrize("call, message", CASES, ids=[m.split("got ")[-1][:40] for _, m in CASES])
def test_bridge_refuses_what_is_not_a_model(call, message):
    with pytest.raises(TypeError, match=re.escape(message)):
        call()


def test_bridge_still_converts_a_single_layer_both_ways():
    t = nl.to_torch(nl.Linear(2, 3, rng=0))
    assert isinstance(t, nn.Sequential)
    assert isinstance(nl.from_torch(nn.Linear(2, 3)), nl.Sequential)
