"""Claims of notebooks 08-13 about what a widget or a run shows, driven with the stated settings.

Each test names the notebook and the sentence it checks. Claims that a notebook asserts in the
cell beside them are not repeated here.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import nnlib as nl

ROOT = Path(__file__).resolve().parents[2]


def wrong_solutions(path: Path) -> list[tuple[str, str]]:
    """(mistake, code) for every `# wrong:` chunk of a wrong-solutions file."""
    text = path.read_text(encoding="utf-8")
    heads = list(re.finditer(r"^# wrong:\s*(.+)$", text, re.M))
    ends = [h.start() for h in heads[1:]] + [len(text)]
    return [(h.group(1).strip(), text[h.start():end]) for h, end in zip(heads, ends)]


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


def test_10_he_with_tanh_widens_then_levels_off_without_saturating():
    """10 section 3: He with tanh widens layer by layer; in a deeper network σ levels off near
    0.55, with at most about 1 % of the outputs beyond ±0.98."""
    _, _, X_test, y_test = nl.load_mnist(subset="small")
    model = nl.mlp([784] + [64] * 20 + [10], "tanh", init="he", rng=0)
    acts = nl.probes.layer_stats(model, X_test[:500], y_test[:500], nl.SoftmaxCrossEntropy())["act"]
    std = np.array([h.std() for h in acts])
    assert np.all(np.diff(std[:5]) > 0) and std[0] < 0.4
    assert np.all(np.abs(std[5:] - 0.55) < 0.06)                      # levels off near 0.55
    assert nl.probes.saturated_fraction(acts, "Tanh").max() < 0.015


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
        path = nl.course.optimizer_path("valley", "SGD", lr, 100)
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


def _exercise_check(notebook: str, k: int) -> str:
    """The source of the self-check cell that follows the stub `# Exercise k` of a notebook."""
    cells = [c for c in nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells
             if c.cell_type == "code"]
    i = next(i for i, c in enumerate(cells) if c.source.lstrip().startswith(f"# Exercise {k}"))
    return cells[i + 1].source


def test_11_ex2_every_wrong_adam_shows_two_different_numbers(capsys):
    """11 Exercise 2 (issue 21): eps inside the square root read "w[1] is -0.164717, nl.Adam gives
    -0.164717". Tiny gradients make eps matter, and each ✗ writes the two values differently."""
    check = _exercise_check("11_optimizers.ipynb", 2)
    chunks = dict(wrong_solutions(ROOT / "notebooks" / "solutions" / "wrong" / "11_ex2.py"))
    assert "eps inside the square root, sqrt(v_hat + eps)" in chunks
    for what, code in chunks.items():
        space = {"np": np, "nl": nl}
        exec(code, space)
        exec(check, space)
        out = capsys.readouterr().out
        assert out.startswith("✗"), (what, out)
        got, want = re.search(r"w\[\d\] is (\S+), nl\.Adam gives (\S+) \(off by", out).groups()
        assert got != want and float(got) != float(want), (what, out)
        assert "grad = [" in out and "eps=" in out, (what, out)   # the input is in the message
        if what.startswith("eps inside"):                         # visible at 6 digits, not 1e-7
            assert float(re.search(r"off by (\S+)\)", out).group(1)) > 1e-3, out


def test_11_one_cycle_warms_up_from_a_tenth_and_decays_to_almost_zero():
    """11 section 4: one-cycle warms up from 0.03 to 0.3, then decays to almost zero."""
    f = nl.one_cycle_lr(0.3)
    values = [f(0, s, 1000) for s in range(1000)]
    assert values[0] == pytest.approx(0.03) and max(values) == pytest.approx(0.3, rel=1e-3)
    assert values[-1] < 0.01


def _explore(lr, batch_size, clicks=1):
    demo = nl.widgets.training_explorer()
    _ = demo.widget
    demo.controls["lr"].value, demo.controls["batch_size"].value = lr, batch_size
    for _ in range(clicks):
        demo.buttons["five"].click()
    assert demo.errors == []
    return demo, [e["val_loss"] for e in demo.dash.history.epochs]


