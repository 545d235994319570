"""Headless tests of notebook 03's figures (`nnlib.viz.maths_plots`) and widgets (`nnlib.widgets.maths_widgets`).

The claims the notebook makes about its pictures are checked here with the same code: the
tangent's slope is the derivative, the chain's rates multiply to the measured slope, the
gradient is the steepest direction, and every control survives both ends of its range.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import nnlib as nl
from nnlib.viz import maths_plots as vm
from nnlib.widgets import maths_widgets as wm


@pytest.mark.parametrize("name", list(vm.FUNCTIONS))
def test_derivatives_match_centred_differences(name):
    f, df, _, _, (lo, hi) = vm.FUNCTIONS[name]
    xs = np.linspace(lo + 0.1, hi - 0.1, 9)
    h = 1e-5
    assert np.allclose(df(xs), (f(xs + h) - f(xs - h)) / (2 * h), rtol=1e-6, atol=1e-8)


def test_chain_rates_multiply_to_the_measured_slope():
    for x0 in (-2.0, 0.0, 0.5, 3.0):
        v = vm.chain_nudges(x0, dx=1e-6)
        assert np.isclose(v["nudges"][-1], v["true_nudges"][-1], rtol=1e-4, atol=1e-14)
        assert np.isclose(v["nudges"][-1] / 1e-6, np.prod(v["rates"]))


def test_chain_at_half_is_the_notebook_example():
    v = vm.chain_nudges(0.5, 0.1)
    assert v["values"][:2] == [0.5, 0.0] and np.allclose(v["rates"], [2.0, 0.25, -1.0])


def test_gradient_is_the_steepest_direction():
    f, grad = vm.SURFACE
    for x0, y0 in [(1.0, -0.5), (-2.0, 1.5), (0.3, 0.2)]:
        g = grad(x0, y0)
        h = 1e-6
        numeric = [(f(x0 + h, y0) - f(x0 - h, y0)) / (2 * h), (f(x0, y0 + h) - f(x0, y0 - h)) / (2 * h)]
        assert np.allclose(g, numeric, rtol=1e-6)
        t = np.deg2rad(np.arange(0, 360, 0.5))
        slopes = [(f(x0 + h * np.cos(a), y0 + h * np.sin(a)) - f(x0, y0)) / h for a in t]
        best = t[int(np.argmax(slopes))]
        assert np.isclose(np.cos(best) * g[0] + np.sin(best) * g[1], np.linalg.norm(g), rtol=1e-3)


def test_figures_draw():
    A = np.arange(6.0).reshape(2, 3)
    figs = [vm.plot_tangent("log", 0.01, 2.0), vm.plot_tangent("x^3", 5.0, 1e-3),
            vm.plot_chain_rule(-4.0, 1.0), vm.plot_gradient(0.0, 0.0, 0.0), vm.plot_dot((0, 0), (0, 0)),
            vm.plot_grids([A, A.T], ["A", "A.T"]), vm.plot_matrix_product(A, A.T, 5, -1),
            vm.plot_exp_log(), vm.plot_spread([2.0, 2.0, 2.0])]
    for fig in figs:
        assert fig.axes


FACTORIES = [wm.tangent_explorer, wm.chain_explorer, wm.gradient_explorer, wm.dot_explorer,
             wm.spread_explorer]


@pytest.mark.parametrize("factory", FACTORIES, ids=lambda f: f.__name__)
def test_widget_survives_every_control_at_both_ends(factory):
    demo = factory()
    assert factory.__name__ in nl.widgets.FACTORIES
    assert demo.widget is not None                        # build and draw once
    for control in demo.controls.values():
        values = control.options if hasattr(control, "options") else [control.min, control.max]
        for value in itertools.islice(values, 6):
            control.value = value
        if not hasattr(control, "options"):
            control.value = (control.min + control.max) / 2
    assert demo.errors == []
    assert demo.last_png and demo.n_draws > len(demo.controls)


def test_tangent_readout_reports_the_derivative():
    demo = wm.tangent_explorer("x^2", 1.5, 0.01)
    assert demo.widget is not None
    assert "f'(1.50) = 3.00000" in demo.readout.value


def test_spread_variance_scales_with_the_square_of_the_stretch():
    demo = wm.spread_explorer(shift=2.0, scale=2.0)
    assert demo.widget is not None
    x = wm.SPREAD_VALUES
    assert f"Var = {4 * x.var():.3f}" in demo.readout.value
    assert f"mean = {x.mean() + 2:.3f}" in demo.readout.value


@pytest.mark.parametrize("name", list(vm.FUNCTIONS))
def test_tangent_slider_runs_over_the_functions_range(name):
    """The x0 slider spans the chosen function's range, so all of its travel moves the tangent."""
    demo = wm.tangent_explorer("sigmoid", x0=5.0)
    assert demo.widget is not None
    draws = demo.n_draws
    demo.controls["name"].value = name
    lo, hi = vm.FUNCTIONS[name][4]
    slider = demo.controls["x0"]
    assert (slider.min, slider.max) == (lo, hi) and lo <= slider.value <= hi
    assert demo.n_draws == draws + (name != "sigmoid")            # one redraw, not one per trait
    for x0 in (lo, hi):
        slider.value = x0
        assert f"f'({x0:.2f})" in demo.readout.value
    assert demo.errors == []


@pytest.mark.parametrize("name", list(vm.FUNCTIONS))
def test_secant_is_never_of_zero_width(name):
    lo, hi = vm.FUNCTIONS[name][4]
    for x0 in (lo, hi, (lo + hi) / 2, lo - 5, hi + 5):
        for h in (1e-3, 10 ** -2.5, 0.1, 2.0):
            s = vm.secant(name, x0, h)
            assert s["b"] - s["a"] >= min(h, hi - lo) * (1 - 1e-12)
            a_text, b_text = s["text"].split(" (")[0].split(" to ") if s["cut"] else ("a", "b")
            assert a_text != b_text, s["text"]                  # never "0.15 to 0.15"
    legend = vm.plot_tangent("log", 0.1, 1e-3).axes[0].get_legend().get_texts()
    assert any("0.1000 to 0.1010 (cut at the edge)" in t.get_text() for t in legend)


def test_tangent_readout_counts_the_agreeing_decimals():
    assert wm.agreeing_decimals("0.1966119332", "0.1966119274") == 7
    assert wm.agreeing_decimals("-2.50", "2.50") == 0 and wm.agreeing_decimals("3.00", "3.00") == 2
    demo = wm.tangent_explorer("log", 0.1, 0.5)
    assert demo.widget is not None
    assert "one-sided" in demo.readout.value and "cut at the edge" in demo.readout.value


def test_gradient_at_the_bottom_has_no_direction():
    fig = vm.plot_gradient(0.0, 0.0, 30.0)
    labels = [t.get_text() for t in fig.axes[1].get_legend().get_texts()]
    assert "no direction (∇f = 0)" in labels and not any("angle" in t for t in labels)
    demo = wm.gradient_explorer(0.0, 0.0, 30.0)
    assert demo.widget is not None
    assert "no direction (∇f = 0)" in demo.readout.value
    demo.controls["x0"].value = 1.0
    assert "the gradient's angle 27°" in demo.readout.value


def test_dot_explorer_can_start_at_a_figures_arrow():
    w, x = (2.0, 1.0), (1.0, 2.0)
    demo = wm.dot_explorer(x=x)
    assert demo.widget is not None
    title = vm.plot_dot(w, x).axes[0].get_title()
    assert "= 4.00\n" in title and demo.readout.value.endswith("w · x = 4.00")
    assert "x = (1.00, 2.00)" in demo.readout.value
