"""Headless tests of notebook 05's figures and widgets (nnlib.viz.graph_plots, nnlib.widgets.graph_widgets)."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pytest

import nnlib as nl
from nnlib.autograd import Value


def drive(demo):
    """Set every control to min, max and middle (or each option); return the PNGs seen."""
    demo.widget  # noqa: B018 - builds the layout and draws once
    pngs = [demo.last_png]
    for c in demo.controls.values():
        if isinstance(c, (widgets.Dropdown,)):
            values = list(c.options) + [c.options[0]]
        elif isinstance(c, widgets.Checkbox):
            values = [not c.value, c.value]
        else:
            values = [c.min, c.max, (c.min + c.max) / 2 if not isinstance(c.value, int)
                      else (c.min + c.max) // 2]
        for v in values:
            c.value = v
            pngs.append(demo.last_png)
    return pngs


def test_network_numbers_match_value_autograd():
    n = nl.course.network_numbers()
    x = [Value(v) for v in n["x"]]
    W1 = [[Value(n["W1"][i, j]) for j in range(2)] for i in range(2)]
    b1 = [Value(v) for v in n["b1"]]
    W2 = [Value(v) for v in n["W2"]]
    b2 = Value(n["b2"])
    a1 = [(x[0] * W1[0][j] + x[1] * W1[1][j] + b1[j]).sigmoid() for j in range(2)]
    a2 = (a1[0] * W2[0] + a1[1] * W2[1] + b2).sigmoid()
    L = (a2 - n["target"]) ** 2
    L.backward()
    assert L.data == pytest.approx(n["L"], rel=1e-12)
    assert np.allclose([[w.grad for w in row] for row in W1], n["dW1"], rtol=1e-10, atol=0)
    assert np.allclose([w.grad for w in W2], n["dW2"], rtol=1e-10, atol=0)
    assert np.allclose([b.grad for b in b1], n["db1"], rtol=1e-10, atol=0)
    assert b2.grad == pytest.approx(n["db2"], rel=1e-10)


def test_network_numbers_rejects_bad_shapes():
    with pytest.raises(ValueError, match="W1 must have shape"):
        nl.course.network_numbers(W1=np.zeros((3, 2)))


@pytest.mark.parametrize("show, n_axes", [("forward", 1), ("backward", 1), ("both", 2)])
def test_plot_network_numbers_writes_every_number(show, n_axes):
    fig = nl.viz.plot_network_numbers(show=show)
    assert len(fig.axes) == n_axes
    texts = " ".join(t.get_text() for ax in fig.axes for t in ax.texts)
    n = nl.course.network_numbers()
    if show != "backward":
        assert "w12=-0.3000" in texts and f"a={n['a2']:.4f}" in texts
    if show != "forward":
        assert f"∂w11={n['dW1'][0, 0]:.4f}" in texts and f"∂z={n['dL_dz2']:.4f}" in texts


def test_plot_network_numbers_bad_show():
    with pytest.raises(ValueError, match="show must be"):
        nl.viz.plot_network_numbers(show="sideways")


def test_expression_graph_gradients():
    L = nl.course.tiny_expression(2.0, -3.0, 10.0, -2.0)
    L.backward()
    leaves = {v.label: v.grad for v in nl.autograd.topo_order(L) if not v._prev}
    assert leaves == {"a": 6.0, "b": -4.0, "c": -2.0, "f": 4.0}
    assert len(nl.viz.plot_expression_graph().axes) == 1


def test_expression_explorer_controls():
    demo = nl.widgets.expression_explorer()
    pngs = drive(demo)
    assert demo.errors == []
    assert len(set(pngs)) > 3
    demo.controls["a"].value = 1.0
    assert "∂L/∂f" in demo.readout.value


def test_network_numbers_explorer_controls_and_steps():
    demo = nl.widgets.network_numbers_explorer()
    pngs = drive(demo)
    assert demo.errors == []
    assert len(set(pngs)) > 5
    demo.controls["lr"].value = 1.0
    losses = []
    for _ in range(4):
        demo.buttons["step"].click()
        losses.append(demo._numbers()["L"])
    assert losses == sorted(losses, reverse=True) and losses[-1] < losses[0]
    assert "down" in demo.readout.value
    before = demo.last_png
    demo.buttons["reset"].click()
    assert demo.last_png != before
    assert np.allclose(demo.params["W1"], nl.course.TINY_NET["W1"])
    demo.controls["lr"].value = demo.controls["lr"].max       # a huge step must not crash
    for _ in range(5):
        demo.buttons["step"].click()
    assert demo.errors == []
    assert "nan" not in demo.readout.value.lower()


def test_expression_readout_shows_no_negative_zero():
    demo = nl.widgets.expression_explorer()
    demo.controls["f"].value = 0.0                 # b·f = -3 · 0 = -0.0 in floating point
    assert "-0 " not in demo.readout.value + " " and "= -0," not in demo.readout.value, demo.readout.value
    assert demo.errors == []