def test_08_q1_batch_one_beats_the_full_batch_per_epoch():
    """08 Try it Q1: at lr 0.1 after 5 epochs, batch 1 (1,000 steps) is near 0.30, full (5) near 0.50."""
    one, loss_one = _explore(0.1, 1)
    full, loss_full = _explore(0.1, "full")
    assert len(one.dash.history.step_loss) == 1000 and len(full.dash.history.step_loss) == 5
    assert loss_one[-1] < 0.35 and 0.45 < loss_full[-1] < 0.6


def test_08_q2_batch_16_warns_from_lr_about_3():
    """08 Try it Q2: at lr 1 the loss still falls; from about 3 it ends above log 2 and the readout warns."""
    _, loss = _explore(1.0, 16)
    assert loss[-1] < np.log(2)
    for lr in (3.16, 10.0):
        demo, loss = _explore(lr, 16)
        assert loss[-1] > np.log(2) and "above where it started" in demo.readout.value


def test_08_q3_the_full_batch_tolerates_a_larger_rate_than_batch_one():
    """08 Try it Q3: at lr 3.16 the full batch ends near 0.33, batch size 1 far above log 2."""
    _, full = _explore(3.16, "full")
    _, one = _explore(3.16, 1)
    assert full[-1] < 0.4 and one[-1] > 5


def _mnist(lr, batch_size, clicks):
    demo = nl.widgets.mnist_trainer()
    _ = demo.widget
    demo.controls["lr"].value, demo.controls["batch_size"].value = lr, batch_size
    for _ in range(clicks):
        demo.buttons["epoch"].click()
    assert demo.errors == []
    return demo, [e["val_acc"] for e in demo.history.epochs]


def test_12_q1_the_largest_rate_kills_the_relus():
    """12 Try it Q1: at lr 10 the accuracy stays at chance and most ReLUs are dead."""
    demo, acc = _mnist(10.0, 64, 1)
    if not demo.diverged:
        assert acc[-1] < 0.15 and "above where it started" in demo.readout.value
        assert nl.probes.dead_fraction(demo.stats["act"]).mean() > 0.8
    else:
        assert "diverged" in demo.readout.value.lower()


def test_12_q2_batch_8_learns_far_more_per_click_than_full():
    """12 Try it Q2: lr 0.05, three clicks: batch 8 (50 steps a click, "after 1,200 images (0.6
    epoch)") about 59 %, full (1 step a click) about 16 %."""
    demo, small = _mnist(0.05, 8, 3)
    _, full = _mnist(0.05, "full", 3)
    assert "after 1,200 images (0.6 epoch)" in demo.readout.value
    assert abs(small[-1] - 0.59) < 0.04 and abs(full[-1] - 0.16) < 0.04


def test_12_q3_one_epoch_is_best_from_002_to_01_and_erratic_from_025():
    """12 Try it Q3 (batch 64, one epoch): 76-78 % at every slider stop from 0.0178 to 0.1, about
    73 % at 0.178, 59 % at 0.01; erratic from 0.25: about 57 % at 0.316, 20 % at 0.562, and typed
    in, 59 % at 0.3, 74 % at 0.35, 10 % at 0.4; chance at 1."""
    stops = 10.0 ** np.arange(-2, 0.01, 0.25)                    # the slider's stops, 0.01 ... 1
    acc = {lr: _mnist(lr, 64, 1)[1][-1] for lr in [*stops, 0.3, 0.35, 0.4]}
    for lr in stops[1:5]:                                          # 0.0178, 0.0316, 0.0562, 0.1
        assert 0.755 <= acc[lr] < 0.785, (lr, acc[lr])
    assert abs(acc[stops[5]] - 0.73) < 0.02 and abs(acc[stops[0]] - 0.59) < 0.02
    assert abs(acc[stops[6]] - 0.57) < 0.02 and abs(acc[stops[7]] - 0.20) < 0.03
    assert abs(acc[0.3] - 0.59) < 0.02 and abs(acc[0.35] - 0.74) < 0.02 and acc[0.4] < 0.15
    assert acc[stops[8]] < 0.15                                   # 1: chance
