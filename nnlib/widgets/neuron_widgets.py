"""Live neuron for notebook 01: sliders for w1, w2 and b move the decision line over a toy data set.

The figure is `nl.viz.plot_neuron` (the static twin shown just before the widget): the neuron
drawn with the numbers of one chosen point, and sigmoid(z) shaded over the plane with the
line z = 0. The readout counts the correctly classified points. The widget keeps one
`NeuronFigure` and changes its numbers in place, so the sliders update continuously.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from ..datasets import make_blobs
from ..layers import sigmoid
from ..viz.neuron_plots import NeuronFigure
from .base import Demo
from .inplace import InPlaceFigure

__all__ = ["neuron_explorer"]


class NeuronExplorer(InPlaceFigure, Demo):
    """Sliders w1, w2, b (and which point the diagram shows) -> diagram + decision map + count."""

    def __init__(self, X, y, w=(0.5, -0.5), b=0.0, point: int = 0):
        super().__init__("A single neuron: move w₁, w₂ and b")
        self.X, self.y = np.asarray(X, dtype=float), np.asarray(y)
        self.view: NeuronFigure | None = None
        opts = dict(step=0.1, continuous_update=True, readout_format=".1f",
                    layout=widgets.Layout(width="260px"))
        self.add_control("w1", widgets.FloatSlider(value=w[0], min=-5, max=5,
                                                   description="w₁", **opts))
        self.add_control("w2", widgets.FloatSlider(value=w[1], min=-5, max=5,
                                                   description="w₂", **opts))
        self.add_control("b", widgets.FloatSlider(value=b, min=-10, max=10,
                                                  description="b", **opts))
        self.add_control("point", widgets.IntSlider(
            value=point, min=0, max=len(self.X) - 1, description="point #",
            continuous_update=True, layout=widgets.Layout(width="260px")))

    def draw(self, w1, w2, b, point):
        w = np.array([w1, w2])
        if self.view is None:
            self.view = NeuronFigure(self.X, self.y, w, b, point)
        else:
            self.view.update(w, b, point)
        plane, n = self.view.plane, len(self.y)
        z = float(self.X[point] @ w + b)
        self.readout.value = (
            f"<b>{plane.n_correct} / {n} correct ({100 * plane.n_correct / n:.0f} %)</b> "
            f"&nbsp;·&nbsp; point #{point}: z = {z:.2f}, a = σ(z) = {float(sigmoid(z)):.3f}"
            + (f"<br><i>{plane.message}</i>" if plane.message else ""))
        return self.view


def neuron_explorer(X=None, y=None, *, w=(0.5, -0.5), b: float = 0.0, point: int = 0,
                    seed: int = 0) -> NeuronExplorer:
    """A live neuron on 2-D data (default: 100 points of `make_blobs(noise=0.8)` from `seed`).

    Try to find weights that classify every point, then set w1 = w2 = 0 or b = ±10 and
    read what happens to the line.
    """
    if X is None or y is None:
        X, y = make_blobs(100, noise=0.8, rng=seed)
    return NeuronExplorer(X, y, w=w, b=b, point=point)
