"""Headless tests of notebook 04's gradient-descent figures and `descent_explorer` widget."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.course import surfaces as ts
from nnlib.viz import descent_plots as vd


def test_grad_matches_finite_differences():
    for w, b in [(-1.0, 5.0), (0.3, -2.0), (1.9, 0.9)]:
        dw, db = ts.mse_wb_grad(w, b)
        eps = 1e-6
        nw = (ts.mse_wb(w + eps, b) - ts.mse_wb(w - eps, b)) / (2 * eps)
        nb = (ts.mse_wb(w, b + eps) - ts.mse_wb(w, b - eps)) / (2 * eps)
        assert np.allclose([dw, db], [nw, nb], rtol=1e-7, atol=1e-8)


def test_grid_loss_matches_nnlib_mse():
    W, B = np.meshgrid([0.0, 1.5], [-1.0, 2.0])
    L = ts.mse_wb(W, B)
    for i in np.ndindex(W.shape):
        pred = W[i] * ts.DESCENT_X + B[i]
        assert np.isclose(L[i], nl.MSELoss()(pred, ts.DESCENT_Y))


def test_descent_converges_to_least_squares_for_small_lr():
    path = ts.descent_path(*ts.DESCENT_START, lr=0.1, steps=2000)
    assert path["diverged"] is None
    assert np.allclose([path["w"][-1], path["b"][-1]], [1.9, 0.9], atol=1e-6)
    assert np.all(np.diff(path["loss"]) <= 1e-12)            # small lr: the loss never rises


def test_descent_path_is_cut_when_it_diverges():
    path = ts.descent_path(*ts.DESCENT_START, lr=1.0, steps=500)
    assert path["diverged"] is not None and path["diverged"] < 50
    assert np.all(np.isfinite(path["loss"])) and path["loss"].max() <= ts.DIVERGE_LOSS
    assert "diverged" in ts.diverged_message(path)


@pytest.mark.parametrize("lr", [0.05, 2.0])
def test_static_figures_draw(lr):
    path = ts.descent_path(*ts.DESCENT_START, lr=lr, steps=30)
    for fig in (vd.plot_descent(path), vd.plot_descent_steps(path, 3),
                vd.plot_slope(lambda w: float(ts.mse_wb(w, 5.0)), 0.0)):
        assert nl.widgets.figure_to_png(fig)[:4] == b"\x89PNG"


def test_explorer_controls_and_buttons():
    demo = nl.widgets.descent_explorer()
    _ = demo.widget
    lr = demo.controls["lr"]
    first = demo.last_png
    demo.buttons["step"].click()
    assert demo.last_png != first and "step 1" in demo.readout.value
    demo.buttons["step10"].click()
    assert "step 11" in demo.readout.value
    for value in (10 ** lr.min, 10 ** lr.max, 0.2, 0.05):
        before = demo.last_png
        lr.value = value
        assert demo.last_png != before
        assert "nan" not in demo.readout.value.lower()
    lr.value = 10 ** lr.max                                       # huge rate: explained, no NaN
    assert "diverged" in demo.readout.value and "smaller learning rate" in demo.readout.value
    demo.buttons["reset"].click()
    assert "step 0" in demo.readout.value
    lr.value = 0.05
    demo.steps = demo.MAX_STEPS - 5                               # the step count is capped
    demo.buttons["step10"].click()
    assert demo.steps == demo.MAX_STEPS and f"step {demo.MAX_STEPS}" in demo.readout.value
    assert demo.errors == []


def test_explorer_survives_random_rates():
    demo = nl.widgets.descent_explorer()
    _ = demo.widget
    rng = nl.make_rng(0)
    demo.buttons["step10"].click()
    for v in 10 ** rng.uniform(demo.controls["lr"].min, demo.controls["lr"].max, 3):
        demo.controls["lr"].value = float(v)
    assert demo.errors == []


def test_growth_message_warns_only_when_the_loss_rises():
    """Falling loss: no warning; rising but below the start: "growing"; above the start: "diverged"."""
    assert ts.growth_message(ts.descent_path(*ts.DESCENT_START, lr=0.2, steps=40)) is None
    grow = ts.descent_path(*ts.DESCENT_START, lr=0.24, steps=12)
    assert grow["loss"][-1] < grow["loss"][0] and ts.growth_message(grow).startswith("growing: loss ")
    assert "at step 12, up from" in ts.growth_message(grow)
    over = ts.descent_path(*ts.DESCENT_START, lr=0.26, steps=12)
    assert over["diverged"] is None and ts.growth_message(over).startswith("diverged: the loss is ")
    assert "smaller learning rate" in ts.growth_message(over)
    fig = vd.plot_descent(grow)                                  # the static twin says it too
    assert fig._suptitle is not None and fig._suptitle.get_text() == ts.growth_message(grow)


def test_explorer_slider_is_fine_near_the_limit_and_warns():
    demo = nl.widgets.descent_explorer()
    _ = demo.widget
    lr = demo.controls["lr"]
    assert lr.step <= 0.005                                      # 1.2 % per step: 0.237 and 0.240 reachable
    lr.value = 10 ** -0.62
    demo.buttons["step10"].click()
    assert "growing" in demo.readout.value and demo.errors == []
