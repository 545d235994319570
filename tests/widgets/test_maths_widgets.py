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
