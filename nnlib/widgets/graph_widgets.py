"""Live controls for notebook 05 (backprop on a graph).

`expression_explorer`: sliders for a, b, c, f redraw the graph of L = (a*b + c) * f with data
and gradients on every node, so the learner sees which gradients move with which inputs.
`network_numbers_explorer`: the 2-2-1 sigmoid network with every number written on it; the
inputs and target are sliders, a button takes one gradient-descent step. Both are cheap
(one example, a handful of numbers), so sliders update continuously.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..course.worked_examples import TINY_NET, network_numbers
from ..viz.graph_plots import plot_expression_graph, plot_network_numbers
from .base import Demo
from .inplace import InPlaceFigure

__all__ = ["expression_explorer", "network_numbers_explorer"]


def _slider(value, lo, hi, step, description):
    return widgets.FloatSlider(value=value, min=lo, max=hi, step=step, description=description,
                               continuous_update=True, readout_format=".2f",
                               layout=widgets.Layout(width="230px"))


class ExpressionExplorer(InPlaceFigure, Demo):
    """L = (a*b + c) * f: move the leaves, watch data go forward and gradients come back."""

    def __init__(self):
        super().__init__("L = (a·b + c) · f — data and gradient on every node")
        for name, value in (("a", 2.0), ("b", -3.0), ("c", 10.0), ("f", -2.0)):
            self.add_control(name, _slider(value, -10.0, 10.0, 0.5, name))
        self.add_control("show_grad", widgets.Checkbox(value=True, description="show gradients"))

    def draw(self, a, b, c, f, show_grad):
        fig = plot_expression_graph(a, b, c, f, show_grad=show_grad)
        if show_grad:
            # + 0.0 turns a negative zero into 0: "b·f = -0" reads as a sign that isn't there
            self.readout.value = (f"L = {(a * b + c) * f + 0.0:.4g} &nbsp; | &nbsp; ∂L/∂a = b·f = "
                                  f"{b * f + 0.0:.4g}, ∂L/∂b = a·f = {a * f + 0.0:.4g}, ∂L/∂c = f = "
                                  f"{f + 0.0:.4g}, ∂L/∂f = a·b + c = {a * b + c + 0.0:.4g}")
        else:
            self.readout.value = f"L = {(a * b + c) * f + 0.0:.4g} (gradients hidden)"
        return fig


def expression_explorer() -> ExpressionExplorer:
    """Sliders for the leaves of L = (a*b + c) * f; the graph shows every data and grad."""
    return ExpressionExplorer()


class NetworkNumbersExplorer(InPlaceFigure, Demo):
    """The 2-2-1 network of notebook 05 with its forward and backward numbers, live.

    Sliders set the input and the target (the weights stay); "gradient step" applies
    w -= lr * dL/dw to every weight and bias at once and reports how the loss changed;
    "reset weights" goes back to the notebook's starting weights.
    """

    def __init__(self):
        super().__init__("2-2-1 sigmoid network: every number of one forward and backward pass")
        self.params = {}
        self._reset_params()
        self.add_control("x1", _slider(float(TINY_NET["x"][0]), -2.0, 2.0, 0.1, "x1"))
        self.add_control("x2", _slider(float(TINY_NET["x"][1]), -2.0, 2.0, 0.1, "x2"))
        self.add_control("target", _slider(TINY_NET["target"], 0.0, 1.0, 0.05, "target t"))
        self.add_control("show", widgets.Dropdown(options=["both", "forward", "backward"],
                                                  value="both", description="show",
                                                  layout=widgets.Layout(width="180px")))
        self.add_control("lr", widgets.FloatLogSlider(value=1.0, base=10, min=-2, max=1.5, step=0.1,
                                                      description="lr", continuous_update=True,
                                                      layout=widgets.Layout(width="230px")))
        self.add_button("step", widgets.Button(description="gradient step", icon="arrow-down"),
                        self.step)
        self.add_button("reset", widgets.Button(description="reset weights", icon="undo"),
                        self.reset)
        self.message = ""

    def _reset_params(self):
        self.params = {k: np.array(TINY_NET[k], dtype=float) for k in ("W1", "b1", "W2", "b2")}
        self.steps = 0

    def _numbers(self):
        v = self.values()
        return network_numbers([v["x1"], v["x2"]], v["target"], **self.params)

    def step(self):
        """One gradient-descent step on this one example: every parameter moves against its grad."""
        before = self._numbers()
        lr = self.controls["lr"].value
        for k in ("W1", "b1", "W2", "b2"):
            self.params[k] = self.params[k] - lr * np.asarray(before["d" + k])
        self.steps += 1
        after = self._numbers()
        self.message = (f"step {self.steps}: L went from {before['L']:.5f} to {after['L']:.5f}"
                        f" ({'down' if after['L'] < before['L'] else 'not down: lr too large?'})")
        self.refresh()

    def reset(self):
        self._reset_params()
        self.message = "weights reset"
        self.refresh()

    def draw(self, x1, x2, target, show, lr):
        n = network_numbers([x1, x2], target, **self.params)
        self.readout.value = (f"a = {n['a2']:.4f}, t = {target:.2f}, L = (a − t)² = {n['L']:.5f}"
                              + (f" &nbsp; | &nbsp; {self.message}" if self.message else ""))
        return plot_network_numbers([x1, x2], target, **self.params, show=show)


def network_numbers_explorer() -> NetworkNumbersExplorer:
    """The annotated 2-2-1 network: sliders for x1, x2, t; buttons for a gradient step and reset."""
    return NetworkNumbersExplorer()
