"""The solution files of notebook 05 pass the notebook's self-checks (compared with nnlib)."""

from __future__ import annotations

import math

import pytest
from solutions import load

from nnlib.autograd import Value


@pytest.mark.parametrize("abc", [(2.0, -1.0, 3.0), (0.5, 4.0, -2.0)])
def test_ex1_grads_by_hand_match_value(abc):
    a, b, c = (Value(v) for v in abc)
    L = (a + b) * (b - c)
    L.backward()
    got = load("05_ex1").grads_by_hand(*abc)
    assert got == pytest.approx((a.grad, b.grad, c.grad), rel=1e-12)


@pytest.mark.parametrize("x0", [-3.0, 0.0, 0.7, 50.0])
def test_ex2_softplus_matches_exp_log(x0):
    softplus = load("05_ex2").softplus
    x = Value(x0)
    y = softplus(x) * 2.0
    y.backward()
    ref_x = Value(x0)
    ref = (ref_x.exp() + 1.0).log() * 2.0 if x0 < 30 else ref_x * 2.0
    ref.backward()
    assert y.data == pytest.approx(ref.data, rel=1e-12)
    assert x.grad == pytest.approx(ref_x.grad, rel=1e-9)
    assert x.grad == pytest.approx(2.0 / (1.0 + math.exp(-x0)), rel=1e-12)
