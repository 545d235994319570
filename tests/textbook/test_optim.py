"""Each optimizer against a step worked out by hand on a small quadratic, plus schedules."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nnlib as nl


def quadratic_param(w0=(1.0, -2.0)):
    """L(w) = 0.5 * sum(a * w^2) with a = (1, 4): gradient a * w."""
    p = nl.Parameter(np.array(w0, dtype=np.float64))
    a = np.array([1.0, 4.0])
    return p, a


def run(opt, p, a, steps):
    for _ in range(steps):
        opt.zero_grad()
        p.grad += a * p.data
        opt.step()
    return p.data.copy()


def test_sgd_one_step_by_hand():
    p, a = quadratic_param()
    run(nl.SGD([p], lr=0.1), p, a, 1)
    # w - lr * a * w = (1 - 0.1) * 1, (1 - 0.4) * -2
    assert np.allclose(p.data, [0.9, -1.2])


def test_sgd_momentum_two_steps_by_hand():
    p, a = quadratic_param()
    run(nl.SGD([p], lr=0.1, momentum=0.5), p, a, 2)
    # step 1: v = -0.1*(1, -8) = (-0.1, 0.8); w = (0.9, -1.2)
    # step 2: g = (0.9, -4.8); v = 0.5*v - 0.1*g = (-0.14, 0.88); w = (0.76, -0.32)
    assert np.allclose(p.data, [0.76, -0.32])


def test_sgd_weight_decay_by_hand():
    p, a = quadratic_param()
    run(nl.SGD([p], lr=0.1, weight_decay=0.5), p, a, 1)
    # g = a w + 0.5 w = (1.5, -9); w = (1 - 0.15, -2 + 0.9)
    assert np.allclose(p.data, [0.85, -1.1])


def test_rmsprop_one_step_by_hand():
    p, a = quadratic_param()
    run(nl.RMSProp([p], lr=0.01, rho=0.9, eps=1e-8), p, a, 1)
    g = np.array([1.0, -8.0])
    s = 0.1 * g ** 2
    assert np.allclose(p.data, np.array([1.0, -2.0]) - 0.01 * g / (np.sqrt(s) + 1e-8))


def test_adam_matches_textbook_formula():
    p, a = quadratic_param()
    opt = nl.Adam([p], lr=0.05, betas=(0.9, 0.99), eps=1e-8)
    w = np.array([1.0, -2.0])
    m = np.zeros(2)
    v = np.zeros(2)
    for t in range(1, 6):
        g = a * w
        m = 0.9 * m + 0.1 * g
        v = 0.99 * v + 0.01 * g * g
        w = w - 0.05 * (m / (1 - 0.9 ** t)) / (np.sqrt(v / (1 - 0.99 ** t)) + 1e-8)
        run(opt, p, a, 1)
        assert np.allclose(p.data, w, rtol=1e-10, atol=1e-12)
    # Adam's first step moves every coordinate by about lr, whatever the gradient's size
    p2, _ = quadratic_param()
    run(nl.Adam([p2], lr=0.05), p2, a, 1)
    assert np.allclose(np.abs(p2.data - [1.0, -2.0]), 0.05, rtol=1e-6)


@pytest.mark.parametrize("make", [lambda ps: nl.SGD(ps, lr=0.1, momentum=0.9),
                                  lambda ps: nl.RMSProp(ps, lr=0.01),
                                  lambda ps: nl.Adam(ps, lr=0.05)], ids=["sgd", "rmsprop", "adam"])
def test_optimizers_converge_on_the_quadratic(make):
    p, a = quadratic_param()
    run(make([p]), p, a, 500)
    assert np.abs(p.data).max() < 1e-2


def test_updates_are_in_place():
    layer = nl.Linear(3, 2, rng=0)
    W = layer.W.data
    opt = nl.SGD(layer.parameters(), lr=0.1)
    layer.W.grad[:] = 1.0
    opt.step()
    assert layer.W.data is W and np.allclose(W, layer.W.data)


@pytest.mark.parametrize("bad, match", [
    (lambda: nl.SGD([], lr=0.1), "empty"),
    (lambda: nl.SGD([np.zeros(3)], lr=0.1), "expected a Parameter"),
    (lambda: nl.SGD(nl.Linear(2, 2).parameters(), lr=-1), "lr must be"),
    (lambda: nl.SGD(nl.Linear(2, 2).parameters(), lr=float("nan")), "lr must be"),
    (lambda: nl.SGD(nl.Linear(2, 2).parameters(), lr=0.1, momentum=1.5), "momentum"),
    (lambda: nl.Adam(nl.Linear(2, 2).parameters(), betas=(1.0, 0.9)), "betas"),
])
def test_bad_optimizer_arguments(bad, match):
    with pytest.raises(ValueError, match=match):
        bad()


def test_schedules():
    total = 100
    cos = nl.cosine_lr(0.1, min_lr=0.001)
    assert math.isclose(cos(0, 0, total), 0.1)
    assert math.isclose(cos(0, total, total), 0.001)
    assert cos(0, 30, total) > cos(0, 60, total)
    warm = nl.cosine_lr(0.1, warmup=0.1)
    assert warm(0, 0, total) == 0.0 and math.isclose(warm(0, 10, total), 0.1)
    step = nl.step_lr(1.0, every=2, gamma=0.5)
    assert [step(e, 0, total) for e in range(5)] == [1.0, 1.0, 0.5, 0.5, 0.25]
    oc = nl.one_cycle_lr(1.0, pct_start=0.25)
    lrs = [oc(0, s, total) for s in range(total + 1)]
    assert np.argmax(lrs) == 25 and math.isclose(lrs[0], 0.1) and math.isclose(lrs[-1], 0.01)


def test_optimizer_state_is_the_textbook_state():
    """Adam keeps m and v (not rescaled copies), SGD its velocity v, RMSProp s, as notebook 11."""
    p, a = quadratic_param()
    opt = nl.Adam([p], lr=0.05, betas=(0.8, 0.9))
    run(opt, p, a, 2)
    g1 = a * np.array([1.0, -2.0])
    w1 = np.array([1.0, -2.0]) - 0.05 * np.sign(g1)               # Adam's first step: lr * sign(g)
    g2 = a * w1
    assert np.allclose(opt.m[0], 0.8 * 0.2 * g1 + 0.2 * g2)
    assert np.allclose(opt.v[0], 0.9 * 0.1 * g1 ** 2 + 0.1 * g2 ** 2)
    assert opt.t == 2
    p, a = quadratic_param()
    sgd = nl.SGD([p], lr=0.1, momentum=0.5)
    run(sgd, p, a, 1)
    assert np.allclose(sgd.v[0], -0.1 * a * np.array([1.0, -2.0]))
    p, a = quadratic_param()
    rms = nl.RMSProp([p], lr=0.01, rho=0.9)
    run(rms, p, a, 1)
    assert np.allclose(rms.s[0], 0.1 * (a * np.array([1.0, -2.0])) ** 2)
