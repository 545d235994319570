"""The pass drawn step by step (nnlib.viz.stepper_plots) and stepped live (nnlib.widgets.stepper_widgets)."""

from __future__ import annotations

import io
import itertools
import time

import numpy as np
import pytest
from matplotlib.patches import Circle
from PIL import Image

import nnlib as nl
from nnlib.viz.stepper_plots import PX, PassFigure, R, short_number

ACTS = [nl.Sigmoid, nl.Tanh, nl.ReLU, nl.LeakyReLU, nl.Identity]


def random_model(sizes, seed, extreme=False):
    """A Sequential with random weights; `extreme` mixes in 1e6, -1e-7, 0 and friends."""
    rng = np.random.default_rng(seed)
    layers = []
    for k, (d_in, d_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        lin = nl.Linear(d_in, d_out, rng=rng)
        lin.b.data[...] = rng.normal(size=d_out)
        if extreme:
            pool = np.array([1e6, -1e6, -1e-7, 3e-5, 0.0, 123.456, -9999.9, 0.5])
            lin.W.data[...] = rng.choice(pool, size=lin.W.data.shape)
            lin.b.data[...] = rng.choice(pool, size=d_out)
        layers.append(lin)
        if k < len(sizes) - 2:
            layers.append(ACTS[(seed + k) % len(ACTS)]())
    return nl.Sequential(*layers)


def random_steps(sizes, seed, extreme=False):
    rng = np.random.default_rng(seed + 100)
    model = random_model(sizes, seed, extreme)
    x = rng.choice([1e6, -1e-7, 2.5, -0.5], size=sizes[0]) if extreme else rng.normal(size=sizes[0])
    loss = ["mse", "cross_entropy", "bce"][seed % 3] if sizes[-1] > 1 else ["mse", "bce"][seed % 2]
    y = {"mse": rng.normal(size=sizes[-1]), "cross_entropy": sizes[-1] - 1,
         "bce": rng.random(sizes[-1])}[loss]
    return nl.probes.pass_steps(model, x, y, loss)


def boxes(fig):
    """(text, pixel box) of every visible, non-empty text: its bbox patch if it has one."""
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    out = []
    for ax in fig.axes:
        for t in ax.texts:
            if not t.get_visible() or not t.get_text():
                continue
            patch = t.get_bbox_patch()
            bb = (patch.get_window_extent(renderer) if patch is not None
                  else t.get_window_extent(renderer))
            out.append((t, bb))
    return out


def circles_px(ax):
    """(centre, radius) in pixels of every neuron (the yellow rings excluded)."""
    out = []
    for p in ax.patches:
        if isinstance(p, Circle) and p.get_facecolor()[3] > 0:
            c = ax.transData.transform(p.center)
            edge = ax.transData.transform((p.center[0] + p.radius, p.center[1]))
            out.append((c, edge[0] - c[0]))
    return out


def check_no_collisions(pf: PassFigure):
    fig, d = pf.fig, pf.drawing
    found = boxes(fig)
    inner = {t for t, _ in d.inner_labels}
    width, height = fig.canvas.get_width_height()
    for (t1, b1), (t2, b2) in itertools.combinations(found, 2):
        overlap_x = min(b1.x1, b2.x1) - max(b1.x0, b2.x0)
        overlap_y = min(b1.y1, b2.y1) - max(b1.y0, b2.y0)
        assert overlap_x <= 0.5 or overlap_y <= 0.5, (t1.get_text(), t2.get_text(), b1, b2)
    circles = circles_px(d.ax)
    assert len(circles) == sum(pf.steps.sizes)
    for t, b in found:
        assert b.x0 >= -0.5 and b.y0 >= -0.5 and b.x1 <= width + 0.5 and b.y1 <= height + 0.5, (
            t.get_text(), b)
        if t in inner:
            continue
        for c, r in circles:                    # no label on a neuron that is not its own
            nx, ny = np.clip(c[0], b.x0, b.x1), np.clip(c[1], b.y0, b.y1)
            assert np.hypot(nx - c[0], ny - c[1]) >= r - 0.5, (t.get_text(), b, c)
    renderer = fig.canvas.get_renderer()
    for t, node in d.inner_labels:              # the numbers inside a neuron stay inside it
        if not t.get_visible():
            continue
        b = t.get_window_extent(renderer)
        c = d.ax.transData.transform(d.geo["pos"][node[0]][node[1]])
        r = R * PX * d.scale
        for x, y in ((b.x0, b.y0), (b.x0, b.y1), (b.x1, b.y0), (b.x1, b.y1)):
            assert np.hypot(x - c[0], y - c[1]) <= r, (t.get_text(), node, b)
    return len(found)


SIZES = [[2, 2, 1], [2, 3, 2], [2, 4, 3], [3, 4, 4, 2], [1, 1], [4, 2]]


@pytest.mark.parametrize("sizes", SIZES, ids=["-".join(map(str, s)) for s in SIZES])
@pytest.mark.parametrize("extreme", [False, True], ids=["random", "extreme"])
def test_no_two_labels_overlap_and_numbers_stay_inside_their_neuron(sizes, extreme):
    seed = sum(sizes) + 7 * extreme
    steps = random_steps(sizes, seed, extreme)
    pf = PassFigure(steps, len(steps) - 1)          # every number on the picture
    n_all = check_no_collisions(pf)
    assert n_all > sum(sizes)
    rng = np.random.default_rng(seed)
    for k in sorted(set(rng.integers(0, len(steps), 3)) | {steps.first("loss")}):
        pf.set_step(int(k))                         # a formula box beside step k
        check_no_collisions(pf)
        assert pf.drawing._formula.get_visible()


def test_numbers_inside_neurons_are_short_at_extreme_values():
    assert short_number(1e6) == "1e6" and short_number(-1e-7) == "−1e−7"
    assert short_number(0.0341) == "0.034" and short_number(123.4) == "123"
    assert short_number(-1234.5) == "−1.2e3" and short_number(0) == "0"


def tiny_model():
    t = nl.course.TINY_NET
    model = nl.Sequential(nl.Linear(2, 2), nl.Sigmoid(), nl.Linear(2, 1), nl.Sigmoid())
    model[0].W.data[...], model[0].b.data[...] = t["W1"], t["b1"]
    model[2].W.data[...], model[2].b.data[...] = t["W2"].reshape(2, 1), t["b2"]
    return model


def tiny_steps():
    t = nl.course.TINY_NET
    return nl.probes.pass_steps(tiny_model(), t["x"], t["target"], "mse")


def texts(fig):
    return [t.get_text() for ax in fig.axes for t in ax.texts if t.get_visible()]


def test_plot_pass_shows_the_steps_done_and_the_current_formula():
    steps = tiny_steps()
    fig = nl.viz.plot_pass(steps, 1)
    shown = texts(fig)
    assert steps[1].formula in shown                            # a₁⁽¹⁾ = σ(0.20) = 0.55
    assert "0.20" in shown and "0.55" in shown                  # z and a of neuron 1
    assert not any(s.startswith("∂") for s in shown)            # no gradient yet
    assert "step 2 of 22 · forward" in shown
    k = steps.first("backward") + 2                             # ∂L/∂w₁₁⁽²⁾
    shown = texts(nl.viz.plot_pass(steps, k))
    assert steps[k].formula in shown
    assert any(s.startswith("∂a ") for s in shown) and any(s.startswith("∂w ") for s in shown)
    assert "L = " + "0.17" in shown
    # before any step: no number but the inputs', weights' and biases'
    shown = texts(nl.viz.plot_pass(steps, None))
    assert "0.55" not in shown and "0.36" not in shown and "b 0.10" in shown and "1.00" in shown


def test_plot_pass_backward_arrows_point_to_the_inputs():
    steps = tiny_steps()
    pf = PassFigure(steps, steps.first("backward") + 2)         # ∂L/∂w₁₁⁽²⁾
    d = pf.drawing
    shown = [a for a in d.all_arrows if a.get_visible()]
    assert len(shown) == 1
    start, end = d.arrow_ends[shown[0]]
    assert end[0] < start[0]                                    # right to left
    pf.set_step(steps.first("backward") + 5)                    # ∂L/∂a₁⁽¹⁾: from the output
    assert steps[pf.k].symbol == "∂L/∂a₁⁽¹⁾"
    assert sum(a.get_visible() for a in d.all_arrows) == 1
    pf.set_step(2)
    assert not any(a.get_visible() for a in d.all_arrows)       # forward: none


def test_plot_pass_from_a_model_and_forward_only():
    model = random_model([2, 3, 2], 0)
    fig = nl.viz.plot_pass(model, 0, x=[1.0, 2.0])              # forward steps only, no loss
    assert any(t.startswith("z₁⁽¹⁾ = ") for t in texts(fig))
    with pytest.raises(ValueError, match="plot_pass: k must be in"):
        nl.viz.plot_pass(model, 99, x=[1.0, 2.0])
    with pytest.raises(ValueError, match="plot_pass: give the steps"):
        nl.viz.plot_pass(model, 0)
    with pytest.raises(ValueError, match="PassFigure: expected the steps"):
        PassFigure([1, 2, 3])


def png_array(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)


def test_a_fast_frame_is_the_picture_of_its_step():
    """Stepping forward, back, jumping: each frame equals a figure built at that step."""
    steps = random_steps([2, 3, 2], 1)
    pf = PassFigure(steps, 0)
    pf.render_png()
    for k in [1, 2, 3, 20, 19, 5, len(steps) - 1, 0]:
        pf.set_step(k)
        fast = png_array(pf.render_png())
        fresh = PassFigure(steps, k)
        assert np.array_equal(fast, png_array(fresh.render_png())), k
        full = png_array(nl.widgets.inplace.fast_png(fresh.fig))    # the whole figure drawn
        assert np.mean(np.abs(fast - full).max(axis=2) > 60) < 0.01, k


def test_filmstrip_has_one_panel_per_key_step():
    steps = tiny_steps()
    fig = nl.viz.plot_pass_filmstrip(steps)
    assert len(fig.axes) == len(steps.key_steps()) == 5
    assert "1. after layer 1 forward (step 4 of 22: a₂⁽¹⁾)" in texts(fig)
    fig = nl.viz.plot_pass_filmstrip(tiny_model(), nl.course.TINY_NET["x"], 1.0, "mse",
                                     keys=[0, -1], columns=1)
    assert len(fig.axes) == 2
    with pytest.raises(ValueError, match="plot_pass_filmstrip: keys is empty"):
        nl.viz.plot_pass_filmstrip(steps, keys=[])


def test_layer_matrix_shows_the_same_numbers():
    t = nl.course.TINY_NET
    fig = nl.viz.plot_layer_matrix(tiny_model(), t["x"], 1, unit=0)
    shown = texts(fig)
    assert {"1.00", "−0.50", "0.50", "−0.30", "0.80", "0.20", "0.10", "−0.10", "0.55"} <= set(shown)
    assert "neuron 1: z₁⁽¹⁾ = 0.50·1.00 + 0.80·(−0.50) + 0.10 = 0.20" in shown
    fig = nl.viz.plot_layer_matrix(tiny_steps(), None, 2)
    assert "0.36" in texts(fig)
    with pytest.raises(ValueError, match="plot_layer_matrix: layer must be"):
        nl.viz.plot_layer_matrix(tiny_model(), t["x"], 3)
    with pytest.raises(ValueError, match="plot_layer_matrix: unit must be"):
        nl.viz.plot_layer_matrix(tiny_model(), t["x"], 1, unit=2)


# -- the widget ---------------------------------------------------------------------------------
def test_stepper_buttons_play_and_jumps():
    demo = nl.widgets.pass_stepper()
    demo.widget  # noqa: B018 - builds the view and draws once
    step = demo.controls["step"]
    assert demo.n == 22 and step.value == 0 and demo.last_png.startswith(b"\x89PNG")
    assert "z₁⁽¹⁾ = 0.50·1.00 + 0.80·(−0.50) + 0.10 = 0.20" in demo.readout.value
    demo.buttons["next"].click()
    assert step.value == 1 and "σ(0.20) = 0.55" in demo.readout.value
    demo.buttons["prev"].click()
    demo.buttons["prev"].click()
    assert step.value == 0
    demo.buttons["loss"].click()
    assert step.value == 6 and "(loss)" in demo.readout.value
    demo.buttons["backward"].click()
    assert step.value == 7 and "∂L/∂a₁⁽²⁾" in demo.readout.value
    demo.play.value = 3                                     # the play button drives the slider
    assert step.value == 3
    step.value = 21
    demo.buttons["next"].click()
    assert step.value == 21 and demo.errors == []


def test_editing_recomputes_the_steps_at_the_same_step():
    demo = nl.widgets.pass_stepper()
    demo.widget  # noqa: B018
    demo.controls["x1"].value = 2.0
    assert demo.controls["step"].value == 0
    assert "0.50·2.00 + 0.80·(−0.50) + 0.10 = 0.70" in demo.readout.value
    demo.controls["weight"].value = 1                           # pick W1[1,0] (0.80): shows it
    assert demo.controls["value"].value == 0.8
    assert demo.model[0].W.data[1, 0] == 0.8
    demo.controls["value"].value = -1.0                         # writes that one weight
    assert demo.model[0].W.data[1, 0] == -1.0
    assert "0.50·2.00 − 1.00·(−0.50) + 0.10 = 1.60" in demo.readout.value
    demo.controls["y1"].value = 0.0
    demo.buttons["loss"].click()
    assert "− 0.00)²" in demo.readout.value
    demo.buttons["reset"].click()
    assert demo.model[0].W.data[1, 0] == 0.8 and demo.controls["value"].value == 0.8
    assert demo.errors == []


def test_stepper_copies_a_model_of_your_own_and_other_nets():
    model = random_model([2, 3, 2], 3)
    before = model[0].W.data.copy()
    demo = nl.widgets.pass_stepper(model, loss="cross_entropy")
    demo.widget  # noqa: B018
    demo.controls["value"].value = 5.0
    assert np.array_equal(model[0].W.data, before) and demo.model[0].W.data[0, 0] == 5.0
    assert list(demo.controls["y"].options) == [("class 1", 0), ("class 2", 1)]
    neuron = nl.widgets.pass_stepper(net="neuron")
    neuron.widget  # noqa: B018
    assert neuron.n == 8 and "= 0.20" in neuron.readout.value
    assert nl.widgets.pass_stepper(net="2-3-2").n == 34
    with pytest.raises(ValueError, match="pass_stepper: net must be"):
        nl.widgets.pass_stepper(net="huge")
    with pytest.raises(ValueError, match="pass_stepper: loss must be"):
        nl.widgets.pass_stepper(loss="hinge")
    with pytest.raises(ValueError, match="pass_steps: .*too large"):
        nl.widgets.pass_stepper(nl.mlp([2, 8, 1]))


def test_a_step_redraws_within_a_fifth_of_a_second():
    """The light-widget rule, measured in the kernel on the 2-3-2 network: median of ▶ clicks."""
    demo = nl.widgets.pass_stepper(net="2-3-2")
    demo.widget  # noqa: B018
    times = []
    for _ in range(15):
        t0 = time.perf_counter()
        demo.buttons["next"].click()
        times.append(time.perf_counter() - t0)
    assert demo.controls["step"].value == 15 and demo.errors == []
    assert np.median(times) < 0.2, times


def test_forward_only_stepper_has_no_target_and_no_jumps():
    """loss=None (notebooks 01 and 06): the forward steps only, every input still editable."""
    model = nl.Sequential(nl.Linear(2, 1), nl.Sigmoid())
    model[0].W.data[...], model[0].b.data[...] = [[0.8], [-0.6]], [0.3]
    demo = nl.widgets.pass_stepper(model, [0.5, -1.0], loss=None)
    demo.widget  # noqa: B018
    assert demo.n == 2 and demo.title == "One forward pass, step by step"
    assert "loss" not in demo.buttons and "backward" not in demo.buttons
    assert not any(name.startswith("y") for name in demo.controls)
    assert "z₁⁽¹⁾ = 0.80·0.50 − 0.60·(−1.00) + 0.30 = 1.30" in demo.readout.value
    demo.buttons["next"].click()
    assert "a₁⁽¹⁾ = σ(1.30) = 0.79" in demo.readout.value and "(forward)" in demo.readout.value
    demo.controls["x2"].value = 0.0
    assert demo.controls["step"].value == 1 and "σ(0.70) = 0.67" in demo.readout.value
    demo.controls["value"].value = 2.0                      # the first weight, w₁₁
    demo.buttons["prev"].click()
    assert "2.00·0.50 − 0.60·0.00 + 0.30 = 1.30" in demo.readout.value
    assert demo.errors == []
    shallow = nl.widgets.pass_stepper(net="2-3-2", loss=None)
    assert shallow.n == 8 and "y1" not in shallow.controls
    with pytest.raises(ValueError, match="pass_stepper: with loss=None"):
        nl.widgets.pass_stepper(net="neuron", y=1.0, loss=None)
