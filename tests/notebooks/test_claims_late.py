"""Claims of notebooks 08-14 about what a widget or a run shows, driven with the stated settings.

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
    for lr in (3.16, 10 ** 0.5, 10.0):                       # typed, and the slider's own value
        demo, loss = _explore(lr, 16)
        assert loss[-1] > np.log(2) and "above where it started" in demo.readout.value


def test_08_q3_the_full_batch_tolerates_a_larger_rate_than_batch_one():
    """08 Try it Q3: at lr 3.16 the full batch ends near 0.33 after 5 epochs; batch size 1 stays
    far above log 2 in every epoch, between about 3 and 11 at the slider's 10^0.5, up to about
    22 at a typed 3.16; one click on Train 5 epochs = five on Train 1 epoch."""
    ones = {}
    for lr in (10 ** 0.5, 3.16):
        _, full = _explore(lr, "full")
        assert 0.28 < full[-1] < 0.38, (lr, full)
        _, ones[lr] = _explore(lr, 1)
        assert min(ones[lr]) > 2.5, (lr, ones[lr])                    # never near log 2 = 0.69
    slider = ones[10 ** 0.5]
    assert min(slider) < 4 and 9 < max(slider) < 13, slider          # "between about 3 and 11"
    assert 18 < max(ones[3.16]) < 25, ones[3.16]                      # "up to about 22"
    demo = nl.widgets.training_explorer()
    _ = demo.widget
    demo.controls["lr"].value, demo.controls["batch_size"].value = 10 ** 0.5, 1
    for _ in range(5):
        demo.buttons["epoch"].click()
    clicked = [e["val_loss"] for e in demo.dash.history.epochs]
    assert clicked == slider, f"five clicks on Train 1 epoch gave {clicked}, one on Train 5 epochs {slider}"


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


# -- notebook 13: what the pad's classifier can and cannot say -----------------------------
@pytest.fixture(scope="module")
def pad_mlp():
    from nnlib.apps.pad_model import get_model
    return get_model(path=None, subset="small")[0]      # the pad's fallback: the small MLP


def _read(model, canvas):
    """A 280 px drawing as the pad sends it (56x56), preprocessed and classified."""
    from nnlib.apps.pad_model import classify
    from nnlib.datasets import drawings
    return classify(model, drawings.preprocess_digit(drawings.on_pad_grid(canvas)))[0]


def test_13_q1_a_small_five_is_misread_because_the_pen_stays_22_px(pad_mlp):
    """13 section 9 and Try it Q1: a "5" drawn 200 px tall is read as 5; drawn 45-55 px tall
    with the same pen it is read as 8 by the MLP; the preprocessed small 5 holds much more ink
    (thicker strokes). An MNIST digit enlarged with its strokes (digit_on_canvas) is read
    about as well at 55 px as at 180 px: the size itself is removed, the pen width is not."""
    from nnlib.datasets import drawings
    large = _read(pad_mlp, drawings.shape_on_canvas("5", 200))
    assert large.argmax() == 5 and large[5] > 0.9
    for height in (45, 55):
        small = _read(pad_mlp, drawings.shape_on_canvas("5", height, centre=(60, 210)))
        assert small.argmax() == 8 and small[5] < 0.3, (height, small.round(2))
    ink = {h: drawings.preprocess_digit(drawings.on_pad_grid(drawings.shape_on_canvas("5", h))).sum()
           for h in (55, 200)}
    assert ink[55] > 1.5 * ink[200]
    _, _, X, y = nl.load_mnist(subset="small", flatten=False)
    acc = {h: np.mean([_read(pad_mlp, drawings.digit_on_canvas(X[i], height=h)).argmax() == y[i]
                       for i in range(100)]) for h in (55, 180)}
    assert abs(acc[55] - acc[180]) <= 0.05 and acc[55] > 0.85, acc


def test_13_softmax_names_a_digit_for_every_non_digit(pad_mlp):
    """13 section 10: an "A", a dash, a smiley ... each gets ten probabilities summing to 1 and
    is read as some digit; the dash with at least 90 %, so a 90 % threshold lets it through."""
    from nnlib.datasets import drawings
    shapes = [n for n in drawings.SHAPES if not n.isdigit()]
    assert {"A", "dash", "smiley"} <= set(shapes) and len(shapes) >= 12
    probs = {n: _read(pad_mlp, drawings.shape_on_canvas(n, 180)) for n in shapes}
    for n, p in probs.items():
        assert p.shape == (10,) and p.sum() == pytest.approx(1.0, abs=1e-5), n
    assert probs["dash"].max() >= 0.9
    assert max(p.max() for p in probs.values()) >= 0.9


def test_13_the_not_sure_threshold_trades_real_digits_for_non_digits(pad_mlp):
    """13 section 10's table: a higher threshold calls more real test digits "not sure", is right
    more often on the rest, and catches more non-digits; at 90 % it catches a larger share of
    the non-digits than of the real digits, and not every non-digit."""
    from nnlib.apps.pad_model import _forward
    from nnlib.datasets import drawings
    _, _, X, y = nl.load_mnist(subset="small")
    P = _forward(pad_mlp, X)[0]
    shapes = [n for n in drawings.SHAPES if not n.isdigit()]
    odd = np.array([drawings.preprocess_digit(drawings.on_pad_grid(drawings.shape_on_canvas(n, h)))
                    for n in shapes for h in (90, 140, 200)])
    Q = _forward(pad_mlp, odd)[0]
    rows = []
    for t in (0.5, 0.7, 0.9, 0.95, 0.99):
        unsure = P.max(axis=1) < t
        rows.append((unsure.mean(), np.mean(P[~unsure].argmax(axis=1) == y[~unsure]),
                     np.mean(Q.max(axis=1) < t)))
    rows = np.array(rows)
    assert np.all(np.diff(rows, axis=0) >= 0), rows
    real, acc, caught = rows[2]
    assert caught > real and caught < 1 and acc > np.mean(P.argmax(axis=1) == y)


# -- notebook 15 --------------------------------------------------------------------------
@pytest.mark.parametrize("fast", [False, True])
def test_15_q2_fit_zeroes_the_gradients_before_every_step(fast):
    """15 Q2: `fit` runs `train_step`, which calls `optimizer.zero_grad()` first, at every step
    (fast=True too): gradients left in `.grad` before the fit, or by the previous step, change
    nothing; the run equals one that starts from zeroed gradients."""
    X, y = nl.datasets.make_blobs(n=96, rng=0, centers=((-1.5, -1.0), (1.5, 1.0), (0.0, 2.0)))

    def run(garbage):
        model = nl.mlp([2, 8, 3], rng=1, dtype=np.float64)
        if garbage:
            for p in model.parameters():
                p.grad[...] = 1e6                                  # as if 1e6 were left over
        opt = nl.SGD(model.parameters(), lr=0.1, momentum=0.9)
        hist = nl.fit(model, nl.SoftmaxCrossEntropy(), opt, nl.DataLoader(X, y, batch_size=16, rng=0),
                      epochs=2, progress=False, fast=fast)
        return np.array(hist.step_loss), [p.data.copy() for p in model.parameters()]

    clean_loss, clean_w = run(False)
    dirty_loss, dirty_w = run(True)
    assert len(clean_loss) == 12
    np.testing.assert_allclose(dirty_loss, clean_loss, rtol=0, atol=1e-12)
    for a, b in zip(dirty_w, clean_w):
        np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)

    calls = []

    class Counting(nl.SGD):
        def zero_grad(self):
            calls.append(1)
            super().zero_grad()

    model = nl.mlp([2, 8, 3], rng=1)
    nl.fit(model, nl.SoftmaxCrossEntropy(), Counting(model.parameters(), lr=0.1),
           nl.DataLoader(X, y, batch_size=16, rng=0), epochs=2, progress=False)
    assert len(calls) == 12                                          # once per step


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


def test_14_conv_stepper_step_edge_one_sum_where_the_window_straddles_it_zero_elsewhere():
    """14, after the conv stepper: 'Choose "a step edge": every window that straddles the edge
    gives the same sum, and every other window gives 0' (the vertical-edge kernel); and 'where
    the window sees only paper, all nine products are 0' (the default 7)."""
    pytest.importorskip("ipywidgets")
    from nnlib.course import conv_steps

    stepper = nl.widgets.conv_stepper(kernel="edge (vertical)")
    edge = stepper.images["a step edge (7×7)"]
    kernel = np.array(nl.conv.KERNELS["edge (vertical)"])
    for cell in conv_steps.conv_cell_steps(edge, kernel):
        window = cell.window
        straddles = window.min() == 0 and window.max() == 1
        assert cell.value == (4.0 if straddles else 0.0), (cell.place, window)
    assert any(c.window.max() == 1 for c in conv_steps.conv_cell_steps(edge, kernel))
    digit8 = stepper.images[stepper.controls["image"].value]
    paper = [c for c in conv_steps.conv_cell_steps(digit8, kernel) if not c.window.any()]
    assert all(not c.products.any() for c in paper)


def test_14_softmax_steps_the_largest_scores_exp_is_one():
    """14, after the softmax figure: 'the largest score's row: its exp is exactly 1'."""
    from nnlib.course import conv_steps

    for z in (np.array([1.2, -0.8, 4.1, 0.3]), np.random.default_rng(14).standard_normal(10) * 5):
        steps = conv_steps.softmax_steps(z)
        exps = [s for s in steps if s.phase == "exp"]
        assert exps[int(np.argmax(z))].value == 1.0 and max(s.value for s in exps) == 1.0
