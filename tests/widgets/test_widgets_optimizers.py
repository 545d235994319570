"""Headless tests of notebook 11's optimizer figures and the `optimizer_race` widget."""

from __future__ import annotations

import numpy as np
import pytest

import nnlib as nl
from nnlib.course import surfaces as ts
from nnlib.viz import optimizers_plots as vo


@pytest.mark.parametrize("name", list(ts.SURFACES))
def test_surface_gradients_match_finite_differences(name):
    surf = ts.SURFACES[name]
    rng = nl.make_rng(0)
    for _ in range(3):
        p = rng.uniform(-1.5, 1.5, size=2)
        num = nl.numerical_gradient(lambda p=p: surf.f(p), p)
        assert nl.rel_error(surf.grad(p), num) < 1e-7


@pytest.mark.parametrize("name", list(ts.SURFACES))
def test_default_rates_converge_and_adaptive_methods_beat_sgd(name):
    surf = ts.SURFACES[name]
    paths = {m: ts.optimizer_path(name, m, surf.lrs[m], 100) for m in ts.OPTIMIZERS}
    assert all(p["diverged"] is None for p in paths.values())
    gap = {m: p["loss"][-1] - surf.lowest for m, p in paths.items()}
    assert gap["Adam"] < gap["SGD"] and gap["momentum"] < gap["SGD"], gap


def test_path_is_cut_on_divergence():
    path = ts.optimizer_path("banana", "SGD", lr=1.0, steps=100)
    assert path["diverged"] is not None and path["diverged"] < 10
    assert np.all(np.isfinite(path["p"])) and np.all(np.abs(path["p"]) < 1e3)


def test_optimizer_path_uses_nnlib_optimizers():
    # SGD with momentum 0.5 on the valley, written out by hand, gives the same path.
    surf = ts.SURFACES["valley"]
    path = ts.optimizer_path("valley", "momentum", 0.1, 5, momentum=0.5)
    w, v = np.array(surf.start), np.zeros(2)
    for k in range(5):
        v = 0.5 * v - 0.1 * surf.grad(w)
        w = w + v
        assert np.allclose(w, path["p"][k + 1])
    with pytest.raises(ValueError, match="make_optimizer"):
        ts.make_optimizer("Adagrad", [nl.Parameter(np.zeros(2))], 0.1)


def test_static_figures():
    def sched(e, s, t):
        return 0.1
    figs = [vo.plot_optimizer_grid(steps=20), vo.plot_optimizer_race("saddle", steps=20)[0],
            vo.plot_lr_schedules({"constant": sched}, 50),
            vo.plot_optimizer_race("valley", methods=(), steps=5)[0]]
    for fig in figs:
        assert nl.widgets.figure_to_png(fig)[:4] == b"\x89PNG"


def test_race_controls_and_buttons():
    demo = nl.widgets.optimizer_race()
    _ = demo.widget
    assert demo.errors == [] and "step 30" in demo.readout.value
    before = demo.last_png
    demo.buttons["step"].click()
    assert "step 31" in demo.readout.value and demo.last_png != before
    demo.buttons["10 steps"].click()
    demo.buttons["50 steps"].click()
    assert "step 91" in demo.readout.value
    c = demo.controls
    for name in ("banana", "saddle", "valley"):
        before = demo.last_png
        c["surface"].value = name
        assert demo.last_png != before
    for value in (10 ** c["lr"].max, 10 ** c["lr"].min, 0.05):
        c["lr"].value = value
    for value in (c["momentum"].min, c["momentum"].max, 0.5):
        c["momentum"].value = value
    for m in ts.OPTIMIZERS:
        c["show_" + m].value = False
    assert "no optimizer ticked" in demo.readout.value
    for m in ts.OPTIMIZERS:
        c["show_" + m].value = True
    demo.buttons["reset"].click()
    assert "step 0" in demo.readout.value
    assert demo.errors == []


def test_race_huge_rate_is_explained_not_nan():
    demo = nl.widgets.optimizer_race(surface="banana", lr=1.0)
    _ = demo.widget
    assert "diverged" in demo.readout.value and "smaller learning rate" in demo.readout.value
    assert "nan" not in demo.readout.value.lower()
    demo.steps = demo.MAX_STEPS - 3
    demo.buttons["50 steps"].click()
    assert demo.steps == demo.MAX_STEPS and demo.errors == []


def test_race_says_when_it_stops_counting():
    """Issue 21: at 500 steps the buttons add no more; the readout says so instead of staying silent."""
    demo = nl.widgets.optimizer_race(surface="saddle", lr=0.001)
    _ = demo.widget
    demo.steps = demo.MAX_STEPS - 60
    demo.buttons["50 steps"].click()
    assert demo.steps == demo.MAX_STEPS - 10 and "the most this race draws" not in demo.readout.value
    for _ in range(2):
        demo.buttons["10 steps"].click()
        assert demo.steps == demo.MAX_STEPS
        assert f"step {demo.MAX_STEPS}, the most this race draws" in demo.readout.value
        assert f"not reached in {demo.MAX_STEPS} steps" in demo.readout.value
    demo.buttons["reset"].click()
    assert "the most this race draws" not in demo.readout.value and demo.errors == []
