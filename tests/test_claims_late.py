"""Claims of notebooks 08-13 about what a widget or a run shows, driven with the stated settings.

Each test names the notebook and the sentence it checks. Claims that a notebook asserts in the
cell beside them are not repeated here.
"""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pytest  # noqa: E402

import nnlib as nl  # noqa: E402


def _readout(demo) -> dict:
    """The numbers of the inside explorer's readout line, by name."""
    text = re.sub("<[^>]+>", " ", demo.readout.value)
    first, last = re.search(r"first / last layer: (\S+) / (\S+)", text).groups()
    dead = re.search(r"dead units: (\d+)%", text)
    return {"loss": float(re.search(r"loss (\S+)", text).group(1)),
            "acc": float(re.search(r"accuracy (\d+)%", text).group(1)) / 100,
            "dead": float(dead.group(1)) / 100 if dead else None,
            "first": float(first), "last": float(last), "diverged": "diverged" in text}


def _explorer(**kw):
    demo = nl.widgets.inside_explorer(**kw)
    _ = demo.widget
    return demo


def test_10_q1_sigmoid_ten_layers_gradient_vanishes_and_nothing_is_learnt():
    """10 Try it Q1: layer 1's ||dW|| about 1e-7 against about 1, still after three epochs;
    the loss only falls to about log 2 and the accuracy stays at 50 %."""
    demo = _explorer(act="sigmoid", init="xavier", depth=10, lr=0.1)
    before = _readout(demo)
    assert before["first"] < 1e-6 and before["last"] > 0.1
    for _ in range(3):
        demo.buttons["train"].click()
    after = _readout(demo)
    assert after["first"] < 1e-6 and after["first"] / after["last"] < 1e-4
    assert abs(after["loss"] - np.log(2)) < 0.02 and after["acc"] <= 0.55
    assert demo.errors == []


def test_10_q2_relu_init_one_lr_one_kills_most_units_without_nan():
    """10 Try it Q2: loss in the hundreds before training; after one epoch at lr 1 the dead share
    jumps from about 10 % to over half, the gradients are 0, accuracy 50 %, no divergence."""
    demo = _explorer(act="relu", init=1.0, lr=1.0)
    before = _readout(demo)
    assert 100 < before["loss"] < 5000 and before["dead"] <= 0.15
    demo.buttons["train"].click()
    after = _readout(demo)
    assert not after["diverged"]
    assert after["dead"] > 0.5 and after["first"] == 0 and after["last"] == 0
    assert after["acc"] == pytest.approx(0.5, abs=0.02)


def test_10_q3_tanh_init_001_never_gets_going():
    """10 Try it Q3: the loss stays at log 2 and the gradient norms at about 1e-9."""
    demo = _explorer(act="tanh", init=0.01, lr=0.1)
    for _ in range(3):
        demo.buttons["train"].click()
    r = _readout(demo)
    assert abs(r["loss"] - np.log(2)) < 0.005 and r["first"] < 1e-7 and r["last"] < 1e-6


def _race(surface, lr, momentum=0.9, steps=100):
    """The race widget stepped to `steps` steps in all (it starts at 30)."""
    demo = nl.widgets.optimizer_race(surface=surface, lr=lr, momentum=momentum)
    _ = demo.widget
    while demo.steps + 50 <= steps:
        demo.buttons["50 steps"].click()
    while demo.steps < steps:
        demo.buttons["10 steps"].click()
    assert demo.steps == steps and demo.errors == []
    return demo, {p["name"]: p for p in demo.paths}


def test_11_q1_sgd_zigzags_above_025_and_diverges_above_05_on_the_valley():
    """11 Try it Q1: 1 - 4 lr < 0 beyond 0.25 (a zig-zag), < -1 beyond 0.5 (divergence)."""
    for lr, zigzag, diverges in [(0.2, False, False), (0.3, True, False), (0.45, True, False),
                                 (0.55, True, True)]:
        path = nl.toys.optimizer_path("valley", "SGD", lr, 100)
        p2 = path["p"][:20, 1]
        assert (np.sum(np.diff(np.sign(p2)) != 0) > 10) == zigzag, lr
        assert (path["diverged"] is not None) == diverges, lr
    demo, _ = _race("valley", 0.55)
    assert "SGD: diverged" in demo.readout.value


def test_11_q2_momentum_zero_is_sgd_and_099_swings_far():
    """11 Try it Q2: momentum 0 is SGD; at 0.99 momentum and Adam end far worse than at 0.9
    after 100 steps (about 0.46 vs 0.0001, and 0.17 vs 0.0002)."""
    _, zero = _race("valley", 0.1, momentum=0.0)
    np.testing.assert_allclose(zero["momentum"]["p"], zero["SGD"]["p"])
    _, nine = _race("valley", 0.1, momentum=0.9)
    _, high = _race("valley", 0.1, momentum=0.99)
    gap = {k: {m: d[m]["loss"][-1] for m in ("momentum", "Adam")} for k, d in
           (("0.9", nine), ("0.99", high))}
    assert gap["0.99"]["momentum"] > 1000 * gap["0.9"]["momentum"]
    assert 0.3 < gap["0.99"]["momentum"] < 0.6 and gap["0.9"]["momentum"] < 1e-3
    assert gap["0.99"]["Adam"] > 100 * gap["0.9"]["Adam"]
    assert 0.1 < gap["0.99"]["Adam"] < 0.25 and gap["0.9"]["Adam"] < 1e-3


def test_11_q3_on_the_banana_at_01_only_the_adaptive_ones_survive():
    """11 Try it Q3: SGD and momentum diverge within a few steps (the readout says so)."""
    demo, paths = _race("banana", 0.1)
    assert paths["SGD"]["diverged"] <= 10 and paths["momentum"]["diverged"] <= 10
    assert paths["RMSProp"]["diverged"] is None and paths["Adam"]["diverged"] is None
    assert "SGD: diverged" in demo.readout.value and "momentum: diverged" in demo.readout.value


def test_11_sgd_lingers_on_the_saddle_in_the_race_at_its_default_rate():
    """11 section 2: at the race's default lr 0.1, SGD escapes the saddle after about 120 steps."""
    _, paths = _race("saddle", 0.1, steps=130)
    sgd = paths["SGD"]
    assert abs(sgd["p"][60, 1]) < 0.01                      # 60 steps in: still on the ridge
    assert sgd["loss"][-1] < -0.2                           # 130 steps: escaped to a minimum


def test_11_one_cycle_warms_up_from_a_tenth_and_decays_to_almost_zero():
    """11 section 4: one-cycle warms up from 0.03 to 0.3, then decays to almost zero."""
    f = nl.one_cycle_lr(0.3)
    values = [f(0, s, 1000) for s in range(1000)]
    assert values[0] == pytest.approx(0.03) and max(values) == pytest.approx(0.3, rel=1e-3)
    assert values[-1] < 0.01
